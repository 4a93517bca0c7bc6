//! The demo accounts `serve --demo` adds on a laptop: an adopter, staff of
//! the first two demo organisations, and an administrator, all with one known
//! password and confirmed addresses, plus conversations between the adopter
//! and both organisations so every inbox has something in it.

use chrono::{Duration, Utc};
use uuid::Uuid;

use super::{generate_puppy, org_id, ORGANIZATIONS};
use crate::domain::conversation::Side;
use crate::store::admin::AuditEntry;
use crate::store::outbox::ConversationMail;
use crate::store::Store;

/// The password of every demo account. They exist only with `--demo`, which
/// is refused outside `APP_ENV=local`.
pub const DEMO_PASSWORD: &str = "kennel-demo-password";

/// One demo account, as printed at start-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccount {
    pub email: &'static str,
    pub role: &'static str,
    /// What the account is for, e.g. "staff of Rose City Dog Rescue".
    pub description: String,
}

struct Spec {
    email: &'static str,
    name: &'static str,
    role: &'static str,
    /// The index of the organisation of a staff account.
    organization: Option<usize>,
}

const ADOPTER: &str = "adopter@demo.kennel.test";

const SPECS: &[Spec] = &[
    Spec {
        email: ADOPTER,
        name: "Avery Adopter",
        role: "adopter",
        organization: None,
    },
    Spec {
        email: "staff@demo.kennel.test",
        name: "Sam Shelter",
        role: "staff",
        organization: Some(0),
    },
    Spec {
        email: "staff2@demo.kennel.test",
        name: "Robin Rescue",
        role: "staff",
        organization: Some(1),
    },
    Spec {
        email: "admin@demo.kennel.test",
        name: "Alex Admin",
        role: "admin",
        organization: None,
    },
];

/// The demo accounts, described (whether or not they exist yet).
pub fn demo_accounts() -> Vec<DemoAccount> {
    SPECS
        .iter()
        .map(|spec| DemoAccount {
            email: spec.email,
            role: spec.role,
            description: match (spec.role, spec.organization) {
                (_, Some(org)) => format!("staff of {}", ORGANIZATIONS[org].name),
                ("admin", _) => "administrator".into(),
                _ => "adopter with two conversations".into(),
            },
        })
        .collect()
}

/// Creates the demo accounts that do not exist yet and, with a new adopter,
/// its conversations: one a shelter answered (unread by the adopter), one
/// waiting for the other organisation's answer. Safe to run on every start.
/// Returns how many accounts it created.
pub async fn seed_accounts(store: &Store) -> anyhow::Result<usize> {
    let hash = crate::auth::hash_password_in_background(DEMO_PASSWORD.to_string()).await?;
    let now = Utc::now();
    let mut created = 0;
    let mut ids = Vec::new();
    for spec in SPECS {
        if let Some(existing) = store.user_by_email(spec.email).await? {
            ids.push((existing.id, false));
            continue;
        }
        let id = Uuid::now_v7();
        let organization = spec.organization.map(org_id);
        let audit = AuditEntry::account_created(id, spec.role, organization);
        store
            .create_user_with_role(
                id,
                spec.email,
                &hash,
                spec.name,
                spec.role,
                organization,
                &audit,
                now,
            )
            .await
            .map_err(|e| anyhow::anyhow!("creating the demo account {}: {e}", spec.email))?;
        created += 1;
        ids.push((id, true));
    }
    let (adopter, new_adopter) = ids[0];
    if new_adopter {
        conversations(store, adopter, ids[1].0, now).await?;
    }
    Ok(created)
}

async fn conversations(
    store: &Store,
    adopter: Uuid,
    staff: Uuid,
    now: chrono::DateTime<Utc>,
) -> anyhow::Result<()> {
    let total = ORGANIZATIONS.len();
    // Demo puppies are dealt to organisations in turn: puppy 0 is the first
    // organisation's, puppy 1 the second's.
    let first = generate_puppy(0, total).id;
    let second = generate_puppy(1, total).id;
    let name = |id| async move {
        store.puppy(id).await.map(|p| {
            p.map(|p| p.summary.name)
                .unwrap_or_else(|| "this puppy".into())
        })
    };
    // Conversation email as the server sends it (two minutes after a message
    // nobody read, at most one per thread and reader every 15 minutes).
    let mail = ConversationMail {
        delay: Duration::minutes(2),
        window: Duration::minutes(15),
    };
    let asked = now - Duration::hours(26);
    let answered = Uuid::now_v7();
    let first_name = name(first).await?;
    store
        .create_inquiry(
            answered,
            first,
            adopter,
            &format!(
                "Hello! Is {first_name} still looking for a home? We have a fenced garden \
                 and a seven-year-old who cannot wait to meet a puppy."
            ),
            "app",
            mail,
            asked,
        )
        .await?;
    store
        .add_reply(
            answered,
            staff,
            "staff",
            &format!(
                "Hi Avery, yes, {first_name} is still with us and loves children. \
                 Would you like to meet on Saturday at 11?"
            ),
            "answered",
            Some(Side::Staff),
            None,
            (Side::Adopter, mail),
            asked + Duration::hours(3),
        )
        .await?;
    let second_name = name(second).await?;
    store
        .create_inquiry(
            Uuid::now_v7(),
            second,
            adopter,
            &format!("Does {second_name} get along with cats? Ours is calm but opinionated."),
            "email",
            mail,
            now - Duration::hours(2),
        )
        .await?;
    Ok(())
}
