//! `Idempotency-Key` on requests that send a message: a client that lost the
//! answer retries with the same key and gets the first answer again
//! (`Idempotent-Replayed: true`) instead of sending the message twice.
//!
//! Keys belong to the signed-in user and last 24 hours (`store::idempotency`).
//! The request's fingerprint (route, path ids and body fields) is kept with the
//! key: the same key with another request is 422 `idempotency_key_reused`, and
//! while the first request still runs a retry is 409 `request_in_progress`.
//! Only successful answers are kept; a request that failed gives its key back.

use std::future::Future;

use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::conditional;
use crate::domain::conversation::IdempotencyKey;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::store::idempotency::Claim;

pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
pub const IDEMPOTENT_REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");

/// The request's `Idempotency-Key`, if it sent one.
pub fn key(headers: &HeaderMap) -> ApiResult<Option<IdempotencyKey>> {
    headers
        .get(IDEMPOTENCY_KEY)
        .map(|v| IdempotencyKey::parse(v.as_bytes()).map_err(ApiError::from))
        .transpose()
}

/// What identifies a request: the SHA-256 of its description (route, path ids
/// and body fields; object keys are serialised in sorted order).
pub fn fingerprint(request: &serde_json::Value) -> String {
    hex::encode(Sha256::digest(request.to_string().as_bytes()))
}

/// A JSON answer; with a version, tagged like the record's `GET`.
pub fn json_response(status: StatusCode, body: Vec<u8>, version: Option<i64>) -> Response {
    let etag = version.map(|v| conditional::etag(&body, Some(v)));
    let mut response = (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response();
    if let Some(etag) = etag {
        response.headers_mut().insert(header::ETAG, etag);
    }
    response
}

/// Runs `work` once per key: without a key it simply runs; with one it runs
/// only if no earlier request used the key, and its answer is kept. `work`
/// gives the status, the JSON body and the record's version (for `ETag`).
pub async fn once<F, Fut>(
    state: &AppState,
    user: Uuid,
    key: Option<IdempotencyKey>,
    fingerprint: serde_json::Value,
    work: F,
) -> ApiResult<Response>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = ApiResult<(StatusCode, Vec<u8>, Option<i64>)>>,
{
    let Some(key) = key else {
        let (status, body, version) = work().await?;
        return Ok(json_response(status, body, version));
    };
    let fingerprint = self::fingerprint(&fingerprint);
    let claim = state
        .store
        .claim_idempotency_key(user, key.as_str(), &fingerprint, Utc::now())
        .await?;
    match claim {
        Claim::Claimed => match work().await {
            Ok((status, body, version)) => {
                // The body is JSON the server encoded: always UTF-8.
                let text = String::from_utf8_lossy(&body);
                state
                    .store
                    .complete_idempotency_key(user, key.as_str(), status.as_u16(), &text)
                    .await?;
                Ok(json_response(status, body, version))
            }
            Err(error) => {
                if let Err(e) = state
                    .store
                    .release_idempotency_key(user, key.as_str())
                    .await
                {
                    tracing::warn!(error = %e, "could not release an idempotency key");
                }
                Err(error)
            }
        },
        Claim::InProgress => Err(ApiError::Conflict {
            code: "request_in_progress",
            detail: "A request with this Idempotency-Key is still being processed. \
                     Retry in a moment to get its answer."
                .into(),
        }),
        Claim::Mismatch => Err(ApiError::Unprocessable {
            code: "idempotency_key_reused",
            detail: "This Idempotency-Key was already used for a different request. \
                     Use a new key for a new message."
                .into(),
        }),
        Claim::Done { status, body } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            let mut response = json_response(status, body.into_bytes(), None);
            response
                .headers_mut()
                .insert(IDEMPOTENT_REPLAYED, HeaderValue::from_static("true"));
            Ok(response)
        }
    }
}
