//! The text of each message, plain and HTML. Values from users (names) are
//! escaped in the HTML part; links are built from `APP_BASE_URL`.

use url::Url;

use super::Rendered;
use crate::domain::mail::OutboxKind;

/// What a template may use.
pub struct Context<'a> {
    pub app_base_url: &'a Url,
    /// The account's display name, when the message is about an account.
    pub name: Option<&'a str>,
    /// The single-use token the message carries, for kinds that carry one.
    pub token: Option<&'a str>,
    /// The thread a conversation email is about.
    pub conversation: Option<Conversation<'a>>,
    /// The search and puppies a new-matches email names.
    pub new_matches: Option<NewMatches>,
}

/// What a new-matches email names (its outbox payload).
#[derive(Debug, Clone, serde::Deserialize)]
pub struct NewMatches {
    pub search_id: uuid::Uuid,
    pub search_name: String,
    pub total: usize,
    pub puppies: Vec<crate::store::matching::MatchedPuppy>,
}

/// What a conversation email names: the thread, the puppy, who wrote, and the
/// one-click unsubscribe link.
pub struct Conversation<'a> {
    pub inquiry_id: uuid::Uuid,
    pub puppy: &'a str,
    pub from: &'a str,
    pub unsubscribe: String,
}

/// `base` + `/path?token=…`, keeping any path `base` already has.
pub fn link(base: &Url, path: &str, token: Option<&str>) -> String {
    let mut url = base.clone();
    if let Ok(mut segments) = url.path_segments_mut() {
        segments.pop_if_empty().extend(path.split('/'));
    }
    if let Some(token) = token {
        url.query_pairs_mut().append_pair("token", token);
    }
    url.to_string()
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One message: a greeting, paragraphs, an optional button, and a closing line.
fn compose(
    subject: &str,
    name: Option<&str>,
    paragraphs: &[&str],
    action: Option<(&str, String)>,
    closing: &str,
) -> Rendered {
    let greeting = match name {
        Some(name) => format!("Hello {name},"),
        None => "Hello,".to_string(),
    };
    let mut text = format!("{greeting}\n\n");
    let mut html = format!(
        "<!doctype html><html><body style=\"font-family:sans-serif;line-height:1.5\">\
         <p>{}</p>",
        escape(&greeting)
    );
    for paragraph in paragraphs {
        text.push_str(paragraph);
        text.push_str("\n\n");
        html.push_str(&format!("<p>{}</p>", escape(paragraph)));
    }
    if let Some((label, url)) = action {
        text.push_str(&format!("{label}:\n{url}\n\n"));
        html.push_str(&format!(
            "<p><a href=\"{0}\" style=\"background:#7a4b2a;color:#fff;padding:10px 16px;\
             border-radius:6px;text-decoration:none\">{1}</a></p>\
             <p style=\"font-size:small\">Or open this link: {0}</p>",
            escape(&url),
            escape(label)
        ));
    }
    text.push_str(closing);
    text.push_str("\n\n— Kennel\n");
    html.push_str(&format!(
        "<p style=\"color:#666\">{}</p><p>— Kennel</p></body></html>",
        escape(closing)
    ));
    Rendered {
        subject: subject.to_string(),
        text,
        html,
        unsubscribe: None,
    }
}

pub fn render(kind: OutboxKind, context: &Context) -> Rendered {
    let base = context.app_base_url;
    let name = context.name;
    match kind {
        OutboxKind::VerifyEmail => compose(
            "Confirm your email address for Kennel",
            name,
            &["Welcome to Kennel! Confirm this address so shelters can answer you here."],
            Some(("Confirm my address", link(base, "verify-email", context.token))),
            "The link works for two days. If you did not create an account, ignore this message.",
        ),
        OutboxKind::PasswordReset => compose(
            "Choose a new Kennel password",
            name,
            &["Someone, probably you, asked to reset the password of your Kennel account."],
            Some(("Choose a new password", link(base, "reset-password", context.token))),
            "The link works once, for one hour, and signs you out everywhere else. \
             If you did not ask, ignore this message: your password stays as it is.",
        ),
        OutboxKind::RegistrationAttempt => compose(
            "Someone tried to register with your address",
            name,
            &["Someone tried to create a Kennel account with this address, which already has one. \
               No second account was made."],
            Some(("Forgot your password? Reset it", link(base, "forgot-password", None))),
            "If it was not you, nothing has changed and you need not do anything.",
        ),
        OutboxKind::ConfirmEmailChange => compose(
            "Confirm your new email address for Kennel",
            name,
            &["Your Kennel account asked to use this address from now on."],
            Some(("Use this address", link(base, "confirm-email", context.token))),
            "The link works for two days. Until it is followed, the account keeps its old address. \
             If you did not ask for this, ignore this message.",
        ),
        OutboxKind::ConversationReply => {
            let Some(thread) = &context.conversation else {
                // Queued without a thread: nothing to say (never queued so).
                return compose("Kennel", name, &[], None, "");
            };
            let line = format!("{} wrote to you about {}.", thread.from, thread.puppy);
            let mut message = compose(
                &format!("New message about {}", thread.puppy),
                name,
                &[&line],
                Some((
                    "Read and reply",
                    link(base, &format!("inquiry/{}", thread.inquiry_id), None),
                )),
                &format!(
                    "You get one email per conversation at most every few minutes. \
                     To stop these emails, open {}",
                    thread.unsubscribe
                ),
            );
            message.unsubscribe = Some(thread.unsubscribe.clone());
            message
        }
        OutboxKind::NewMatches => {
            let Some(matches) = &context.new_matches else {
                return compose("Kennel", name, &[], None, "");
            };
            let (subject, _) =
                crate::alerts::summary(&matches.search_name, &matches.puppies, matches.total);
            let mut lines: Vec<String> = matches
                .puppies
                .iter()
                .map(|p| format!("{}: {} in {}", p.name, p.breed, p.city))
                .collect();
            if matches.total > matches.puppies.len() {
                lines.push(format!("and {} more", matches.total - matches.puppies.len()));
            }
            let mut url = Url::parse(&link(base, "saved-searches", None))
                .unwrap_or_else(|_| base.clone());
            url.query_pairs_mut()
                .append_pair("open", &matches.search_id.to_string());
            let paragraphs: Vec<&str> = lines.iter().map(String::as_str).collect();
            compose(
                &subject,
                name,
                &paragraphs,
                Some(("See them in Kennel", url.to_string())),
                "You get at most one of these per saved search each hour. To change how you hear \
                 of new matches, or to pause this search, open Account or Saved searches in Kennel.",
            )
        }
        OutboxKind::ListingAvailable | OutboxKind::NewMatchAlert => {
            // Jobs, never emailed (the drainer runs them instead).
            compose("Kennel", name, &[], None, "")
        }
        OutboxKind::EmailChangeAttempt => compose(
            "Someone tried to move a Kennel account to your address",
            None,
            &["Someone asked to change the address of a Kennel account to this one, which already \
               has an account. Nothing was changed."],
            None,
            "If it was you, sign in with this address instead.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_the_base_path_and_carry_the_token() {
        let base = Url::parse("https://kennel.example/app").unwrap();
        assert_eq!(
            link(&base, "reset-password", Some("ke_a+b")),
            "https://kennel.example/app/reset-password?token=ke_a%2Bb"
        );
        let root = Url::parse("http://localhost:3000").unwrap();
        assert_eq!(
            link(&root, "forgot-password", None),
            "http://localhost:3000/forgot-password"
        );
    }

    #[test]
    fn names_are_escaped_in_html_only() {
        let base = Url::parse("https://kennel.example").unwrap();
        let message = render(
            OutboxKind::PasswordReset,
            &Context {
                app_base_url: &base,
                name: Some("<b>Ada</b>"),
                token: Some("t"),
                conversation: None,
                new_matches: None,
            },
        );
        assert!(message.text.starts_with("Hello <b>Ada</b>,"));
        assert!(message.html.contains("Hello &lt;b&gt;Ada&lt;/b&gt;,"));
        assert!(message
            .text
            .contains("https://kennel.example/reset-password?token=t"));
    }
}
