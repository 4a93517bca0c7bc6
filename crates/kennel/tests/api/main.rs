//! Integration tests: the real application over HTTP, against SQLite and Postgres.

mod support;

mod accounts;
mod admin;
mod backup;
mod browse;
mod catalog;
mod errors;
mod favorites;
mod fixtures;
mod health;
mod inquiries;
mod listings;
mod openapi;
mod process;
mod seed;
mod shutdown;
mod storage;
mod uploads;
