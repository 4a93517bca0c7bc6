//! Passwords and sessions.
//!
//! Passwords are hashed with Argon2id (19 MiB memory, 2 passes, 1 lane: the
//! OWASP baseline), verified in constant time by the `argon2` crate. A login for
//! an unknown email verifies against a fixed dummy hash, so both failures take
//! the same time and give the same answer. Sessions are opaque bearer tokens of
//! 256 random bits; only their SHA-256 is stored, with an expiry and a
//! revocation time.

use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::Duration;
use sha2::{Digest, Sha256};

/// How long a session lasts without signing in again.
pub const SESSION_TTL: Duration = Duration::days(30);
/// Every session token starts with this, so a leaked one is easy to recognise.
pub const TOKEN_PREFIX: &str = "kn_";

fn hasher() -> Argon2<'static> {
    // These parameters are valid constants; `Params::new` only fails on out-of-range values.
    let params = Params::new(19 * 1024, 2, 1, Some(32)).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password into a PHC string. CPU-heavy: call from a blocking thread.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let mut salt_bytes = [0u8; 16];
    getrandom::getrandom(&mut salt_bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(hasher()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))?
        .to_string())
}

/// Checks a password against a stored hash (or the dummy hash when `stored` is
/// `None`, which always fails but costs the same). CPU-heavy: blocking thread.
pub fn verify_password(password: &str, stored: Option<&str>) -> bool {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash_password("kennel-dummy-password").unwrap_or_default());
    let phc = stored.unwrap_or(dummy);
    let ok = match PasswordHash::new(phc) {
        Ok(parsed) => hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    };
    ok && stored.is_some()
}

/// `hash_password` on a blocking thread, off the request's worker.
pub async fn hash_password_in_background(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| anyhow::anyhow!("blocking task failed: {e}"))?
}

/// `verify_password` on a blocking thread, off the request's worker.
pub async fn verify_password_in_background(
    password: String,
    stored: Option<String>,
) -> anyhow::Result<bool> {
    tokio::task::spawn_blocking(move || verify_password(&password, stored.as_deref()))
        .await
        .map_err(|e| anyhow::anyhow!("blocking task failed: {e}"))
}

/// A new session token and the hash that is stored for it.
pub fn new_token() -> anyhow::Result<(String, String)> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    let token = format!("{TOKEN_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes));
    let hash = token_hash(&token);
    Ok((token, hash))
}

/// Every emailed token (reset, confirmation) starts with this.
pub const MAIL_TOKEN_PREFIX: &str = "ke_";

/// A token for a link sent by email, and the hash that is stored for it.
pub fn new_mail_token() -> anyhow::Result<(String, String)> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    let token = format!("{MAIL_TOKEN_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes));
    let hash = token_hash(&token);
    Ok((token, hash))
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_and_unknown_users_never_do() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_password("correct horse battery", Some(&hash)));
        assert!(!verify_password("wrong horse battery", Some(&hash)));
        assert!(!verify_password("kennel-dummy-password", None));
    }

    #[test]
    fn tokens_carry_256_random_bits_and_only_their_hash_is_kept() {
        let (a, hash_a) = new_token().unwrap();
        let (b, _) = new_token().unwrap();
        assert_ne!(a, b);
        assert_eq!(URL_SAFE_NO_PAD.decode(&a[3..]).unwrap().len(), 32);
        assert_eq!(hash_a, token_hash(&a));
        assert!(!hash_a.contains(&a[3..]));
    }
}
