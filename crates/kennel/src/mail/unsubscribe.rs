//! The one-click unsubscribe link of conversation emails (RFC 8058): a token
//! naming the account with an HMAC-SHA256 of its id under a key the server
//! keeps (`signing_keys`, made on first use). It works without signing in,
//! cannot be made for another account, and never expires (an old email's
//! link still unsubscribes).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use uuid::Uuid;

/// The name of the key in `signing_keys`.
pub const KEY_NAME: &str = "unsubscribe";

fn mac(key: &[u8], user: Uuid) -> Hmac<Sha256> {
    // HMAC takes keys of any length.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| <Hmac<Sha256> as Mac>::new_from_slice(&[0]).expect("a one-byte key"));
    mac.update(b"kennel-unsubscribe:");
    mac.update(user.as_bytes());
    mac
}

pub fn token(key: &[u8], user: Uuid) -> String {
    let signature = mac(key, user).finalize().into_bytes();
    format!("{}.{}", user.simple(), URL_SAFE_NO_PAD.encode(signature))
}

/// The account a token was made for, if its signature holds.
pub fn verify(key: &[u8], token: &str) -> Option<Uuid> {
    let (user, signature) = token.trim().split_once('.')?;
    if user.len() != 32 || signature.len() > 64 {
        return None;
    }
    let user = Uuid::try_parse(user).ok()?;
    let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
    mac(key, user).verify_slice(&signature).ok()?;
    Some(user)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_verify_only_for_their_account_and_key() {
        let user = Uuid::now_v7();
        let t = token(b"key one", user);
        assert_eq!(verify(b"key one", &t), Some(user));
        assert_eq!(verify(b"key two", &t), None);
        let other = Uuid::now_v7();
        let forged = format!("{}.{}", other.simple(), t.split_once('.').unwrap().1);
        assert_eq!(verify(b"key one", &forged), None);
        for garbage in ["", ".", "abc.def", "not a token", &"a".repeat(500)] {
            assert_eq!(verify(b"key one", garbage), None);
        }
    }
}
