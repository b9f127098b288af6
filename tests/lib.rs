//! The integration tests, one module per feature (one test binary).

mod common;

mod batch;
mod browser;
mod cli;
mod commands;
mod errors;
mod eval;
#[cfg(unix)]
mod files;
mod grammar;
mod property;
mod readings;
mod readme;
mod rules;
mod scenarios;
mod serve;
mod snapshots;
