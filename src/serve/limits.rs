//! The bounds on what one request may ask of the server, and the layer that enforces the
//! bounds on time and on requests in flight, and logs one line per request.

use super::{ApiError, State};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Every bound, each set by a `zan serve` flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest request body, in bytes (`--max-body-bytes`).
    pub body_bytes: usize,
    /// The deepest nesting of arrays and objects in a JSON body (`--max-json-depth`).
    pub json_depth: usize,
    /// The most elements in one JSON array or object (`--max-list-len`).
    pub list_len: usize,
    /// The most lines in one `/v1/batch` body (`--max-batch-lines`).
    pub batch_lines: usize,
    /// The longest one request may take, in milliseconds (`--request-timeout-ms`).
    pub request_ms: u64,
    /// The most requests handled at once; more get 503 at once (`--max-in-flight`).
    pub in_flight: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            body_bytes: 1 << 20,
            json_depth: 32,
            list_len: 1000,
            batch_lines: 10_000,
            request_ms: 10_000,
            in_flight: 64,
        }
    }
}

/// Checks the depth of nesting and the length of every array and object of a JSON text before
/// it is parsed, so that neither a deep nor a wide document costs the server more than reading
/// it once. Returns the JSON path of the first place past a bound.
pub fn check_shape(text: &str, limits: &Limits) -> Result<(), ApiError> {
    // For each open container: its path, whether it is an array, and its element count.
    let mut stack: Vec<(String, bool, usize)> = Vec::new();
    let mut key = String::new();
    let mut last_string = String::new();
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        if in_string {
            match c {
                _ if escaped => {
                    escaped = false;
                    last_string.push(c);
                }
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => last_string.push(c),
            }
            continue;
        }
        // Something other than a separator or a closer starts an element of the container.
        if !matches!(c, ']' | '}' | ',' | ':')
            && !c.is_whitespace()
            && let Some(top) = stack.last_mut()
            && top.2 == 0
        {
            top.2 = 1;
        }
        match c {
            '"' => {
                in_string = true;
                last_string.clear();
            }
            ':' => key = last_string.clone(),
            '[' | '{' => {
                let path = match stack.last() {
                    None => "$".to_string(),
                    Some((parent, true, count)) => format!("{parent}[{}]", count.saturating_sub(1)),
                    Some((parent, false, _)) => child(parent, &key),
                };
                if stack.len() + 1 > limits.json_depth {
                    return Err(ApiError::too_large(
                        "json_too_deep",
                        format!(
                            "the JSON nests deeper than {} levels (--max-json-depth)",
                            limits.json_depth
                        ),
                    )
                    .at(path));
                }
                stack.push((path, c == '[', 0));
            }
            ']' | '}' => {
                stack.pop();
            }
            ',' => {
                if let Some((path, is_array, count)) = stack.last_mut() {
                    *count += 1;
                    if *count > limits.list_len {
                        return Err(ApiError::too_large(
                            "list_too_long",
                            format!(
                                "{} has more than {} elements (--max-list-len)",
                                if *is_array { "an array" } else { "an object" },
                                limits.list_len
                            ),
                        )
                        .at(path.clone()));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn child(parent: &str, key: &str) -> String {
    if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        format!("{parent}.{key}")
    } else {
        format!("{parent}[{}]", serde_json::Value::from(key))
    }
}

/// A request's place among those in flight; it is freed when the last holder drops it.
#[derive(Clone)]
pub(crate) struct InFlight(
    #[expect(
        dead_code,
        reason = "held, never read: dropping the last holder frees the place"
    )]
    Arc<tokio::sync::OwnedSemaphorePermit>,
);

/// The layer around every route: a request past `--max-in-flight` gets 503 at once, one past
/// `--request-timeout-ms` gets 503 when the time is up, and each request is logged as one JSON
/// line on standard error (time, method, path without the query, status, microseconds).
pub(crate) async fn guard(
    axum::extract::State(state): axum::extract::State<Arc<State>>,
    mut request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let response = match state.in_flight.clone().try_acquire_owned() {
        Err(_) => ApiError::unavailable(
            "overloaded",
            format!(
                "{} requests are already in flight (--max-in-flight); try again shortly",
                state.limits.in_flight
            ),
        )
        .into_response(),
        Ok(permit) => {
            // A streamed answer (`/v1/batch`) keeps a share of the permit until its last line.
            let permit = Arc::new(permit);
            request.extensions_mut().insert(InFlight(permit.clone()));
            let limit = Duration::from_millis(state.limits.request_ms);
            let response = match tokio::time::timeout(limit, next.run(request)).await {
                Ok(response) => response,
                Err(_) => ApiError::unavailable(
                    "timeout",
                    format!(
                        "the request took longer than {} ms (--request-timeout-ms)",
                        state.limits.request_ms
                    ),
                )
                .into_response(),
            };
            drop(permit);
            response
        }
    };
    let line = serde_json::json!({
        "unix_ms": std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis()),
        "method": method.as_str(),
        "path": path,
        "status": response.status().as_u16(),
        "micros": started.elapsed().as_micros(),
    });
    eprintln!("{line}");
    response
}
