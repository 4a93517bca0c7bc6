//! Conversations on inquiry threads: read marks per side and unread counts,
//! thread lists by newest activity with cursor paging, the staff inbox's
//! filters, assignment under `If-Match`, `Idempotency-Key` on messages, who may
//! use each route, and what deleting an account leaves.

use std::collections::HashSet;

use chrono::{Duration, Utc};
use kennel::domain::paging::PageRequest;
use kennel::store::idempotency::Claim;
use kennel::store::inquiries::InquiryScope;
use kennel::store::{Param, PoolSettings, Store};
use reqwest::{Method, Response};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::admin::admin_token;
use crate::both_databases;
use crate::fixtures::{self, PuppySpec};
use crate::support::{assert_problem, Db, TestApp};

struct User {
    token: String,
    id: String,
}

/// Two organisations with puppies, an admin, two adopters, two staff of the
/// first organisation and one of the second.
struct World {
    app: TestApp,
    admin: User,
    org: String,
    other_org: String,
    puppies: Vec<String>,
    other_puppy: String,
    adopter: User,
    other_adopter: User,
    staff: User,
    colleague: User,
    other_staff: User,
}

pub async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
    headers: &[(&str, &str)],
) -> Response {
    let mut request = app.client.request(method, app.url(path));
    if let Some(t) = token {
        request = request.bearer_auth(t);
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if let Some(b) = body {
        request = request.json(&b);
    }
    request.send().await.unwrap()
}

async fn json_of(response: Response, status: u16) -> Value {
    let got = response.status().as_u16();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(got, status, "{body}");
    body
}

async fn account(app: &TestApp, admin: &str, email: &str, staff_of: Option<&str>) -> User {
    let name = email.split('@').next().unwrap();
    let body = crate::support::sign_up_verified(app, email, name).await;
    let id = body["user"]["id"].as_str().unwrap().to_string();
    if let Some(org) = staff_of {
        let r = call(
            app,
            Method::PUT,
            &format!("/v1/admin/users/{id}/role"),
            Some(admin),
            Some(json!({"role": "staff", "organization_id": org})),
            &[],
        )
        .await;
        assert_eq!(r.status(), 200);
    }
    User {
        token: body["token"].as_str().unwrap().to_string(),
        id,
    }
}

async fn world(db: Db) -> World {
    let app = TestApp::spawn_empty(db).await;
    let (admin_token, admin_id) = admin_token(&app, "root@example.com").await;
    let breed = fixtures::breed(&app.store, "mutt", "Mutt").await;
    let org = fixtures::organization(&app.store, "north", 45.0, -122.0).await;
    let other_org = fixtures::organization(&app.store, "south", 40.0, -120.0).await;
    let mut puppies = Vec::new();
    for i in 0..8 {
        let id = fixtures::puppy(&app.store, PuppySpec::new(&format!("Pup {i}"), breed, org)).await;
        puppies.push(id.to_string());
    }
    let other_puppy = fixtures::puppy(&app.store, PuppySpec::new("Far", breed, other_org))
        .await
        .to_string();
    let (org, other_org) = (org.to_string(), other_org.to_string());
    let adopter = account(&app, &admin_token, "ada@example.com", None).await;
    let other_adopter = account(&app, &admin_token, "eve@example.com", None).await;
    let staff = account(&app, &admin_token, "sam@example.com", Some(&org)).await;
    let colleague = account(&app, &admin_token, "cody@example.com", Some(&org)).await;
    let other_staff = account(&app, &admin_token, "olga@example.com", Some(&other_org)).await;
    World {
        app,
        admin: User {
            token: admin_token,
            id: admin_id.to_string(),
        },
        org,
        other_org,
        puppies,
        other_puppy,
        adopter,
        other_adopter,
        staff,
        colleague,
        other_staff,
    }
}

impl World {
    async fn ask(&self, who: &User, puppy: &str, message: &str) -> String {
        let r = call(
            &self.app,
            Method::POST,
            &format!("/v1/puppies/{puppy}/inquiries"),
            Some(&who.token),
            Some(json!({"message": message, "contact_preference": "app"})),
            &[],
        )
        .await;
        json_of(r, 201).await["id"].as_str().unwrap().to_string()
    }

    async fn reply(&self, who: &User, thread: &str, message: &str) -> Value {
        let r = call(
            &self.app,
            Method::POST,
            &format!("/v1/inquiries/{thread}/replies"),
            Some(&who.token),
            Some(json!({ "message": message })),
            &[],
        )
        .await;
        json_of(r, 201).await
    }

    async fn read(&self, who: &User, thread: &str) {
        let r = call(
            &self.app,
            Method::POST,
            &format!("/v1/inquiries/{thread}/read"),
            Some(&who.token),
            None,
            &[],
        )
        .await;
        assert_eq!(r.status(), 204);
    }

    async fn unread(&self, who: &User) -> (i64, i64) {
        let r = call(
            &self.app,
            Method::GET,
            "/v1/me/unread",
            Some(&who.token),
            None,
            &[],
        )
        .await;
        let body = json_of(r, 200).await;
        (
            body["threads"].as_i64().unwrap(),
            body["messages"].as_i64().unwrap(),
        )
    }

    async fn get(&self, who: &str, path: &str) -> Value {
        json_of(
            call(&self.app, Method::GET, path, Some(who), None, &[]).await,
            200,
        )
        .await
    }

    /// Every item of a thread list, following `next_cursor`, and the page count.
    async fn all(&self, who: &str, path: &str) -> (Vec<Value>, usize) {
        let separator = if path.contains('?') { '&' } else { '?' };
        let mut items = Vec::new();
        let mut url = path.to_string();
        for pages in 1..100 {
            let page = self.get(who, &url).await;
            items.extend(page["items"].as_array().unwrap().iter().cloned());
            match page["next_cursor"].as_str() {
                Some(cursor) => url = format!("{path}{separator}cursor={cursor}"),
                None => return (items, pages),
            }
        }
        panic!("paging did not end");
    }

    fn inbox(&self) -> String {
        format!("/v1/organizations/{}/inquiries", self.org)
    }

    async fn etag(&self, who: &str, thread: &str) -> String {
        let r = call(
            &self.app,
            Method::GET,
            &format!("/v1/inquiries/{thread}"),
            Some(who),
            None,
            &[],
        )
        .await;
        assert_eq!(r.status(), 200);
        r.headers()["etag"].to_str().unwrap().to_string()
    }

    async fn assign(
        &self,
        who: &str,
        thread: &str,
        assignee: Value,
        etag: Option<&str>,
    ) -> Response {
        let headers: Vec<(&str, &str)> = etag.map(|e| ("if-match", e)).into_iter().collect();
        call(
            &self.app,
            Method::PUT,
            &format!("/v1/inquiries/{thread}/assignee"),
            Some(who),
            Some(json!({ "assignee": assignee })),
            &headers,
        )
        .await
    }

    async fn audit_actions(&self) -> Vec<(String, String)> {
        let log = self
            .get(&self.admin.token, "/v1/admin/audit-log?limit=100")
            .await;
        log["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["action"].as_str().unwrap().to_string(),
                    e["target_id"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }
}

fn ids(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

fn item<'a>(items: &'a [Value], id: &str) -> &'a Value {
    items.iter().find(|i| i["id"] == id).unwrap()
}

async fn unread_counts_move_as_each_side_writes_and_reads(db: Db) {
    let w = world(db).await;
    assert_eq!(w.unread(&w.staff).await, (0, 0));

    // A new inquiry is unread for the whole staff side, not for its writer.
    let thread = w
        .ask(&w.adopter, &w.puppies[0], "Is she house-trained?")
        .await;
    assert_eq!(w.unread(&w.adopter).await, (0, 0));
    assert_eq!(w.unread(&w.staff).await, (1, 1));
    assert_eq!(w.unread(&w.colleague).await, (1, 1));
    assert_eq!(w.unread(&w.other_staff).await, (0, 0));
    let inbox = w.get(&w.staff.token, &w.inbox()).await;
    let listed = &inbox["items"][0];
    assert_eq!(listed["unread_count"], 1);
    assert_eq!(listed["last_message"]["author_role"], "adopter");
    assert_eq!(listed["last_message"]["excerpt"], "Is she house-trained?");
    assert!(listed["assignee"].is_null());
    assert_eq!(listed["version"], 1);
    // Each thread names the organisation it is with, so a list needs no other call.
    assert_eq!(listed["organization"]["id"], w.org.as_str());
    assert_eq!(listed["organization"]["name"], "Org north");
    assert_eq!(listed["organization_id"], w.org.as_str());
    assert_eq!(listed["status"], "open");

    // One staff member reads it: read for the side.
    w.read(&w.staff, &thread).await;
    assert_eq!(w.unread(&w.staff).await, (0, 0));
    assert_eq!(w.unread(&w.colleague).await, (0, 0));

    // The adopter writes twice more.
    w.reply(&w.adopter, &thread, "Also, is she vaccinated?")
        .await;
    w.reply(&w.adopter, &thread, "And neutered?").await;
    assert_eq!(w.unread(&w.staff).await, (1, 2));
    let inbox = w.get(&w.staff.token, &w.inbox()).await;
    assert_eq!(inbox["items"][0]["unread_count"], 2);
    assert_eq!(
        inbox["items"][0]["last_message"]["excerpt"],
        "And neutered?"
    );

    // Answering reads the thread for the staff side; the adopter has one unread.
    let answered = w.reply(&w.colleague, &thread, "Yes to all three.").await;
    assert_eq!(answered["status"], "answered");
    assert_eq!(answered["unread_count"], 0);
    assert_eq!(w.unread(&w.staff).await, (0, 0));
    assert_eq!(w.unread(&w.adopter).await, (1, 1));
    let mine = w.get(&w.adopter.token, "/v1/me/inquiries").await;
    assert_eq!(mine["items"][0]["unread_count"], 1);
    assert_eq!(mine["items"][0]["last_message"]["author_role"], "staff");
    let detail = w
        .get(&w.adopter.token, &format!("/v1/inquiries/{thread}"))
        .await;
    assert_eq!(detail["unread_count"], 1);
    w.read(&w.adopter, &thread).await;
    assert_eq!(w.unread(&w.adopter).await, (0, 0));

    // A second thread adds to the staff count; the first stays read.
    let second = w.ask(&w.adopter, &w.puppies[1], "Hello again").await;
    assert_eq!(w.unread(&w.staff).await, (1, 1));
    w.reply(&w.staff, &second, "Hi!").await;
    w.reply(&w.staff, &thread, "Visit any weekday.").await;
    assert_eq!(w.unread(&w.adopter).await, (2, 2));

    // Admins keep no read mark; their replies leave the staff side's count alone.
    assert_problem(
        call(
            &w.app,
            Method::POST,
            &format!("/v1/inquiries/{thread}/read"),
            Some(&w.admin.token),
            None,
            &[],
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    w.reply(&w.adopter, &second, "Thanks").await;
    assert_eq!(w.unread(&w.staff).await, (1, 1));
    w.reply(&w.admin, &second, "An admin answers").await;
    assert_eq!(w.unread(&w.staff).await, (1, 1));
    assert_eq!(w.unread(&w.admin).await, (0, 0));

    // A closed thread is reopened by the adopter's next message.
    let r = call(
        &w.app,
        Method::PUT,
        &format!("/v1/inquiries/{thread}/status"),
        Some(&w.staff.token),
        Some(json!({"status": "closed"})),
        &[],
    )
    .await;
    assert_eq!(json_of(r, 200).await["status"], "closed");
    let reopened = w.reply(&w.adopter, &thread, "One more question").await;
    assert_eq!(reopened["status"], "open");
    assert_eq!(w.unread(&w.staff).await, (2, 2));
}

async fn lists_show_newest_activity_first_and_page_without_gaps_or_duplicates(db: Db) {
    let w = world(db).await;
    let mut threads = Vec::new();
    for (i, puppy) in w.puppies.iter().enumerate().take(7) {
        threads.push(w.ask(&w.adopter, puppy, &format!("Question {i}")).await);
    }
    // Someone else's inquiry is in the inbox but not in this adopter's list.
    let foreign = w.ask(&w.other_adopter, &w.puppies[7], "Mine").await;
    // Activity reorders: the oldest two get answers, the third a follow-up.
    w.reply(&w.staff, &threads[1], "Answer 1").await;
    w.reply(&w.staff, &threads[0], "Answer 0").await;
    w.reply(&w.adopter, &threads[2], "Follow-up 2").await;
    let expected: Vec<String> = [2, 0, 1, 6, 5, 4, 3]
        .iter()
        .map(|&i| threads[i].clone())
        .collect();

    let (mine, pages) = w.all(&w.adopter.token, "/v1/me/inquiries?limit=2").await;
    assert_eq!(ids(&mine), expected);
    assert_eq!(pages, 4);
    let first = item(&mine, &threads[0]);
    assert_eq!(first["last_message"]["excerpt"], "Answer 0");
    assert_eq!(first["last_message"]["author_role"], "staff");
    assert_eq!(first["unread_count"], 1);
    assert_eq!(item(&mine, &threads[2])["unread_count"], 0);
    let times: Vec<&str> = mine
        .iter()
        .map(|i| i["last_message"]["at"].as_str().unwrap())
        .collect();
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| {
        let a: chrono::DateTime<Utc> = a.parse().unwrap();
        let b: chrono::DateTime<Utc> = b.parse().unwrap();
        b.cmp(&a)
    });
    assert_eq!(times, sorted, "newest activity first");

    let (inbox, _) = w
        .all(&w.staff.token, &format!("{}?limit=3", w.inbox()))
        .await;
    let inbox_ids = ids(&inbox);
    let mut expected_inbox = expected.clone();
    expected_inbox.insert(3, foreign);
    assert_eq!(inbox_ids, expected_inbox);
    assert_eq!(inbox_ids.iter().collect::<HashSet<_>>().len(), 8);
    assert_eq!(item(&inbox, &threads[2])["unread_count"], 2);
    assert_eq!(item(&inbox, &threads[0])["unread_count"], 0);

    // A page of exactly the rest ends the list.
    let page = w.get(&w.adopter.token, "/v1/me/inquiries?limit=7").await;
    assert_eq!(page["items"].as_array().unwrap().len(), 7);
    assert!(page["next_cursor"].is_null());

    // Bad paging is a field error, never a 500.
    for (query, field) in [
        ("cursor=nonsense", "cursor"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("status=open", "query"),
    ] {
        let r = call(
            &w.app,
            Method::GET,
            &format!("/v1/me/inquiries?{query}"),
            Some(&w.adopter.token),
            None,
            &[],
        )
        .await;
        let problem = assert_problem(r, 400, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], field, "{query}: {problem}");
    }
    // An old-style id cursor is refused, not misread.
    let r = call(
        &w.app,
        Method::GET,
        &format!("/v1/me/inquiries?cursor={}", threads[0]),
        Some(&w.adopter.token),
        None,
        &[],
    )
    .await;
    assert_problem(r, 400, "validation_failed").await;

    // A cursor is taken only by the list that made it: any other list refuses it
    // as a bad `cursor`, whatever its key.
    let next = |page: Value| page["next_cursor"].as_str().unwrap().to_string();
    let thread_cursor = next(w.get(&w.adopter.token, "/v1/me/inquiries?limit=2").await);
    let user_cursor = next(w.get(&w.admin.token, "/v1/admin/users?limit=1").await);
    let puppy_cursor = next(w.get(&w.admin.token, "/v1/puppies?limit=1").await);
    let inbox = w.inbox();
    for (path, cursor, token) in [
        ("/v1/puppies", &thread_cursor, &w.adopter.token),
        ("/v1/puppies", &user_cursor, &w.adopter.token),
        ("/v1/admin/users", &thread_cursor, &w.admin.token),
        ("/v1/admin/users", &puppy_cursor, &w.admin.token),
        ("/v1/admin/audit-log", &user_cursor, &w.admin.token),
        ("/v1/me/favorites", &thread_cursor, &w.adopter.token),
        ("/v1/me/favorites", &puppy_cursor, &w.adopter.token),
        ("/v1/me/inquiries", &user_cursor, &w.adopter.token),
        ("/v1/me/inquiries", &puppy_cursor, &w.adopter.token),
        (inbox.as_str(), &puppy_cursor, &w.staff.token),
    ] {
        let r = call(
            &w.app,
            Method::GET,
            &format!("{path}?cursor={cursor}"),
            Some(token),
            None,
            &[],
        )
        .await;
        let problem = assert_problem(r, 400, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], "cursor", "{path}: {problem}");
    }
    // Both thread lists take a thread cursor.
    let r = call(
        &w.app,
        Method::GET,
        &format!("{inbox}?cursor={thread_cursor}"),
        Some(&w.staff.token),
        None,
        &[],
    )
    .await;
    json_of(r, 200).await;
}

async fn the_inbox_filters_by_status_and_assignee(db: Db) {
    let w = world(db).await;
    let open = w.ask(&w.adopter, &w.puppies[0], "open").await;
    let answered = w.ask(&w.adopter, &w.puppies[1], "answered").await;
    w.reply(&w.staff, &answered, "done").await;
    let closed = w.ask(&w.adopter, &w.puppies[2], "closed").await;
    let r = call(
        &w.app,
        Method::PUT,
        &format!("/v1/inquiries/{closed}/status"),
        Some(&w.staff.token),
        Some(json!({"status": "closed"})),
        &[],
    )
    .await;
    assert_eq!(r.status(), 200);
    let mine = w.ask(&w.adopter, &w.puppies[3], "for sam").await;
    let theirs = w.ask(&w.adopter, &w.puppies[4], "for cody").await;
    let tag = w.etag(&w.staff.token, &mine).await;
    assert_eq!(
        w.assign(&w.staff.token, &mine, json!(w.staff.id), Some(&tag))
            .await
            .status(),
        200
    );
    let tag = w.etag(&w.staff.token, &theirs).await;
    assert_eq!(
        w.assign(&w.staff.token, &theirs, json!(w.colleague.id), Some(&tag))
            .await
            .status(),
        200
    );

    let listed = |query: String| {
        let w = &w;
        async move {
            let (items, _) = w
                .all(&w.staff.token, &format!("{}?{query}", w.inbox()))
                .await;
            let mut found = ids(&items);
            found.sort();
            found
        }
    };
    let sorted = |mut v: Vec<&String>| {
        v.sort();
        v.into_iter().cloned().collect::<Vec<_>>()
    };
    assert_eq!(
        listed("status=open".into()).await,
        sorted(vec![&open, &mine, &theirs])
    );
    assert_eq!(
        listed("status=answered,closed".into()).await,
        sorted(vec![&answered, &closed])
    );
    assert_eq!(listed("assignee=me".into()).await, vec![mine.clone()]);
    assert_eq!(
        listed(format!("assignee={}", w.colleague.id)).await,
        vec![theirs.clone()]
    );
    assert_eq!(
        listed("assignee=none&status=open&limit=1".into()).await,
        vec![open.clone()]
    );
    assert_eq!(
        listed("assignee=none".into()).await,
        sorted(vec![&open, &answered, &closed])
    );
    let inbox = w.get(&w.staff.token, &w.inbox()).await;
    let assigned = item(inbox["items"].as_array().unwrap(), &theirs);
    assert_eq!(assigned["assignee"]["id"], w.colleague.id.as_str());
    assert_eq!(assigned["assignee"]["display_name"], "cody");

    for (query, field) in [
        ("status=pending", "status"),
        ("assignee=someone", "assignee"),
        ("colour=red", "query"),
    ] {
        let r = call(
            &w.app,
            Method::GET,
            &format!("{}?{query}", w.inbox()),
            Some(&w.staff.token),
            None,
            &[],
        )
        .await;
        let problem = assert_problem(r, 400, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], field, "{query}: {problem}");
    }
}

async fn assignment_needs_if_match_and_a_staff_member_of_the_organisation(db: Db) {
    let w = world(db).await;
    let thread = w.ask(&w.adopter, &w.puppies[0], "Who handles this?").await;
    let path = format!("/v1/inquiries/{thread}");
    let tag = w.etag(&w.staff.token, &thread).await;

    assert_problem(
        w.assign(&w.staff.token, &thread, json!(w.colleague.id), None)
            .await,
        428,
        "precondition_required",
    )
    .await;
    assert_problem(
        w.assign(
            &w.staff.token,
            &thread,
            json!(w.colleague.id),
            Some("not-a-tag"),
        )
        .await,
        400,
        "validation_failed",
    )
    .await;
    // Only staff of this organisation can be assigned.
    for who in [&w.adopter.id, &w.other_staff.id, &w.admin.id] {
        let problem = assert_problem(
            w.assign(&w.staff.token, &thread, json!(who), Some(&tag))
                .await,
            400,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], "assignee");
    }
    assert_problem(
        w.assign(&w.staff.token, &thread, json!(Uuid::now_v7()), Some(&tag))
            .await,
        400,
        "validation_failed",
    )
    .await;
    // The field is required: a body without it is refused, not read as `null`.
    let r = call(
        &w.app,
        Method::PUT,
        &format!("/v1/inquiries/{thread}/assignee"),
        Some(&w.staff.token),
        Some(json!({})),
        &[("if-match", &tag)],
    )
    .await;
    let body = assert_problem(r, 400, "validation_failed").await;
    assert_eq!(
        body["errors"],
        json!([{"field": "assignee", "message": "is required"}])
    );
    // Who may assign: not the adopter, not another organisation, not anonymous.
    assert_problem(
        w.assign(&w.adopter.token, &thread, json!(w.staff.id), Some(&tag))
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        w.assign(&w.other_staff.token, &thread, json!(w.staff.id), Some(&tag))
            .await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        w.assign(
            &w.other_adopter.token,
            &thread,
            json!(w.staff.id),
            Some(&tag),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        w.assign("kn_not-a-session", &thread, json!(w.staff.id), Some(&tag))
            .await,
        401,
        "unauthorized",
    )
    .await;

    // A message since the tag was read makes it stale.
    w.reply(&w.adopter, &thread, "Anyone?").await;
    assert_problem(
        w.assign(&w.staff.token, &thread, json!(w.colleague.id), Some(&tag))
            .await,
        412,
        "precondition_failed",
    )
    .await;
    let tag = w.etag(&w.staff.token, &thread).await;
    let r = w
        .assign(&w.staff.token, &thread, json!(w.colleague.id), Some(&tag))
        .await;
    let new_tag = r.headers()["etag"].to_str().unwrap().to_string();
    let assigned = json_of(r, 200).await;
    assert_eq!(assigned["assignee"]["id"], w.colleague.id.as_str());
    assert_ne!(new_tag, tag);
    assert_eq!(new_tag, w.etag(&w.staff.token, &thread).await);
    // The old tag is now stale; the new one works, for an admin too (audited).
    assert_problem(
        w.assign(&w.staff.token, &thread, Value::Null, Some(&tag))
            .await,
        412,
        "precondition_failed",
    )
    .await;
    let r = w
        .assign(&w.admin.token, &thread, Value::Null, Some(&new_tag))
        .await;
    let tag = r.headers()["etag"].to_str().unwrap().to_string();
    assert!(json_of(r, 200).await["assignee"].is_null());
    let assignments = w
        .audit_actions()
        .await
        .into_iter()
        .filter(|(action, target)| action == "inquiry.assigned" && *target == thread)
        .count();
    assert_eq!(assignments, 2);

    // A status change honours If-Match when it is sent.
    let status = format!("{path}/status");
    w.reply(&w.adopter, &thread, "Hello?").await;
    let r = call(
        &w.app,
        Method::PUT,
        &status,
        Some(&w.staff.token),
        Some(json!({"status": "closed"})),
        &[("if-match", &tag)],
    )
    .await;
    assert_problem(r, 412, "precondition_failed").await;
    let tag = w.etag(&w.staff.token, &thread).await;
    let r = call(
        &w.app,
        Method::PUT,
        &status,
        Some(&w.staff.token),
        Some(json!({"status": "closed"})),
        &[("if-match", &tag)],
    )
    .await;
    assert!(r.headers().contains_key("etag"));
    assert_eq!(json_of(r, 200).await["status"], "closed");

    // Someone who leaves the organisation leaves their threads unassigned.
    let tag = w.etag(&w.staff.token, &thread).await;
    let r = w
        .assign(&w.staff.token, &thread, json!(w.colleague.id), Some(&tag))
        .await;
    assert_eq!(r.status(), 200);
    let r = call(
        &w.app,
        Method::PUT,
        &format!("/v1/admin/users/{}/role", w.colleague.id),
        Some(&w.admin.token),
        Some(json!({"role": "staff", "organization_id": w.other_org})),
        &[],
    )
    .await;
    assert_eq!(r.status(), 200);
    assert!(w.get(&w.staff.token, &path).await["assignee"].is_null());
}

fn reply_fingerprint(thread: &str, message: &str) -> String {
    kennel::http::idempotency::fingerprint(&json!({
        "route": "reply",
        "inquiry": thread,
        "message": message,
    }))
}

async fn messages_with_an_idempotency_key_are_sent_once(db: Db) {
    let w = world(db).await;
    let ask = format!("/v1/puppies/{}/inquiries", w.puppies[0]);
    let body = json!({"message": "Can we meet her?", "contact_preference": "email"});
    let send = |token: &str, key: &str, body: Value| {
        let (w, ask, token, key) = (&w, ask.clone(), token.to_string(), key.to_string());
        async move {
            call(
                &w.app,
                Method::POST,
                &ask,
                Some(&token),
                Some(body),
                &[("idempotency-key", &key)],
            )
            .await
        }
    };

    let first = send(&w.adopter.token, "key-1", body.clone()).await;
    assert!(first.headers().get("idempotent-replayed").is_none());
    let first = json_of(first, 201).await;
    let again = send(&w.adopter.token, "key-1", body.clone()).await;
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let again = json_of(again, 201).await;
    assert_eq!(again, first);
    let (mine, _) = w.all(&w.adopter.token, "/v1/me/inquiries").await;
    assert_eq!(mine.len(), 1, "the retry sent nothing");

    // The same key for another message is refused; another user's key is theirs.
    let other = json!({"message": "Different words", "contact_preference": "email"});
    assert_problem(
        send(&w.adopter.token, "key-1", other.clone()).await,
        422,
        "idempotency_key_reused",
    )
    .await;
    let theirs = send(&w.other_adopter.token, "key-1", body.clone()).await;
    assert!(theirs.headers().get("idempotent-replayed").is_none());
    assert_eq!(theirs.status(), 201);
    // A malformed key is a field error.
    let problem = assert_problem(
        send(&w.adopter.token, "has spaces", body.clone()).await,
        400,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "Idempotency-Key");

    // A request that failed gives its key back.
    let missing = format!("/v1/puppies/{}/inquiries", Uuid::now_v7());
    let r = call(
        &w.app,
        Method::POST,
        &missing,
        Some(&w.adopter.token),
        Some(body.clone()),
        &[("idempotency-key", "key-2")],
    )
    .await;
    assert_problem(r, 404, "not_found").await;
    assert_eq!(
        send(&w.adopter.token, "key-2", other.clone())
            .await
            .status(),
        201
    );

    // Replies: one message for two sends.
    let thread = first["id"].as_str().unwrap().to_string();
    let replies = format!("/v1/inquiries/{thread}/replies");
    let reply = |key: &'static str, message: &'static str| {
        let (w, replies) = (&w, replies.clone());
        async move {
            call(
                &w.app,
                Method::POST,
                &replies,
                Some(&w.staff.token),
                Some(json!({ "message": message })),
                &[("idempotency-key", key)],
            )
            .await
        }
    };
    assert_eq!(reply("r-1", "Of course").await.status(), 201);
    let replayed = reply("r-1", "Of course").await;
    assert_eq!(replayed.headers()["idempotent-replayed"], "true");
    assert_eq!(
        json_of(replayed, 201).await["replies"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let stored = w
        .get(&w.staff.token, &format!("/v1/inquiries/{thread}"))
        .await;
    assert_eq!(stored["replies"].as_array().unwrap().len(), 1);
    assert_problem(
        reply("r-1", "Something else").await,
        422,
        "idempotency_key_reused",
    )
    .await;

    // While the first request with a key runs, a retry is told to wait.
    let staff_id: Uuid = w.staff.id.parse().unwrap();
    let claim = w
        .app
        .store
        .claim_idempotency_key(
            staff_id,
            "r-2",
            &reply_fingerprint(&thread, "Later"),
            Utc::now(),
        )
        .await
        .unwrap();
    assert_eq!(claim, Claim::Claimed);
    assert_problem(reply("r-2", "Later").await, 409, "request_in_progress").await;
    // A claim whose request died long ago is taken over.
    let claim = w
        .app
        .store
        .claim_idempotency_key(
            staff_id,
            "r-3",
            &reply_fingerprint(&thread, "Taken over"),
            Utc::now() - Duration::minutes(10),
        )
        .await
        .unwrap();
    assert_eq!(claim, Claim::Claimed);
    let r = reply("r-3", "Taken over").await;
    assert!(r.headers().get("idempotent-replayed").is_none());
    assert_eq!(r.status(), 201);
    // After 24 hours a key may be used again, and old keys are pruned.
    let old = Utc::now() - Duration::hours(25);
    let claim = w
        .app
        .store
        .claim_idempotency_key(staff_id, "r-4", "an old request", old)
        .await
        .unwrap();
    assert_eq!(claim, Claim::Claimed);
    w.app
        .store
        .complete_idempotency_key(staff_id, "r-4", 201, "{}")
        .await
        .unwrap();
    let r = reply("r-4", "A new day").await;
    assert!(r.headers().get("idempotent-replayed").is_none());
    assert_eq!(r.status(), 201);
    let claim = w
        .app
        .store
        .claim_idempotency_key(staff_id, "r-6", "an old request", old)
        .await
        .unwrap();
    assert_eq!(claim, Claim::Claimed);
    let r6 = "UPDATE idempotency_keys SET key = key WHERE key = 'r-6'";
    assert_eq!(w.app.store.execute(r6, vec![]).await.unwrap(), 1);
    let r = reply("r-5", "Pruning").await;
    assert_eq!(r.status(), 201);
    assert_eq!(
        w.app.store.execute(r6, vec![]).await.unwrap(),
        0,
        "expired keys are pruned as new ones are written"
    );
    let stored = w
        .get(&w.staff.token, &format!("/v1/inquiries/{thread}"))
        .await;
    let texts: Vec<&str> = stored["replies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["message"].as_str().unwrap())
        .collect();
    assert_eq!(texts, ["Of course", "Taken over", "A new day", "Pruning"]);
}

async fn new_routes_admit_only_the_parties_and_audit_admins(db: Db) {
    let w = world(db).await;
    let thread = w.ask(&w.adopter, &w.puppies[0], "Private question").await;
    let far = w.ask(&w.adopter, &w.other_puppy, "Elsewhere").await;
    let read = format!("/v1/inquiries/{thread}/read");
    let assignee = format!("/v1/inquiries/{thread}/assignee");
    let tag = w.etag(&w.staff.token, &thread).await;

    // Anonymous.
    for (method, path) in [
        (Method::POST, read.as_str()),
        (Method::GET, "/v1/me/unread"),
        (Method::PUT, assignee.as_str()),
    ] {
        let r = call(
            &w.app,
            method,
            path,
            None,
            Some(json!({"assignee": null})),
            &[("if-match", &tag)],
        )
        .await;
        assert_problem(r, 401, "unauthorized").await;
    }
    // Another adopter and another organisation's staff: it does not exist.
    for who in [&w.other_adopter, &w.other_staff] {
        let r = call(&w.app, Method::POST, &read, Some(&who.token), None, &[]).await;
        assert_problem(r, 404, "not_found").await;
        let r = call(
            &w.app,
            Method::GET,
            &format!("/v1/inquiries/{thread}"),
            Some(&who.token),
            None,
            &[],
        )
        .await;
        assert_problem(r, 404, "not_found").await;
    }
    assert_eq!(w.unread(&w.other_adopter).await, (0, 0));
    // Only the thread of their own organisation counts for its staff.
    assert_eq!(w.unread(&w.other_staff).await, (1, 1));
    let r = call(
        &w.app,
        Method::GET,
        &w.inbox(),
        Some(&w.other_staff.token),
        None,
        &[],
    )
    .await;
    assert_problem(r, 403, "forbidden").await;
    // Other organisation's staff see their own thread only.
    let (theirs, _) = w
        .all(
            &w.other_staff.token,
            &format!("/v1/organizations/{}/inquiries", w.other_org),
        )
        .await;
    assert_eq!(ids(&theirs), vec![far.clone()]);
    // Malformed ids.
    let r = call(
        &w.app,
        Method::POST,
        "/v1/inquiries/not-an-id/read",
        Some(&w.adopter.token),
        None,
        &[],
    )
    .await;
    assert_problem(r, 400, "validation_failed").await;

    // Admins read everything, and every read is audited.
    let before = w.audit_actions().await;
    assert!(!before.iter().any(|(a, _)| a == "inquiry.read"));
    w.get(&w.admin.token, &format!("/v1/inquiries/{thread}"))
        .await;
    w.get(&w.admin.token, &w.inbox()).await;
    let after = w.audit_actions().await;
    assert!(after.contains(&("inquiry.read".to_string(), thread.clone())));
    assert!(after.contains(&("inquiry.inbox_read".to_string(), w.org.clone())));
    // Staff reads are not audited.
    w.get(&w.staff.token, &format!("/v1/inquiries/{thread}"))
        .await;
    let reads = w
        .audit_actions()
        .await
        .into_iter()
        .filter(|(a, _)| a == "inquiry.read")
        .count();
    assert_eq!(reads, 1);
}

async fn deleting_an_account_anonymises_its_messages_and_drops_its_keys(db: Db) {
    let w = world(db).await;
    let r = call(
        &w.app,
        Method::POST,
        &format!("/v1/puppies/{}/inquiries", w.puppies[0]),
        Some(&w.adopter.token),
        Some(json!({"message": "From ada", "contact_preference": "email"})),
        &[("idempotency-key", "ada-1")],
    )
    .await;
    let thread = json_of(r, 201).await["id"].as_str().unwrap().to_string();
    w.reply(&w.colleague, &thread, "From cody").await;
    w.reply(&w.adopter, &thread, "Ada again").await;
    let tag = w.etag(&w.staff.token, &thread).await;
    assert_eq!(
        w.assign(&w.staff.token, &thread, json!(w.colleague.id), Some(&tag))
            .await
            .status(),
        200
    );
    let adopter_id: Uuid = w.adopter.id.parse().unwrap();
    let touch = "UPDATE idempotency_keys SET key = key WHERE user_id = $1";
    assert_eq!(
        w.app
            .store
            .execute(touch, vec![Param::Id(adopter_id)])
            .await
            .unwrap(),
        1
    );

    for who in [&w.adopter, &w.colleague] {
        let r = call(
            &w.app,
            Method::DELETE,
            "/v1/me",
            Some(&who.token),
            None,
            &[],
        )
        .await;
        assert_eq!(r.status(), 204);
    }
    assert_eq!(
        w.app
            .store
            .execute(touch, vec![Param::Id(adopter_id)])
            .await
            .unwrap(),
        0,
        "the account's idempotency keys are gone"
    );
    let kept = w
        .get(&w.staff.token, &format!("/v1/inquiries/{thread}"))
        .await;
    assert!(kept["adopter"].is_null());
    assert!(kept["assignee"].is_null());
    assert_eq!(kept["message"], "From ada");
    let replies: Vec<(&str, &str)> = kept["replies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["author_role"].as_str().unwrap(),
                r["message"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(replies, [("staff", "From cody"), ("adopter", "Ada again")]);
    assert!(!kept.to_string().contains("ada@example.com"));
    let inbox = w.get(&w.staff.token, &w.inbox()).await;
    assert_eq!(inbox["items"][0]["id"], thread.as_str());
    assert!(inbox["items"][0]["adopter"].is_null());
    assert_eq!(w.unread(&w.staff).await, (1, 1));
}

both_databases!(
    unread_counts_move_as_each_side_writes_and_reads,
    lists_show_newest_activity_first_and_page_without_gaps_or_duplicates,
    the_inbox_filters_by_status_and_assignee,
    assignment_needs_if_match_and_a_staff_member_of_the_organisation,
    messages_with_an_idempotency_key_are_sent_once,
    new_routes_admit_only_the_parties_and_audit_admins,
    deleting_an_account_anonymises_its_messages_and_drops_its_keys,
);

/// Applies the migrations before the conversations one, as a database that a
/// release before it left.
async fn store_before_conversations(db: Db, dir: &std::path::Path) -> (Store, Option<String>) {
    let (url, pg_name, folder) = match db {
        Db::Sqlite => (
            format!("sqlite://{}", dir.join("kennel.db").display()),
            None,
            "sqlite",
        ),
        Db::Postgres => {
            let (name, url) = crate::support::fresh_postgres(false).await;
            (url, Some(name), "postgres")
        }
    };
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../migrations")
        .join(folder);
    let earlier = dir.join("earlier");
    std::fs::create_dir_all(&earlier).unwrap();
    for entry in std::fs::read_dir(&source).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if name.as_str() < "20261205000010" {
            std::fs::copy(&path, earlier.join(&name)).unwrap();
        }
    }
    let store = Store::connect(&url.parse().unwrap(), &PoolSettings::default())
        .await
        .unwrap();
    let migrator = sqlx::migrate::Migrator::new(earlier.as_path())
        .await
        .unwrap();
    match &store {
        Store::Sqlite(pool) => migrator.run(pool).await.unwrap(),
        Store::Postgres(pool) => migrator.run(pool).await.unwrap(),
    }
    (store, pg_name)
}

async fn existing_threads_are_backfilled_with_activity_and_read_marks(db: Db) {
    let dir = tempfile::tempdir().unwrap();
    let (store, pg_name) = store_before_conversations(db, dir.path()).await;
    let breed = fixtures::breed(&store, "mutt", "Mutt").await;
    let org = fixtures::organization(&store, "north", 45.0, -122.0).await;
    let puppy = fixtures::puppy(&store, PuppySpec::new("Pup", breed, org)).await;
    let (adopter, staff) = (Uuid::now_v7(), Uuid::now_v7());
    let base = Utc::now() - Duration::hours(100);
    let at = |hours: i64| base + Duration::hours(hours);
    for (id, email, role, organization) in [
        (adopter, "ada@example.com", "adopter", None),
        (staff, "sam@example.com", "staff", Some(org)),
    ] {
        fixtures::execute(
            &store,
            "INSERT INTO users (id, email, password_hash, display_name, role, organization_id, \
             created_at, updated_at) VALUES ($1, $2, 'x', 'Someone', $3, $4, $5, $5)",
            vec![
                Param::Id(id),
                Param::Text(email.into()),
                Param::Text(role.into()),
                Param::OptId(organization),
                Param::Time(at(0)),
            ],
        )
        .await;
    }
    // An open thread the adopter wrote to last, a closed one without replies,
    // and one the staff answered last.
    let (open, closed, answered) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    for (id, status, created) in [
        (open, "open", 1),
        (closed, "closed", 3),
        (answered, "answered", 4),
    ] {
        fixtures::execute(
            &store,
            "INSERT INTO inquiries (id, puppy_id, organization_id, user_id, message, \
             contact_preference, status, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, 'Hello', 'email', $5, $6, $6)",
            vec![
                Param::Id(id),
                Param::Id(puppy),
                Param::Id(org),
                Param::Id(adopter),
                Param::Text(status.into()),
                Param::Time(at(created)),
            ],
        )
        .await;
    }
    for (thread, author, role, hours) in [
        (open, staff, "staff", 2),
        (open, adopter, "adopter", 5),
        (answered, staff, "staff", 6),
    ] {
        fixtures::execute(
            &store,
            "INSERT INTO inquiry_replies (id, inquiry_id, author_id, author_role, message, \
             created_at) VALUES ($1, $2, $3, $4, 'Reply', $5)",
            vec![
                Param::Id(Uuid::now_v7()),
                Param::Id(thread),
                Param::Id(author),
                Param::Text(role.into()),
                Param::Time(at(hours)),
            ],
        )
        .await;
    }

    store.migrate().await.unwrap();
    let record = |id| {
        let store = &store;
        async move { store.inquiry(id).await.unwrap().unwrap() }
    };
    let close =
        |a: chrono::DateTime<Utc>, b: chrono::DateTime<Utc>| (a - b).num_milliseconds().abs() < 1;
    let o = record(open).await;
    assert!(close(o.last_message_at, at(5)));
    assert!(close(o.adopter_read_at.unwrap(), at(5)));
    assert!(close(o.staff_read_at.unwrap(), at(2)));
    assert_eq!((o.version, o.assignee_id), (1, None));
    let c = record(closed).await;
    assert!(close(c.last_message_at, at(3)));
    assert!(close(c.staff_read_at.unwrap(), at(3)));
    let a = record(answered).await;
    assert!(close(a.last_message_at, at(6)));
    assert!(close(a.adopter_read_at.unwrap(), at(4)));
    // Staff have not read the adopter's last message in the open thread; the
    // adopter has not read the answer.
    let unread = store.unread(staff, Some(org)).await.unwrap();
    assert_eq!((unread.threads, unread.messages), (1, 1));
    let unread = store.unread(adopter, None).await.unwrap();
    assert_eq!((unread.threads, unread.messages), (1, 1));
    // Newest activity first.
    let listed = store
        .inquiries(
            InquiryScope::Organization(org),
            &Default::default(),
            &PageRequest {
                limit: 10,
                after: None,
            },
        )
        .await
        .unwrap();
    let order: Vec<Uuid> = listed.items.iter().map(|r| r.id).collect();
    assert_eq!(order, vec![answered, open, closed]);
    store.close().await;
    if let Some(name) = pg_name {
        crate::support::drop_postgres(name);
    }
}

both_databases!(existing_threads_are_backfilled_with_activity_and_read_marks);

#[tokio::test]
async fn browsers_may_send_and_read_the_conversation_headers() {
    let app = TestApp::spawn_empty(Db::Sqlite).await;
    let preflight = app
        .client
        .request(Method::OPTIONS, app.url("/v1/inquiries/x/assignee"))
        .header("origin", "https://app.example.com")
        .header("access-control-request-method", "PUT")
        .header(
            "access-control-request-headers",
            "authorization,content-type,if-match,idempotency-key",
        )
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success());
    let allowed = preflight.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    for name in ["if-match", "idempotency-key"] {
        assert!(allowed.contains(name), "{name} in {allowed}");
    }
    let response = app
        .client
        .get(app.url("/v1/me/unread"))
        .header("origin", "https://app.example.com")
        .send()
        .await
        .unwrap();
    let exposed = response.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    for name in ["etag", "idempotent-replayed"] {
        assert!(exposed.contains(name), "{name} in {exposed}");
    }
}
