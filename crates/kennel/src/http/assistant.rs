//! `POST /v1/assistant/messages`: "Ask about this puppy".
//!
//! Whatever goes wrong with the assistant (flag off, no provider configured,
//! provider down, slow, erroring or talking nonsense, breaker open) the answer
//! is the same 503 `feature_unavailable` problem, fast, and nothing else in the
//! API is affected. Each signed-in user has a daily quota (questions the
//! provider could not answer are given back); the assistant's own rate-limit
//! bucket applies per minute.

use std::time::Instant;

use crate::http::json::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use chrono::{Duration as Days, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::session::CurrentUser;
use super::views::puppy_detail;
use crate::assistant::{AssistantError, Message, PuppyFacts, Question, Unavailable};
use crate::error::{ApiError, ApiResult, FieldError, Problem};
use crate::flags;
use crate::state::AppState;

/// A question about a puppy (or puppies in general), with the conversation so far.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssistantRequest {
    /// The puppy the conversation is about, if any.
    pub puppy_id: Option<Uuid>,
    /// 1–20 messages of at most 1,000 characters, oldest first; the last is the user's.
    #[schema(min_items = 1, max_items = 20)]
    pub messages: Vec<Message>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssistantReply {
    pub message: Message,
    /// True when the question was off-topic or unsafe (e.g. medication doses) and
    /// the fixed, kind refusal was given instead of an answer.
    pub refused: bool,
}

/// Counts a provider call by the outcome names the alert rules use.
fn record(outcome: &'static str) {
    metrics::counter!("llm_requests_total", "outcome" => outcome).increment(1);
}

fn unavailable_outcome(reason: &Unavailable) -> &'static str {
    match reason {
        Unavailable::BreakerOpen => "circuit_open",
        Unavailable::Timeout => "timeout",
        Unavailable::Malformed => "invalid_response",
        Unavailable::Connect | Unavailable::Status(_) | Unavailable::RateLimited => "error",
    }
}

async fn facts(state: &AppState, id: Uuid) -> ApiResult<PuppyFacts> {
    let (detail, _) = puppy_detail(state, id).await?;
    let summary = detail.summary;
    Ok(PuppyFacts {
        name: summary.name,
        breed: summary.breed.name,
        secondary_breed: summary.secondary_breed.map(|b| b.name),
        mixed: summary.mixed,
        sex: summary.sex.as_str().to_string(),
        age_months: summary.age_months,
        size: summary.size.as_str().to_string(),
        coat: summary.coat.as_str().to_string(),
        colour: summary.colour,
        good_with_kids: summary.good_with.kids,
        good_with_dogs: summary.good_with.dogs,
        good_with_cats: summary.good_with.cats,
        house_trained: detail.house_trained,
        vaccinated: detail.vaccinated,
        neutered: detail.neutered,
        description: detail.description,
        organization: summary.organization.name,
        status: summary.status.as_str().to_string(),
    })
}

/// Asks the assistant about a puppy, its breed, adoption or puppy care.
#[utoipa::path(
    post,
    path = "/v1/assistant/messages",
    tag = "assistant",
    security(("bearer" = [])),
    request_body = AssistantRequest,
    responses(
        (status = 200, description = "The assistant's answer (or its fixed refusal)", body = AssistantReply),
        (status = 400, description = "Too many or too long messages, or the last is not the user's", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such puppy", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Over the per-minute limit or the daily quota (`rate_limited`)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Feature temporarily unavailable (`feature_unavailable`): switched off or the provider is failing", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn ask(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    headers: HeaderMap,
    Json(request): Json<AssistantRequest>,
) -> ApiResult<Json<AssistantReply>> {
    let unavailable = ApiError::FeatureUnavailable {
        feature: "assistant",
    };
    let subject = super::feature_gate::subject(user.as_ref(), &headers);
    let (Some(assistant), Some(settings)) = (&state.assistant, &state.config.llm) else {
        record("disabled");
        return Err(unavailable);
    };
    if !state.flags.is_enabled(flags::ASSISTANT, subject) {
        record("disabled");
        return Err(unavailable);
    }
    let user = user.ok_or_else(|| ApiError::Unauthorized {
        detail: "Sign in to ask the assistant.".into(),
    })?;
    if let Err(AssistantError::Invalid { field, message }) =
        crate::assistant::validate(&request.messages)
    {
        return Err(ApiError::Validation(vec![FieldError::new(field, message)]));
    }
    let puppy = match request.puppy_id {
        Some(id) => Some(facts(&state, id).await?),
        None => None,
    };
    let now = Utc::now();
    let used = state
        .store
        .count_assistant_request(user.id, now.date_naive())
        .await?;
    if used > i64::from(settings.daily_quota) {
        let midnight = (now.date_naive() + Days::days(1))
            .and_hms_opt(0, 0, 0)
            .map(|t| t.and_utc())
            .unwrap_or(now);
        return Err(ApiError::TooManyRequests {
            detail: format!(
                "You have asked the assistant {} questions today, the daily limit; it resets at midnight UTC.",
                settings.daily_quota
            ),
            retry_after: (midnight - now).num_seconds().max(1) as u64,
        });
    }
    let started = Instant::now();
    let result = assistant
        .answer(Question {
            puppy,
            messages: request.messages,
        })
        .await;
    metrics::histogram!("llm_request_duration_seconds").record(started.elapsed().as_secs_f64());
    match result {
        Ok(answer) => {
            record(answer.outcome());
            metrics::counter!("llm_tokens_total", "kind" => "prompt")
                .increment(u64::from(answer.prompt_tokens));
            metrics::counter!("llm_tokens_total", "kind" => "completion")
                .increment(u64::from(answer.completion_tokens));
            Ok(Json(AssistantReply {
                message: Message::assistant(answer.content),
                refused: answer.refused,
            }))
        }
        Err(AssistantError::Invalid { field, message }) => {
            Err(ApiError::Validation(vec![FieldError::new(field, message)]))
        }
        Err(AssistantError::Unavailable(reason)) => {
            record(unavailable_outcome(&reason));
            // Not the user's fault: the question does not count against the quota.
            if let Err(error) = state
                .store
                .refund_assistant_request(user.id, now.date_naive())
                .await
            {
                tracing::warn!(error = %error, "could not refund an assistant request");
            }
            Err(unavailable)
        }
    }
}
