//! JSON request bodies, refused the way a bad query is: a body that does not parse,
//! or does not have the documented shape, is a 400 `validation_failed` problem whose
//! `errors` name each field at fault (`email`, `photos[1].caption`, or `body` for the
//! document as a whole) with a message for a person, never the parser's wording or a
//! 422. A missing or wrong `Content-Type` is 415; a body over the route's limit, 413.
//!
//! `Json` is also the response type, so a handler module imports one `Json` for both.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{ApiError, FieldError};

/// A JSON body in, or a JSON document out.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

impl<S, T> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(&request) {
            return Err(ApiError::UnsupportedMediaType {
                detail: "Send the body as JSON, with Content-Type: application/json.".into(),
            }
            .into_response());
        }
        // A body over the limit is answered 413 by the framework, made a problem by
        // `problem::normalize` like every other error response.
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        parse(&bytes)
            .map(Json)
            .map_err(|error| ApiError::Validation(vec![error]).into_response())
    }
}

/// `application/json`, or any `application/*+json`, with or without parameters.
fn is_json(request: &Request) -> bool {
    let Some(value) = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Reads `T` from `bytes`, or says which field is wrong and how.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, FieldError> {
    // Every request body is an object. Serde would also read a struct from an
    // array of its fields in order (`[null, null]`), which no client means.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        return Err(FieldError::new("body", "must be an object, not an array"));
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        field_error(&path, error.into_inner())
    })?;
    // Anything after the value (`{} trailing`) makes the body not JSON.
    deserializer.end().map_err(|error| field_error("", error))?;
    Ok(value)
}

fn field_error(path: &str, error: serde_json::Error) -> FieldError {
    use serde_json::error::Category;
    let at = |field: &str| {
        if field.is_empty() || field == "." {
            "body".to_string()
        } else {
            field.to_string()
        }
    };
    match error.classify() {
        Category::Syntax | Category::Eof | Category::Io => FieldError::new(
            "body",
            format!(
                "is not valid JSON (line {}, column {})",
                error.line(),
                error.column()
            ),
        ),
        Category::Data => {
            let text = strip_position(&error.to_string());
            // Serde reports a missing or unknown field at its parent's path, and
            // names the field in the message.
            if let Some(name) = quoted_after(&text, "missing field `") {
                return FieldError::new(join(path, &name), "is required");
            }
            if let Some(name) = quoted_after(&text, "unknown field `") {
                // Here the path already ends with the field's name.
                let field = if path.ends_with(name.as_str()) {
                    path.to_string()
                } else {
                    join(path, &name)
                };
                return FieldError::new(field, "is not a field of this request");
            }
            FieldError::new(at(path), humane(&text))
        }
    }
}

/// `parent.child`, or `child` at the top.
fn join(parent: &str, child: &str) -> String {
    if parent.is_empty() || parent == "." {
        child.to_string()
    } else {
        format!("{parent}.{child}")
    }
}

/// The name between "`" after `prefix`, if `text` starts with it.
fn quoted_after(text: &str, prefix: &str) -> Option<String> {
    let rest = text.strip_prefix(prefix)?;
    rest.split('`').next().map(str::to_string)
}

/// Drops serde_json's " at line L column C" suffix.
fn strip_position(text: &str) -> String {
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text.to_string(),
    }
}

/// Serde's messages turned into what a form would say: "invalid type: string
/// \"x\", expected u32" becomes "must be a whole number, not a string"; "unknown
/// variant `x`, expected one of `a`, `b`" becomes "must be one of: a, b". Anything
/// else (a message written by our own deserializers) is kept as it is.
fn humane(text: &str) -> String {
    if let Some(rest) = text.strip_prefix("unknown variant `") {
        // "expected `a`", "expected `a` or `b`", "expected one of `a`, `b`, `c`":
        // the options are the quoted names.
        let expected = rest.split_once("expected ").map(|(_, e)| e).unwrap_or("");
        let options: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        return format!("must be one of: {}", options.join(", "));
    }
    if let Some(rest) = text.strip_prefix("invalid type: ") {
        if let Some((got, expected)) = rest.split_once(", expected ") {
            let got = got.split(' ').next().unwrap_or(got);
            return format!("must be {}, not {}", expected_kind(expected), article(got));
        }
    }
    if let Some(rest) = text.strip_prefix("invalid value: ") {
        if let Some((_, expected)) = rest.split_once(", expected ") {
            return format!("must be {}", expected_kind(expected));
        }
    }
    if text.starts_with("invalid length") {
        if let Some((_, expected)) = text.split_once(", expected ") {
            return format!("must have {expected}");
        }
    }
    text.to_string()
}

