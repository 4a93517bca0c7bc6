//! Kennel: the API for browsing puppies up for adoption.
//!
//! Where things are: `config` (environment), `telemetry` (logs), `error` (problem
//! details), `app` (router and layers), `server` (graceful shutdown), `http/`
//! (handlers by area), `browse_cache` (short-lived public responses), `domain/` (validated types), `store/` (SQLite and Postgres),
//! `photos` (object storage), `assistant/` (the "Ask about this puppy" engine),
//! `seed` (demo data), `cli` (the `kennel` command).

pub mod alerts;
pub mod app;
pub mod assistant;
pub mod auth;
pub mod backup;
pub mod browse_cache;
pub mod cli;
pub mod config;
pub mod domain;
pub mod error;
pub mod error_tracking;
pub mod flags;
pub mod http;
pub mod mail;
pub mod metrics;
pub mod photos;
pub mod ratelimit;
pub mod seed;
pub mod server;
pub mod startup;
pub mod state;
pub mod store;
pub mod telemetry;
