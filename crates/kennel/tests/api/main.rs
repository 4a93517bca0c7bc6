//! Integration tests: the real application over HTTP, against SQLite and Postgres.

mod support;

mod accounts;
mod admin;
mod assistant;
mod assistant_provider;
mod backup;
mod browse;
mod browse_cache;
mod catalog;
mod contract;
mod conversations;
mod dependencies;
mod email;
mod error_tracking;
mod errors;
mod fake_llm;
mod favorites;
mod fixtures;
mod flags;
mod health;
mod hostile_input;
mod http_caching;
mod inquiries;
mod listings;
mod nearby;
mod openapi;
mod process;
mod protection;
mod seed;
mod shutdown;
mod slow_clients;
mod storage;
mod template;
mod uploads;
mod web_session;