/// Serde's name for an expected type, as a person would say it.
fn expected_kind(expected: &str) -> String {
    let integer = [
        "u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64", "usize", "isize",
    ];
    let base = expected.trim_start_matches("a ").trim_start_matches("an ");
    if integer.contains(&base) || base == "integer" {
        "a whole number".into()
    } else if base == "f32" || base == "f64" {
        "a number".into()
    } else if base == "boolean" || base == "bool" {
        "true or false".into()
    } else if base.starts_with("sequence") {
        "a list".into()
    } else if base.starts_with("struct ") || base.starts_with("map") {
        "an object".into()
    } else if base == "UUID" || base.contains("UUID") {
        "an id (a UUID)".into()
    } else {
        expected.to_string()
    }
}

/// "string" → "a string", "integer" → "an integer": what the client sent.
fn article(got: &str) -> String {
    let noun = match got {
        "sequence" => "list",
        "map" => "object",
        "boolean" => "true or false",
        "floating" => "number with a fraction",
        "unit" | "null" => return "null".into(),
        other => other,
    };
    let vowel = noun.starts_with(['a', 'e', 'i', 'o', 'u']);
    if noun == "true or false" {
        noun.into()
    } else if vowel {
        format!("an {noun}")
    } else {
        format!("a {noun}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Form {
        email: String,
        age: Option<u32>,
        role: Option<Role>,
        tags: Option<Vec<Tag>>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Role {
        Adopter,
        Staff,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Tag {
        name: String,
    }

    fn error(body: &str) -> (String, String) {
        let e = parse::<Form>(body.as_bytes()).unwrap_err();
        (e.field, e.message)
    }

    #[test]
    fn names_the_field_and_says_what_it_must_be() {
        assert_eq!(
            error(r#"{"email": ["a"]}"#),
            ("email".into(), "must be a string, not a list".into())
        );
        assert_eq!(
            error(r#"{"email": "a", "age": "ten"}"#),
            ("age".into(), "must be a whole number, not a string".into())
        );
        assert_eq!(
            error(r#"{"email": "a", "role": "superuser"}"#),
            ("role".into(), "must be one of: adopter, staff".into())
        );
        assert_eq!(
            error(r#"{"email": "a", "tags": [{"name": "x"}, {"name": 3}]}"#),
            (
                "tags[1].name".into(),
                "must be a string, not an integer".into()
            )
        );
        assert_eq!(error(r#"{}"#), ("email".into(), "is required".into()));
        assert_eq!(
            error(r#"{"email": "a", "tags": [{}]}"#),
            ("tags[0].name".into(), "is required".into())
        );
        assert_eq!(
            error(r#"{"email": "a", "admin": true}"#),
            ("admin".into(), "is not a field of this request".into())
        );
        assert_eq!(
            error(r#""me@example.com""#),
            ("body".into(), "must be an object, not a string".into())
        );
    }

    #[test]
    fn an_array_is_not_read_as_the_fields_in_order() {
        for body in [r#"["a@b.c", 3]"#, "[null, null]", " \n[]"] {
            assert_eq!(
                error(body),
                ("body".into(), "must be an object, not an array".into()),
                "{body}"
            );
        }
        assert!(parse::<Form>(br#" {"email": "a@b.c"}"#).is_ok());
    }

    #[test]
    fn a_body_that_does_not_parse_is_the_body_at_fault() {
        assert_eq!(
            error(r#"{"email":"#),
            ("body".into(), "is not valid JSON (line 1, column 9)".into())
        );
        assert_eq!(
            error("{\"email\": \"a\"} trailing"),
            (
                "body".into(),
                "is not valid JSON (line 1, column 16)".into()
            )
        );
        assert_eq!(
            error(""),
            ("body".into(), "is not valid JSON (line 1, column 0)".into())
        );
    }
}
