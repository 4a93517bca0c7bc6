/**
 * Generated from openapi.json by `npm run gen:api`. Do not edit by hand.
 */

export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The process is alive (it does not look at dependencies). */
        get: operations["healthz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Ready to serve: the database answers and its schema is the one this release needs. */
        get: operations["readyz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/audit-log": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The audit log, newest first. */
        get: operations["audit_log"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/flags": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every feature flag as stored (administrators). */
        get: operations["list_flags"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/flags/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Turns a flag on or off, changes its rollout or description (administrators).
         *     Audited; every instance applies it within 5 seconds.
         */
        patch: operations["update_flag"];
        trace?: never;
    };
    "/v1/admin/outbox": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Pending and dead counts, and the newest dead messages. */
        get: operations["outbox_status"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/outbox/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Makes a dead message due again, with a fresh set of attempts (audited). */
        post: operations["retry_mail"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every account, oldest first. */
        get: operations["list_users"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/users/{id}/role": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Sets a user's role (and organisation, for staff). */
        put: operations["set_role"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/assistant/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Asks the assistant about a puppy, its breed, adoption or puppy care. */
        post: operations["ask"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/email-change/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Moves the account to the new address a confirmation link was sent to. */
        post: operations["confirm_email_change"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Signs in. Wrong passwords and unknown emails get the same answer. */
        post: operations["login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Signs out this session. A web session's cookie is cleared too, also when
         *     its session had ended already (the page cannot remove an `HttpOnly` cookie
         *     by itself).
         */
        post: operations["logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/password-reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sends a link to choose a new password, if the address has an account. The
         *     answer is 202 either way; at most one message per address every two
         *     minutes.
         */
        post: operations["request_password_reset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/password-reset/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sets a new password with the token of a reset link. The token works once
         *     and for an hour; using it signs the account out everywhere and confirms
         *     its address.
         */
        post: operations["confirm_password_reset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Creates an adopter account and sends a link confirming its address. The
         *     answer is 202 whether the address is new or already has an account (in
         *     which case nothing changes and its owner is told by mail), so it does not
         *     tell anyone which addresses are registered; the client then signs in with
         *     the same address and password. Both paths hash the password, so they also
         *     take the same time.
         */
        post: operations["register"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/verify-email": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Confirms the account's address with the token of a confirmation link. */
        post: operations["verify_email"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/breeds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every breed, by name. */
        get: operations["list_breeds"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/config": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The feature flags evaluated for the caller (signed-in user, or `X-Device-Id`). */
        get: operations["client_config"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/email/unsubscribe": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Shows the unsubscribe page for the link in a conversation email; changes
         *     nothing.
         */
        get: operations["unsubscribe_page"];
        put?: never;
        /**
         * Switches conversation emails off for the account the link was sent to
         *     (one click, RFC 8058).
         */
        post: operations["unsubscribe"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inquiries/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One inquiry with its replies (admins' reads are audited). */
        get: operations["get_inquiry"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inquiries/{id}/assignee": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Assigns the thread to one of the organisation's staff, or to nobody (its
         *     staff and admins). Needs `If-Match` with the thread's `ETag`.
         */
        put: operations["set_assignee"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inquiries/{id}/read": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Marks the thread read for the caller's side: the adopter, or the
         *     organisation's staff (shared by all of them). Admins keep no read mark.
         */
        post: operations["mark_read"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inquiries/{id}/replies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Replies to an inquiry: staff answers mark it `answered`, the adopter's reopen
         *     it (a closed one too); the writer's address must be confirmed. The writer's
         *     side has then read the thread. With
         *     `Idempotency-Key`, a retry of the same reply within 24 hours answers as the
         *     first did and sends nothing.
         */
        post: operations["reply"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inquiries/{id}/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Closes or reopens an inquiry (staff). With `If-Match`, only if the thread
         *     is still at that version.
         */
        put: operations["set_status"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in user. */
        get: operations["get_me"];
        put?: never;
        post?: never;
        /** Deletes the own account and its personal data; every session ends. */
        delete: operations["delete_me"];
        options?: never;
        head?: never;
        /** Updates the own account. */
        patch: operations["update_me"];
        trace?: never;
    };
    "/v1/me/favorites": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The saved puppies, most recently saved first, each with its current status. */
        get: operations["list_favorites"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/favorites/{puppy_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Saves a puppy (doing it again changes nothing). */
        put: operations["add_favorite"];
        post?: never;
        /** Removes a puppy from the favourites (removing it again changes nothing). */
        delete: operations["remove_favorite"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/inquiries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in adopter's inquiries with their replies, newest activity first. */
        get: operations["my_inquiries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/push-tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The devices that receive the user's push notifications. */
        get: operations["list_push_tokens"];
        put?: never;
        /**
         * Registers this device's push token for the signed-in user (moving it from
         *     whoever used the device before).
         */
        post: operations["register_push_token"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/push-tokens/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Stops pushing to one device (the app calls this at sign-out). */
        delete: operations["delete_push_token"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/saved-searches": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The user's saved searches, newest first. */
        get: operations["list_saved_searches"];
        put?: never;
        /**
         * Saves browse filters under a name (at most `SAVED_SEARCHES_PER_ACCOUNT`,
         *     20 by default). The query must be one browse would accept.
         */
        post: operations["create_saved_search"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/saved-searches/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Deletes one of the user's searches. */
        delete: operations["delete_saved_search"];
        options?: never;
        head?: never;
        /** Renames, pauses or resumes one of the user's searches. */
        patch: operations["update_saved_search"];
        trace?: never;
    };
    "/v1/me/saved-searches/{id}/open": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Opens a saved search: records the visit and says since when listings are
         *     new to the user. The client then browses with `search.query`.
         */
        post: operations["open_saved_search"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/unread": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What the caller has not read: staff replies in their own inquiries and, for
         *     staff, adopters' messages in their organisation's inbox.
         */
        get: operations["my_unread"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/verification-email": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sends the signed-in account a new confirmation link (at most one every two
         *     minutes). Nothing is sent when the address is confirmed already.
         */
        post: operations["resend_verification"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/organizations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An organisation's public profile (contact details are private). */
        get: operations["get_organization"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/organizations/{id}/inquiries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An organisation's inbox, newest activity first (its staff and admins only;
         *     admins' reads are audited).
         */
        get: operations["organization_inquiries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/photos/{id}/{variant}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One size variant of a photo, as JPEG. */
        get: operations["get_photo_variant"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/puppies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Lists puppies, filtered and sorted, a page at a time. */
        get: operations["list_puppies"];
        put?: never;
        /** Lists a new puppy for the staff member's organisation. */
        post: operations["create_puppy"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/puppies/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One puppy with its organisation and all photos in order. */
        get: operations["get_puppy"];
        put?: never;
        post?: never;
        /** Removes a puppy from browse (kept for the organisation's records). */
        delete: operations["delete_puppy"];
        options?: never;
        head?: never;
        /** Edits a puppy (only the fields sent). Needs `If-Match` with the current ETag. */
        patch: operations["update_puppy"];
        trace?: never;
    };
    "/v1/puppies/{id}/inquiries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Asks the puppy's organisation about it (an account with a confirmed address
         *     only). With `Idempotency-Key`, a retry of the same request within 24 hours
         *     answers as the first did and sends nothing.
         */
        post: operations["create_inquiry"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/puppies/{id}/photos": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Adds photos to a puppy (after its existing ones).
         * @description Each photo is checked from its content (JPEG, PNG or WebP), turned upright
         *     from its EXIF orientation, stripped of all metadata (including GPS) and
         *     stored as JPEG variants 320, 640 and 1280 pixels wide (never wider than the
         *     original).
         */
        post: operations["upload_photos"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/puppies/{id}/photos/order": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Puts a puppy's photos in a new order; the first is the cover photo. */
        put: operations["reorder_photos"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/puppies/{id}/photos/{photo_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Deletes one photo of a puppy and its stored variants. */
        delete: operations["delete_photo"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description One page of a list. */
        AdminUserPage: {
            items: components["schemas"]["Me"][];
            /** @description Pass as `cursor` to get the next page; `null` on the last page. */
            next_cursor?: string | null;
        };
        /** @description The adopter, while their account exists (deleted accounts leave `null`). */
        Adopter: {
            display_name: string;
            email: string;
        };
        /**
         * @description Age group derived from the birth date: baby (under 6 months), young (6–18
         *     months), adult (18 months to 8 years), senior (8 years and over).
         * @enum {string}
         */
        AgeGroup: "baby" | "young" | "adult" | "senior";
        /**
         * @description How an account hears of new matches for its saved searches.
         * @enum {string}
         */
        AlertChannel: "push" | "email" | "off";
        /** @description The staff member a thread is assigned to. */
        Assignee: {
            display_name: string;
            /** Format: uuid */
            id: string;
        };
        AssistantReply: {
            message: components["schemas"]["Message"];
            /**
             * @description True when the question was off-topic or unsafe (e.g. medication doses) and
             *     the fixed, kind refusal was given instead of an answer.
             */
            refused: boolean;
        };
        /** @description A question about a puppy (or puppies in general), with the conversation so far. */
        AssistantRequest: {
            /** @description 1–20 messages of at most 1,000 characters, oldest first; the last is the user's. */
            messages: components["schemas"]["Message"][];
            /**
             * Format: uuid
             * @description The puppy the conversation is about, if any.
             */
            puppy_id?: string | null;
        };
        AuditLogEntry: {
            action: string;
            /**
             * Format: uuid
             * @description The user who acted (`null` for the command line or a deleted account).
             */
            actor_id?: string | null;
            /** @description `api` or `cli`. */
            channel: string;
            /** Format: date-time */
            created_at: string;
            details: unknown;
            /** Format: uuid */
            id: string;
            target_id: string;
            target_type: string;
        };
        /** @description One page of a list. */
        AuditLogPage: {
            items: components["schemas"]["AuditLogEntry"][];
            /** @description Pass as `cursor` to get the next page; `null` on the last page. */
            next_cursor?: string | null;
        };
        Breed: {
            /**
             * Format: int64
             * @description Puppies of this breed currently available.
             */
            available_puppies: number;
            coat: components["schemas"]["Coat"];
            description: string;
            group: string;
            /** Format: uuid */
            id: string;
            name: string;
            size: components["schemas"]["Size"];
            /** @description Stable identifier used by the `breed` filter. */
            slug: string;
            temperament: string[];
        };
        BreedList: {
            items: components["schemas"]["Breed"][];
        };
        BreedRef: {
            name: string;
            slug: string;
        };
        /** @description What the app needs to know at start-up. */
        ClientConfig: {
            /** @description `local`, `staging` or `production`. */
            environment: string;
            flags: components["schemas"]["FlagValues"];
        };
        /**
         * @description Coat length or type.
         * @enum {string}
         */
        Coat: "hairless" | "short" | "medium" | "long" | "wire" | "curly";
        /**
         * @description How the adopter would like to be answered.
         * @enum {string}
         */
        ContactPreference: "email" | "phone" | "app";
        /** @description A message that ended dead. */
        DeadMail: {
            /** Format: int32 */
            attempts: number;
            /** Format: date-time */
            created_at: string;
            /** Format: uuid */
            id: string;
            /** @description What the message is (`verify_email`, `password_reset`, `conversation_reply`, …). */
            kind: string;
            /** @description The mail server's last answer (addresses removed). */
            last_error?: string | null;
            recipient: string;
        };
        /** @description One invalid input field of a request. */
        FieldError: {
            /** @description The query parameter, path segment or body field at fault. */
            field: string;
            /** @description What is wrong with it, phrased for a person. */
            message: string;
        };
        /** @description One feature flag. */
        Flag: {
            description: string;
            /** @description The kill switch: when false the feature is off for everyone. */
            enabled: boolean;
            key: string;
            /**
             * Format: int32
             * @description Share of users (0–100) who get the feature while enabled, by sticky bucket.
             */
            rollout_percent: number;
            /** Format: date-time */
            updated_at: string;
        };
        FlagList: {
            items: components["schemas"]["Flag"][];
        };
        /** @description A change to a flag; fields left out stay as they are. */
        FlagUpdate: {
            /** @description 1 to 200 characters (surrounding spaces are dropped), no NUL. */
            description?: string | null;
            enabled?: boolean | null;
            /** Format: int64 */
            rollout_percent?: number | null;
        };
        /**
         * @description The features as they are for this caller: each is on when its flag is on for
         *     them and the feature can work on this instance.
         */
        FlagValues: {
            /**
             * @description Also false when no assistant provider is configured here (`LLM_BASE_URL`):
             *     the app hides the assistant rather than offer what always fails.
             */
            assistant: boolean;
            inquiries: boolean;
            photo_uploads: boolean;
            /**
             * @description New matches for saved searches may come as push notifications: the app
             *     may ask for permission and register its push token.
             */
            push_notifications: boolean;
        };
        /**
         * @description Who the puppy is known to get on with.
         * @enum {string}
         */
        GoodWith: "kids" | "dogs" | "cats";
        /** @description What the puppy is known to get on with; `null` means not known yet. */
        GoodWithFacts: {
            cats?: boolean | null;
            dogs?: boolean | null;
            kids?: boolean | null;
        };
        /** @description What is known about who the puppy gets on with; `null` means not known. */
        GoodWithInput: {
            cats?: boolean | null;
            dogs?: boolean | null;
            kids?: boolean | null;
        };
        Health: {
            status: string;
        };
        Inquiry: {
            adopter?: null | components["schemas"]["Adopter"];
            assignee?: null | components["schemas"]["Assignee"];
            contact_preference: components["schemas"]["ContactPreference"];
            /** Format: date-time */
            created_at: string;
            /** Format: uuid */
            id: string;
            last_message: components["schemas"]["LastMessage"];
            message: string;
            organization: components["schemas"]["OrganizationName"];
            /**
             * Format: uuid
             * @description The same as `organization.id`.
             */
            organization_id: string;
            puppy: components["schemas"]["PuppyName"];
            /** @description Oldest first. */
            replies: components["schemas"]["Reply"][];
            status: components["schemas"]["ThreadStatus"];
            /**
             * Format: int64
             * @description Messages from the other side the caller's side has not read (for staff
             *     and admins: the organisation's side).
             */
            unread_count: number;
            /**
             * Format: int64
             * @description Bumped by every message, status change and assignment; the `ETag` holds it.
             */
            version: number;
        };
        /** @description One page of a list. */
        InquiryPage: {
            items: components["schemas"]["Inquiry"][];
            /** @description Pass as `cursor` to get the next page; `null` on the last page. */
            next_cursor?: string | null;
        };
        /** @enum {string} */
        InquiryStatusChange: "open" | "closed";
        /** @description The latest message of a thread (the inquiry itself until someone replies). */
        LastMessage: {
            /** Format: date-time */
            at: string;
            author_role: components["schemas"]["Side"];
            /** @description Its first 140 characters, with `…` when cut. */
            excerpt: string;
        };
        LoginRequest: {
            /**
             * @description `true` for the web app: the session is set as the cookie
             *     `kennel_session` (`HttpOnly`, `Secure`, `SameSite=Strict`), so scripts
             *     on the page never see it, and the answer carries no `token`. Changes
             *     signed in by the cookie must send `X-Kennel-Client: web`.
             */
            cookie?: boolean;
            email: string;
            password: string;
        };
        /** @enum {string} */
        MailNext: "check_email";
        /**
         * @description The answer to a request that may send mail: the same whether or not an
         *     account has the address.
         */
        MailQueued: {
            next: components["schemas"]["MailNext"];
        };
        /** @description The signed-in user's own view of their account. */
        Me: {
            /** @description Whether new messages in the account's conversations are emailed. */
            conversation_email: boolean;
            /** Format: date-time */
            created_at: string;
            display_name: string;
            email: string;
            /** @description Whether the address was confirmed by following a link sent to it. */
            email_verified: boolean;
            /** Format: uuid */
            id: string;
            /**
             * @description How new matches for saved searches are told: `push` (email when no
             *     device is registered), `email` or `off`.
             */
            new_match_alerts: components["schemas"]["AlertChannel"];
            /**
             * Format: uuid
             * @description The organisation a staff member belongs to.
             */
            organization_id?: string | null;
            role: components["schemas"]["Role"];
        };
        /**
         * @description One message of the conversation, as the client sends it.
         *
         *     `Debug` shows the role and length only, so a stray `{:?}` never logs what a
         *     user wrote.
         */
        Message: {
            /** @description The text, 1 to 1,000 characters. */
            content: string;
            /** @description Who wrote it. */
            role: components["schemas"]["MessageRole"];
        };
        /**
         * @description Who wrote a message. Clients may only send these two; the system prompt is
         *     always Kennel's own.
         * @enum {string}
         */
        MessageRole: "user" | "assistant";
        Money: {
            /**
             * Format: int64
             * @description Amount in the currency's minor unit (cents).
             */
            amount_cents: number;
            /** @description ISO 4217 currency code. */
            currency: string;
        };
        NewInquiry: {
            contact_preference: components["schemas"]["ContactPreference"];
            /**
             * @description 1 to 2,000 characters (surrounding spaces are dropped); line breaks allowed,
             *     other control characters and bidirectional overrides/isolates not; stored in NFC.
             */
            message: string;
        };
        NewPushToken: {
            /**
             * @description `ios` or `android`.
             * @example ios
             */
            platform: string;
            /**
             * @description The token from `getExpoPushTokenAsync`: `ExponentPushToken[…]` or
             *     `ExpoPushToken[…]`.
             * @example ExponentPushToken[xxxxxxxxxxxxxxxxxxxxxx]
             */
            token: string;
        };
        NewReply: {
            /**
             * @description 1 to 2,000 characters (surrounding spaces are dropped); line breaks allowed,
             *     other control characters and bidirectional overrides/isolates not; stored in NFC.
             */
            message: string;
        };
        NewSavedSearch: {
            /** @description 1 to 80 characters on one line; unique among the user's searches. */
            name: string;
            /**
             * @description A browse query string as sent to `GET /v1/puppies` (checked by the same
             *     rules); `cursor` and `limit` are dropped.
             */
            query: string;
        };
        /** @description A saved search just opened, and since when its listings are new. */
        OpenedSearch: {
            /**
             * Format: date-time
             * @description The visit before this one (its creation, the first time): puppies with
             *     a later `listed_at` are new to the user.
             */
            new_since: string;
            search: components["schemas"]["SavedSearch"];
        };
        /** @description An organisation's public profile. */
        Organization: {
            /** Format: int64 */
            available_puppies: number;
            city: string;
            country: string;
            description: string;
            /** Format: uuid */
            id: string;
            kind: components["schemas"]["OrganizationKind"];
            /** Format: double */
            latitude: number;
            /** Format: double */
            longitude: number;
            name: string;
            region: string;
            slug: string;
            website?: string | null;
        };
        /**
         * @description Kind of organisation listing puppies.
         * @enum {string}
         */
        OrganizationKind: "shelter" | "rescue" | "breeder";
        /** @description The organisation a thread is with. */
        OrganizationName: {
            /** Format: uuid */
            id: string;
            name: string;
        };
        /** @description The public summary of an organisation (no private contact details). */
        OrganizationSummary: {
            city: string;
            /** @description ISO 3166-1 alpha-2 country code. */
            country: string;
            /** Format: uuid */
            id: string;
            kind: components["schemas"]["OrganizationKind"];
            /** Format: double */
            latitude: number;
            /** Format: double */
            longitude: number;
            name: string;
            region: string;
            slug: string;
            website?: string | null;
        };
        /** @description The outbox at a glance. */
        OutboxSummary: {
            /**
             * Format: int64
             * @description Messages that will not be tried again unless retried.
             */
            dead: number;
            /** @description The newest dead messages (at most 100). */
            dead_messages: components["schemas"]["DeadMail"][];
            /**
             * Format: int64
             * @description How long the oldest pending message has waited, in seconds.
             */
            oldest_pending_seconds?: number | null;
            /**
             * Format: int64
             * @description Messages waiting to be delivered (due now or retrying later).
             */
            pending: number;
        };
        PasswordResetConfirmation: {
            /** @description 10 to 128 characters, not the email address. */
            new_password: string;
            /** @description The `token` of the link in the reset message. */
            token: string;
        };
        PasswordResetRequest: {
            /** Format: email */
            email: string;
        };
        Photo: {
            /** @description Alternative text for screen readers. */
            alt: string;
            /** Format: int32 */
            height: number;
            /** Format: uuid */
            id: string;
            /** @description The size variants, smallest first. */
            variants: components["schemas"]["PhotoVariant"][];
            /**
             * Format: int32
             * @description Size of the largest variant.
             */
            width: number;
        };
        /** @description A puppy's photos, in display order. */
        PhotoList: {
            photos: components["schemas"]["Photo"][];
        };
        /** @description The new order of a puppy's photos: each of its photo ids exactly once. */
        PhotoOrder: {
            photo_ids: string[];
        };
        /**
         * @description The multipart form of a photo upload: only `photo` parts; any other part is
         *     refused (400).
         */
        PhotoUpload: {
            /** @description One to four photos (JPEG, PNG or WebP; up to 10 MB each), each a part named `photo`. */
            photo: string[];
        };
        PhotoVariant: {
            /** Format: int32 */
            height: number;
            /** @description Absolute URL of this JPEG variant. */
            url: string;
            /** Format: int32 */
            width: number;
        };
        /** @description An RFC 9457 problem details document, as sent to clients. */
        Problem: {
            /** @description Stable, machine-readable error code. */
            code: string;
            detail?: string | null;
            /** @description Per-field messages for validation failures. */
            errors?: components["schemas"]["FieldError"][];
            /** @description The request id, also in the `x-request-id` response header. */
            request_id?: string | null;
            /** Format: int32 */
            status: number;
            title: string;
            /** @description A URI naming the problem type: `urn:kennel:problem:<code>`. */
            type: string;
        };
        /** @description One puppy with everything known about it. */
        PuppyDetail: components["schemas"]["PuppySummary"] & {
            description: string;
            house_trained: boolean;
            neutered: boolean;
            /** @description Every photo, in display order. */
            photos: components["schemas"]["Photo"][];
            vaccinated: boolean;
        };
        /**
         * @description A listing's fields. For `POST` the required ones are marked; for `PATCH`
         *     every field is optional and only those sent change (`good_with` replaces all
         *     three answers; `secondary_breed: null` removes it).
         */
        PuppyInput: {
            /**
             * Format: int64
             * @description Adoption fee in cents; required on create.
             */
            adoption_fee_cents?: number | null;
            /**
             * Format: date
             * @description Required on create; not in the future.
             */
            birth_date?: string | null;
            /** @description Breed slug; required on create. */
            breed?: string | null;
            coat?: null | components["schemas"]["Coat"];
            /**
             * @description Required on create. 1 to 40 characters (surrounding spaces are dropped), same
             *     rules as `name`.
             */
            colour?: string | null;
            /** @description ISO 4217 code (any case); defaults to USD. */
            currency?: string | null;
            /**
             * @description Up to 5,000 characters; line breaks and tabs allowed, other control
             *     characters and bidirectional overrides/isolates not; stored in Unicode NFC.
             */
            description?: string | null;
            good_with?: null | components["schemas"]["GoodWithInput"];
            house_trained?: boolean | null;
            /** @description A mix of breeds (always true when `secondary_breed` is set). */
            mixed?: boolean | null;
            /**
             * @description Required on create. 1 to 60 characters (surrounding spaces are dropped),
             *     no control characters or bidirectional overrides/isolates, not only
             *     invisible ones; stored in Unicode NFC.
             */
            name?: string | null;
            neutered?: boolean | null;
            /**
             * Format: uuid
             * @description Admins only, on create: the organisation the puppy belongs to.
             */
            organization_id?: string | null;
            secondary_breed?: string | null;
            sex?: null | components["schemas"]["Sex"];
            size?: null | components["schemas"]["Size"];
            status?: null | components["schemas"]["Status"];
            vaccinated?: boolean | null;
        };
        PuppyName: {
            /** Format: uuid */
            id: string;
            name: string;
        };
        /** @description One page of a list. */
        PuppyPage: {
            items: components["schemas"]["PuppySummary"][];
            /** @description Pass as `cursor` to get the next page; `null` on the last page. */
            next_cursor?: string | null;
        };
        /** @description A puppy as shown in the browse list. */
        PuppySummary: {
            adoption_fee: components["schemas"]["Money"];
            age_group: components["schemas"]["AgeGroup"];
            /**
             * Format: int32
             * @description Whole months of age today.
             */
            age_months: number;
            /** Format: date */
            birth_date: string;
            breed: components["schemas"]["BreedRef"];
            coat: components["schemas"]["Coat"];
            colour: string;
            /**
             * Format: double
             * @description Distance from `near` in km; only when `near` was given.
             */
            distance_km?: number | null;
            good_with: components["schemas"]["GoodWithFacts"];
            /** Format: uuid */
            id: string;
            /** Format: date-time */
            listed_at: string;
            mixed: boolean;
            name: string;
            organization: components["schemas"]["OrganizationSummary"];
            photo?: null | components["schemas"]["Photo"];
            secondary_breed?: null | components["schemas"]["BreedRef"];
            sex: components["schemas"]["Sex"];
            size: components["schemas"]["Size"];
            status: components["schemas"]["Status"];
        };
        /** @description One device that receives push notifications. */
        PushToken: {
            /** Format: date-time */
            created_at: string;
            /** @description `ios` or `android`. */
            platform: string;
            /** @description The Expo push token, `ExponentPushToken[…]`. */
            token: string;
        };
        PushTokenList: {
            items: components["schemas"]["PushToken"][];
        };
        Readiness: {
            database: string;
            schema: string;
            status: string;
        };
        RegisterRequest: {
            /**
             * @description 1 to 80 characters (surrounding spaces are dropped), no control characters or
             *     bidirectional overrides/isolates, not only invisible ones; stored in Unicode NFC.
             */
            display_name: string;
            /** Format: email */
            email: string;
            /** @description 10 to 128 characters, not the email address. */
            password: string;
        };
        /**
         * @description The answer to a registration, the same whether or not the address already
         *     had an account, so registering cannot be used to learn who has one.
         */
        RegistrationAccepted: {
            /** @description The address as it will be used to sign in (trimmed, lower-case). */
            email: string;
            /** @description What to do next: sign in with the address and password just sent. */
            next: components["schemas"]["RegistrationNext"];
        };
        /** @enum {string} */
        RegistrationNext: "sign_in";
        Reply: {
            author_role: components["schemas"]["Side"];
            /** Format: date-time */
            created_at: string;
            /** Format: uuid */
            id: string;
            message: string;
        };
        /**
         * @description What a user may do. Staff belong to exactly one organisation.
         * @enum {string}
         */
        Role: "adopter" | "staff" | "admin";
        /** @description Browse filters kept under a name. */
        SavedSearch: {
            /** Format: date-time */
            created_at: string;
            /** Format: uuid */
            id: string;
            /**
             * Format: date-time
             * @description The last time it was opened (`null`: never).
             */
            last_opened_at?: string | null;
            name: string;
            /** @description A paused search is kept but sends no notifications. */
            paused: boolean;
            /**
             * @description The browse query string (`GET /v1/puppies?<query>`), without `cursor`
             *     and `limit`.
             */
            query: string;
        };
        SavedSearchChanges: {
            name?: string | null;
            paused?: boolean | null;
        };
        /** @description The user's saved searches, newest first. */
        SavedSearchList: {
            items: components["schemas"]["SavedSearch"][];
        };
        Session: {
            /** Format: date-time */
            expires_at: string;
            /**
             * @description Send as `Authorization: Bearer <token>`. Shown once; keep it secret.
             *     Absent when the session was started as a cookie (`cookie: true`).
             */
            token?: string | null;
            user: components["schemas"]["Me"];
        };
        SetAssignee: {
            /**
             * Format: uuid
             * @description A staff member of the thread's organisation, or `null` to unassign.
             *     Required: a body without it is refused rather than read as `null`.
             */
            assignee: string | null;
        };
        SetInquiryStatus: {
            status: components["schemas"]["InquiryStatusChange"];
        };
        SetRoleRequest: {
            /**
             * Format: uuid
             * @description Required for `staff` (their organisation); must be absent otherwise.
             */
            organization_id?: string | null;
            role: components["schemas"]["Role"];
        };
        /**
         * @description Sex of the puppy.
         * @enum {string}
         */
        Sex: "female" | "male";
        /**
         * @description The two parties of a thread: the adopter who asked, and the organisation's
         *     staff, who share one read mark (an inbox a team works through together). As a
         *     message's `author_role`, who wrote it.
         * @enum {string}
         */
        Side: "adopter" | "staff";
        /**
         * @description Expected adult size.
         * @enum {string}
         */
        Size: "small" | "medium" | "large" | "giant";
        /**
         * @description Sort orders of the browse list. A leading `-` reverses the order.
         * @enum {string}
         */
        Sort: "newest" | "-newest" | "distance" | "-distance" | "fee" | "-fee";
        /**
         * @description Adoption status of a listing.
         * @enum {string}
         */
        Status: "available" | "pending" | "adopted";
        /**
         * @description The status of a thread.
         * @enum {string}
         */
        ThreadStatus: "open" | "answered" | "closed";
        TokenConfirmation: {
            /** @description The `token` of the link in the message. */
            token: string;
        };
        /** @description What the caller has not read yet. */
        UnreadCounts: {
            /** Format: int64 */
            messages: number;
            /**
             * Format: int64
             * @description Threads with at least one unread message.
             */
            threads: number;
        };
        /**
         * @description Changes to the own account. Changing the email or password needs the current
         *     password; a new password signs out every other session. A new email is not
         *     used at once: a confirmation link goes to the new address (or, when it has
         *     an account already, a notice instead; the answer is the same), and the
         *     account moves to it when the link is followed
         *     (`POST /v1/auth/email-change/confirm`).
         */
        UpdateMeRequest: {
            /** @description Email me when someone writes in one of my conversations. */
            conversation_email?: boolean | null;
            /** @description Required with `email` or `new_password`. */
            current_password?: string | null;
            /**
             * @description 1 to 80 characters (surrounding spaces are dropped), no control characters or
             *     bidirectional overrides/isolates, not only invisible ones; stored in Unicode NFC.
             */
            display_name?: string | null;
            /** Format: email */
            email?: string | null;
            new_match_alerts?: null | components["schemas"]["AlertChannel"];
            /** @description 10 to 128 characters, not the email address. */
            new_password?: string | null;
        };
    };
    responses: {
        /** @description Invalid fields, path ids or query parameters, or a JSON body that does not parse or lacks the documented shape (`validation_failed`, each field at fault in `errors`; `body` for the document as a whole) */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The body is over 64 KiB (`payload_too_large`) */
        PayloadTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Over the rate limit (`rate_limited`); retry after `Retry-After` seconds */
        TooManyRequests: {
            headers: {
                /** @description Seconds to wait before retrying */
                "Retry-After"?: number;
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Not signed in, or the session ended */
        Unauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The server is busy (`overloaded`), the request took too long (`timeout`), the database is unavailable (`database_unavailable`) or this instance cannot serve yet (`schema_outdated`); retry after `Retry-After` seconds */
        Unavailable: {
            headers: {
                /** @description Seconds to wait before retrying */
                "Retry-After"?: number;
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The body is not `application/json` (`unsupported_media_type`) */
        UnsupportedMediaType: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    healthz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Alive */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    readyz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
            /** @description Not ready; `detail` says why */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    audit_log: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 100 (default 20). */
                limit?: number;
                /** @description The `next_cursor` of the previous page (opaque; only this list takes it). */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of audit entries */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditLogPage"];
                };
            };
            /** @description Invalid parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not an administrator */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    list_flags: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The flags */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlagList"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not an administrator */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    update_flag: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Flag key, e.g. `assistant` */
                key: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FlagUpdate"];
            };
        };
        responses: {
            /** @description The flag after the change */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Flag"];
                };
            };
            /** @description Invalid change */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not an administrator */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such flag */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    outbox_status: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The outbox */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OutboxSummary"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not an administrator */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    retry_mail: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The dead message's id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Due again */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid id */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not an administrator */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No dead message with this id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    list_users: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 100 (default 20). */
                limit?: number;
                /** @description The `next_cursor` of the previous page (opaque; only this list takes it). */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of users */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminUserPage"];
                };
            };
            /** @description Invalid parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not an administrator */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    set_role: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SetRoleRequest"];
            };
        };
        responses: {
            /** @description The updated user */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Me"];
                };
            };
            /** @description Invalid role or organisation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not an administrator */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such user */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    ask: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AssistantRequest"];
            };
        };
        responses: {
            /** @description The assistant's answer (or its fixed refusal) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AssistantReply"];
                };
            };
            /** @description Too many or too long messages, or the last is not the user's */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such puppy */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Over the per-minute limit or the daily quota (`rate_limited`) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Feature temporarily unavailable (`feature_unavailable`): switched off or the provider is failing */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    confirm_email_change: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TokenConfirmation"];
            };
        };
        responses: {
            /** @description The account now signs in with the new, confirmed address */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad, expired or used token */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Another account took the address after the link was sent */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginRequest"];
            };
        };
        responses: {
            /** @description Signed in */
            200: {
                headers: {
                    /** @description With `cookie: true`: the web session `kennel_session` (`HttpOnly; Secure; SameSite=Strict`) */
                    "Set-Cookie"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            400: components["responses"]["BadRequest"];
            /** @description Wrong email or password */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Signed out */
            204: {
                headers: {
                    /** @description Clears `kennel_session` when the request carried it */
                    "Set-Cookie"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in by cookie without `X-Kennel-Client` (`csrf_header_missing`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    request_password_reset: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasswordResetRequest"];
            };
        };
        responses: {
            /** @description If the address has an account, a reset link is on its way */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MailQueued"];
                };
            };
            /** @description Not an email address */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Too many requests from this client */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            503: components["responses"]["Unavailable"];
        };
    };
    confirm_password_reset: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasswordResetConfirmation"];
            };
        };
        responses: {
            /** @description Password changed; every session was signed out */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad, expired or used token, or an invalid password */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    register: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegisterRequest"];
            };
        };
        responses: {
            /** @description Accepted: an account for this address exists now (it may have existed before, with another password); sign in next */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RegistrationAccepted"];
                };
            };
            /** @description Invalid fields */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    verify_email: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TokenConfirmation"];
            };
        };
        responses: {
            /** @description The address is confirmed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad, expired or used token */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    list_breeds: {
        parameters: {
            query?: never;
            header?: {
                /** @description `ETag`s of copies the client holds, or `*`: 304 when one is current */
                "If-None-Match"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description All breeds */
            200: {
                headers: {
                    /** @description `public, max-age=…, stale-while-revalidate=…` when anonymous; `private, no-cache` with `Authorization` */
                    "Cache-Control"?: string;
                    /** @description Weak tag of the body's bytes, for `If-None-Match` */
                    ETag?: string;
                    /** @description `accept-encoding` (and `authorization` with `Authorization`) */
                    Vary?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BreedList"];
                };
            };
            /** @description Not modified: `If-None-Match` names the current answer; no body */
            304: {
                headers: {
                    /** @description As for 200 */
                    "Cache-Control"?: string;
                    /** @description The current tag */
                    ETag?: string;
                    /** @description As for 200 */
                    Vary?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    client_config: {
        parameters: {
            query?: never;
            header?: {
                /** @description A stable random id of the device (8–64 of A-Z a-z 0-9 - _), for sticky rollouts when signed out */
                "X-Device-Id"?: string | null;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Flags for this caller */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClientConfig"];
                };
            };
            /** @description An Authorization header that is not a live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    unsubscribe_page: {
        parameters: {
            query?: {
                /** @description The token from the email's link (without it, the answer is 400). */
                token?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page with the button that unsubscribes */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description Not a valid unsubscribe link */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    unsubscribe: {
        parameters: {
            query?: {
                /** @description The token from the email's link (without it, the answer is 400). */
                token?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Unsubscribed; a page saying so */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description Not a valid unsubscribe link */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    get_inquiry: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Inquiry id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The inquiry */
            200: {
                headers: {
                    /** @description The thread's version, for `If-Match` */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Inquiry"];
                };
            };
            400: components["responses"]["BadRequest"];
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such inquiry (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    set_assignee: {
        parameters: {
            query?: never;
            header: {
                /** @description The ETag from GET /v1/inquiries/{id} */
                "If-Match": string;
            };
            path: {
                /** @description Inquiry id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SetAssignee"];
            };
        };
        responses: {
            /** @description The inquiry */
            200: {
                headers: {
                    /** @description The thread's new version */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Inquiry"];
                };
            };
            /** @description Not a staff member of this organisation, or a malformed If-Match */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Only the organisation's staff */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such inquiry (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Changed since the ETag in If-Match */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description If-Match missing */
            428: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    mark_read: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Inquiry id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Marked read */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Admins keep no read mark */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such inquiry (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    reply: {
        parameters: {
            query?: never;
            header?: {
                /** @description 1 to 255 visible ASCII characters (a fresh UUID per message): a retry with the same key and body replays the first answer */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description Inquiry id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewReply"];
            };
        };
        responses: {
            /** @description The inquiry with the new reply (or, with `Idempotent-Replayed: true`, as first answered) */
            201: {
                headers: {
                    /** @description The thread's version, for `If-Match` */
                    ETag?: string;
                    /** @description `true` when this answers an earlier request with the same `Idempotency-Key` */
                    "Idempotent-Replayed"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Inquiry"];
                };
            };
            /** @description Invalid message or Idempotency-Key */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The account's address is not confirmed yet (`email_unverified`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such inquiry (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A request with this Idempotency-Key is still running (`request_in_progress`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description The Idempotency-Key was used for a different request (`idempotency_key_reused`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    set_status: {
        parameters: {
            query?: never;
            header?: {
                /** @description The ETag from GET /v1/inquiries/{id}: refuse (412) if the thread changed since */
                "If-Match"?: string;
            };
            path: {
                /** @description Inquiry id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SetInquiryStatus"];
            };
        };
        responses: {
            /** @description The inquiry */
            200: {
                headers: {
                    /** @description The thread's new version */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Inquiry"];
                };
            };
            400: components["responses"]["BadRequest"];
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Only the organisation's staff */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such inquiry (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Changed since the ETag in If-Match */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    get_me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The account */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Me"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    delete_me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    update_me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateMeRequest"];
            };
        };
        responses: {
            /** @description The updated account */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Me"];
                };
            };
            /** @description Invalid fields */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    list_favorites: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 100 (default 20). */
                limit?: number;
                /** @description The `next_cursor` of the previous page (opaque; only this list takes it). */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of favourites */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PuppyPage"];
                };
            };
            /** @description Invalid parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    add_favorite: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Puppy id */
                puppy_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Saved */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such puppy */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    remove_favorite: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Puppy id */
                puppy_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    my_inquiries: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 100 (default 20). */
                limit?: number;
                /** @description The `next_cursor` of the previous page (opaque; only this list takes it). */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of inquiries */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InquiryPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    list_push_tokens: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The devices */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PushTokenList"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    register_push_token: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewPushToken"];
            };
        };
        responses: {
            /** @description Known already; now this account's */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PushToken"];
                };
            };
            /** @description Registered */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PushToken"];
                };
            };
            /** @description Not an Expo push token, or an unknown platform */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            /** @description Push notifications are switched off (`feature_unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    delete_push_token: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The push token, URL-encoded */
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not one of this account's devices */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    list_saved_searches: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The saved searches */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SavedSearchList"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    create_saved_search: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewSavedSearch"];
            };
        };
        responses: {
            /** @description Saved */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SavedSearch"];
                };
            };
            /** @description Invalid name or query (each fault of the query is reported on `query`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description At the limit (`saved_search_limit`) or the name is used (`saved_search_name_taken`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    delete_saved_search: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Saved search id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid id */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such saved search of yours */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    update_saved_search: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Saved search id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SavedSearchChanges"];
            };
        };
        responses: {
            /** @description Changed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SavedSearch"];
                };
            };
            /** @description Invalid name */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such saved search of yours */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The name is used (`saved_search_name_taken`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    open_saved_search: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Saved search id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Opened */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenedSearch"];
                };
            };
            /** @description Invalid id */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such saved search of yours */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    my_unread: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Unread threads and messages */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UnreadCounts"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    resend_verification: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A confirmation link is on its way, unless the address is confirmed */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MailQueued"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    get_organization: {
        parameters: {
            query?: never;
            header?: {
                /** @description `ETag`s of copies the client holds, or `*`: 304 when one is current */
                "If-None-Match"?: string;
            };
            path: {
                /** @description Organisation id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The organisation */
            200: {
                headers: {
                    /** @description `public, max-age=…, stale-while-revalidate=…` when anonymous; `private, no-cache` with `Authorization` */
                    "Cache-Control"?: string;
                    /** @description Weak tag of the body's bytes, for `If-None-Match` */
                    ETag?: string;
                    /** @description `accept-encoding` (and `authorization` with `Authorization`) */
                    Vary?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Organization"];
                };
            };
            /** @description Not modified: `If-None-Match` names the current answer; no body */
            304: {
                headers: {
                    /** @description As for 200 */
                    "Cache-Control"?: string;
                    /** @description The current tag */
                    ETag?: string;
                    /** @description As for 200 */
                    Vary?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed id */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such organisation */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    organization_inquiries: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 100 (default 20). */
                limit?: number;
                /** @description The `next_cursor` of the previous page (opaque; only this list takes it). */
                cursor?: string;
                /**
                 * @description Only these statuses: a comma-separated list of `open`, `answered`, `closed`.
                 * @example open,answered
                 */
                status?: string;
                /**
                 * @description `me`, `none` (unassigned) or a staff member's user id.
                 * @example me
                 */
                assignee?: string;
            };
            header?: never;
            path: {
                /** @description Organisation id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of inquiries */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InquiryPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not this organisation's staff */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    get_photo_variant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Photo id */
                id: string;
                /**
                 * @description Variant file, `<width>.jpg`
                 * @example 640.jpg
                 */
                variant: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The image */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "image/jpeg": number[];
                };
            };
            /** @description Not modified (matching If-None-Match) */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            /** @description No such photo or variant */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            503: components["responses"]["Unavailable"];
        };
    };
    list_puppies: {
        parameters: {
            query?: {
                /**
                 * @description Breed slugs (see `GET /v1/breeds`); matches the primary or secondary breed.
                 * @example [
                 *       "beagle"
                 *     ]
                 */
                breed?: string[];
                /** @description Expected adult sizes. */
                size?: components["schemas"]["Size"][];
                /** @description Sex. */
                sex?: components["schemas"]["Sex"][];
                /** @description Age groups, derived from the birth date. */
                age?: components["schemas"]["AgeGroup"][];
                /** @description Coat types. */
                coat?: components["schemas"]["Coat"][];
                /** @description Only puppies known to be good with all of these. */
                good_with?: components["schemas"]["GoodWith"][];
                /** @description Listing statuses; `available` when omitted. */
                status?: components["schemas"]["Status"][];
                /** @description Only this organisation's puppies. */
                organization?: string;
                /**
                 * @description A point as `latitude,longitude`; each result then carries `distance_km`.
                 * @example 45.5152,-122.6784
                 */
                near?: string;
                /** @description Search radius around `near` in km (default 50, at most 1000). */
                radius_km?: number;
                /** @description Free text matched against name, breed, colour and description (word prefixes). */
                q?: string;
                /** @description Sort order (default `newest`); `distance` needs `near`. */
                sort?: components["schemas"]["Sort"];
                /** @description Page size, 1 to 100 (default 20). */
                limit?: number;
                /** @description The `next_cursor` of the previous page (opaque; only the same sort order takes it). */
                cursor?: string;
            };
            header?: {
                /** @description `ETag`s of copies the client holds, or `*`: 304 when one is current */
                "If-None-Match"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of puppies */
            200: {
                headers: {
                    /** @description `public, max-age=…, stale-while-revalidate=…` when anonymous; `private, no-cache` with `Authorization` */
                    "Cache-Control"?: string;
                    /** @description Weak tag of this page's bytes, for `If-None-Match` */
                    ETag?: string;
                    /** @description `accept-encoding` (and `authorization, cookie` when signed in) */
                    Vary?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PuppyPage"];
                };
            };
            /** @description Not modified: `If-None-Match` names the current page; no body */
            304: {
                headers: {
                    /** @description As for 200 */
                    "Cache-Control"?: string;
                    /** @description The current tag */
                    ETag?: string;
                    /** @description As for 200 */
                    Vary?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid parameters; each bad field is listed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            /** @description Database unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    create_puppy: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PuppyInput"];
            };
        };
        responses: {
            /** @description Created; `ETag` holds its version */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PuppyDetail"];
                };
            };
            /** @description Invalid fields */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not staff */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    get_puppy: {
        parameters: {
            query?: never;
            header?: {
                /** @description `ETag`s of copies the client holds, or `*`: 304 when one is current */
                "If-None-Match"?: string;
            };
            path: {
                /** @description Puppy id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The puppy; `ETag` holds its version (for `If-Match`) and a hash of the body (for `If-None-Match`) */
            200: {
                headers: {
                    /** @description `public, max-age=…, stale-while-revalidate=…` when anonymous; `private, no-cache` with `Authorization` */
                    "Cache-Control"?: string;
                    /** @description `W/"<version>-<hash>"` */
                    ETag?: string;
                    /** @description `accept-encoding` (and `authorization, cookie` when signed in) */
                    Vary?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PuppyDetail"];
                };
            };
            /** @description Not modified: `If-None-Match` names the current detail; no body */
            304: {
                headers: {
                    /** @description As for 200 */
                    "Cache-Control"?: string;
                    /** @description The current tag */
                    ETag?: string;
                    /** @description As for 200 */
                    Vary?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed id */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such puppy */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    delete_puppy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Puppy id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not this organisation's staff */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such puppy */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Changed since the ETag in If-Match */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    update_puppy: {
        parameters: {
            query?: never;
            header: {
                /** @description The ETag from GET /v1/puppies/{id} */
                "If-Match": string;
            };
            path: {
                /** @description Puppy id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PuppyInput"];
            };
        };
        responses: {
            /** @description Saved; `ETag` holds the new version */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PuppyDetail"];
                };
            };
            /** @description Invalid fields */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not this organisation's staff */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such puppy */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Changed by someone else since the ETag was read */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description If-Match missing */
            428: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    create_inquiry: {
        parameters: {
            query?: never;
            header?: {
                /** @description 1 to 255 visible ASCII characters (a fresh UUID per message): a retry with the same key and body replays the first answer */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description Puppy id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewInquiry"];
            };
        };
        responses: {
            /** @description Sent (or, with `Idempotent-Replayed: true`, sent before) */
            201: {
                headers: {
                    /** @description The thread's version, for `If-Match` */
                    ETag?: string;
                    /** @description `true` when this answers an earlier request with the same `Idempotency-Key` */
                    "Idempotent-Replayed"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Inquiry"];
                };
            };
            /** @description Invalid fields or Idempotency-Key */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The account's address is not confirmed yet (`email_unverified`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such puppy */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A request with this Idempotency-Key is still running (`request_in_progress`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description The Idempotency-Key was used for a different request (`idempotency_key_reused`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            /** @description Inquiries are switched off (`feature_unavailable`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    upload_photos: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Puppy id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": components["schemas"]["PhotoUpload"];
            };
        };
        responses: {
            /** @description Added; every photo of the puppy, in order */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PhotoList"];
                };
            };
            /** @description No photo, more than 4, or an unexpected part */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not this organisation's staff */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such puppy */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The puppy would have more than 12 photos (`photo_limit_reached`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A photo over 10 MB, or the body over 40 MB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not multipart, or a photo that is not JPEG, PNG or WebP (HEIC included) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A damaged image (`invalid_image`), one over 12,000 px a side or 40 megapixels (`image_too_large`), or under 200 px (`image_too_small`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            /** @description Photo uploads are switched off (`feature_unavailable`), or photo storage or the database is unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    reorder_photos: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Puppy id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PhotoOrder"];
            };
        };
        responses: {
            /** @description Every photo of the puppy, in the new order */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PhotoList"];
                };
            };
            /** @description The ids are not exactly the puppy's photos */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not this organisation's staff */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such puppy */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    delete_photo: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Puppy id */
                id: string;
                /** @description Photo id */
                photo_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not this organisation's staff */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such puppy, or no such photo of it */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
}
