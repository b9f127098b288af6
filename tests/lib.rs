//! The integration tests, one module per feature (one test binary).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failed unwrap is a failed test

mod common;

mod batch;
mod browser;
mod cli;
mod commands;
mod embed;
mod errors;
mod eval;
#[cfg(unix)]
mod files;
mod grammar;
mod imports;
mod property;
mod readings;
mod readme;
mod rules;
mod scenarios;
mod schema;
mod serve;
mod snapshots;
