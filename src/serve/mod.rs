//! `zan serve`: the rules over HTTP. A JSON API under `/v1` (the same answers, tables and
//! catalogue as the command line's `--format json`), an OpenAPI 3.1 document built from the
//! route table in [`openapi`], and a page at `/` whose assets are embedded in the binary.
//!
//! The rules are loaded and checked once, before the socket is bound; every request reads the
//! same [`Rulebase`](crate::rulebase::Rulebase). Requests never name files: rules come from the
//! server's start, facts from the request body.

mod api;
mod error;
pub mod limits;
pub mod openapi;
mod page;

pub use error::ApiError;
pub use limits::Limits;

use crate::load::Loaded;
use std::net::SocketAddr;
use std::sync::Arc;

/// What the server is started with.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where to listen; loopback unless told otherwise.
    pub addr: SocketAddr,
    pub limits: Limits,
}

/// The address the server listens on by default: loopback only.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";

/// The state every request shares: the checked rules and the bounds.
pub(crate) struct State {
    pub loaded: Loaded,
    pub limits: Limits,
    pub in_flight: Arc<tokio::sync::Semaphore>,
}

/// Serves until SIGINT or SIGTERM; requests in flight then finish before it returns. The bound
/// address is printed to standard error as the first line (`zan serve: listening on http://...`),
/// so that a caller that asked for port 0 learns the port.
pub fn run(loaded: Loaded, options: Options) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("zan-serve")
        .build()
        .map_err(ServeError::Runtime)?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(options.addr)
            .await
            .map_err(|error| ServeError::Listen {
                addr: options.addr,
                error,
            })?;
        let local = listener.local_addr().map_err(ServeError::Address)?;
        eprintln!("zan serve: listening on http://{local}/ (the page at /, the API under /v1)");
        let state = Arc::new(State {
            in_flight: Arc::new(tokio::sync::Semaphore::new(options.limits.in_flight)),
            loaded,
            limits: options.limits,
        });
        let app = api::router(state);
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown_signal())
            .await
            .map_err(ServeError::Stopped)?;
        eprintln!("zan serve: stopped");
        Ok(())
    })
}

/// Why the server could not start, or stopped other than by a signal.
#[derive(Debug)]
pub enum ServeError {
    /// The asynchronous runtime could not be built.
    Runtime(std::io::Error),
    /// The address could not be bound (in use, or not allowed).
    Listen {
        addr: std::net::SocketAddr,
        error: std::io::Error,
    },
    /// The bound address could not be read back.
    Address(std::io::Error),
    /// Serving failed.
    Stopped(std::io::Error),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::Runtime(error) => write!(f, "cannot start the server's runtime: {error}"),
            ServeError::Listen { addr, error } => write!(f, "cannot listen on {addr}: {error}"),
            ServeError::Address(error) => write!(f, "cannot read the bound address: {error}"),
            ServeError::Stopped(error) => write!(f, "the server stopped: {error}"),
        }
    }
}

/// Resolves on the first SIGINT or SIGTERM (Ctrl-C elsewhere).
async fn shutdown_signal() {
    let interrupt = async {
        // Without a handler, wait for the other signal only.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    futures_util::future::select(Box::pin(interrupt), Box::pin(terminate)).await;
    eprintln!("zan serve: shutting down; requests in flight finish first");
}
