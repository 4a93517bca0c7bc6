//! Account inputs that are valid by construction: email, password, display name.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

const MIN_PASSWORD: usize = 10;
const MAX_PASSWORD: usize = 128;

/// A normalised email address (trimmed, lowercase), as stored and compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Email, String> {
        let email = raw.trim().to_lowercase();
        if email.len() > 254 {
            return Err("must be at most 254 characters".into());
        }
        let (local, domain) = email
            .split_once('@')
            .ok_or_else(|| "must be an email address like name@example.com".to_string())?;
        let valid = !local.is_empty()
            && local.len() <= 64
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
            && !email.chars().any(|c| c.is_whitespace() || c.is_control());
        if !valid {
            return Err("must be an email address like name@example.com".into());
        }
        Ok(Email(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password that meets the rules: 10 to 128 characters and not the email.
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password([redacted])")
    }
}

impl Password {
    pub fn parse(raw: &str, email: &Email) -> Result<Password, String> {
        let length = raw.chars().count();
        if length < MIN_PASSWORD {
            return Err(format!("must be at least {MIN_PASSWORD} characters"));
        }
        if length > MAX_PASSWORD {
            return Err(format!("must be at most {MAX_PASSWORD} characters"));
        }
        if raw.trim().to_lowercase() == email.as_str() {
            return Err("must not be your email address".into());
        }
        Ok(Password(raw.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// How a person is shown to shelters: 1 to 80 characters after trimming.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(raw: &str) -> Result<DisplayName, String> {
        super::text::clean(raw, 80, super::text::Lines::One).map(DisplayName)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a user may do. Staff belong to exactly one organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Adopter,
    Staff,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Adopter => "adopter",
            Role::Staff => "staff",
            Role::Admin => "admin",
        }
    }

    pub fn parse(value: &str) -> Option<Role> {
        match value {
            "adopter" => Some(Role::Adopter),
            "staff" => Some(Role::Staff),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("  Ada@Example.COM ").unwrap().as_str(),
            "ada@example.com"
        );
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a b@example.com",
            "a@@b.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn passwords_follow_the_rules() {
        let email = Email::parse("ada@example.com").unwrap();
        assert!(Password::parse("short", &email).is_err());
        assert!(Password::parse(&"x".repeat(129), &email).is_err());
        assert!(Password::parse("ADA@example.com", &email).is_err());
        assert!(Password::parse("correct horse battery", &email).is_ok());
        let debug = format!(
            "{:?}",
            Password::parse("correct horse battery", &email).unwrap()
        );
        assert!(!debug.contains("horse"));
    }
}

/// How an account hears of new matches for its saved searches.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum AlertChannel {
    /// A push notification on each registered device; email when there is none
    /// (or push is switched off).
    Push,
    Email,
    Off,
}

impl AlertChannel {
    pub fn as_str(self) -> &'static str {
        match self {
            AlertChannel::Push => "push",
            AlertChannel::Email => "email",
            AlertChannel::Off => "off",
        }
    }

    pub fn parse(value: &str) -> Option<AlertChannel> {
        [AlertChannel::Push, AlertChannel::Email, AlertChannel::Off]
            .into_iter()
            .find(|c| c.as_str() == value)
    }
}
