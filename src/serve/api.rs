//! The routes: the `/v1` API and the page. Each handler reads its request into the library's
//! own types (facts through [`crate::facts::from_json`], dates through
//! [`crate::facts::parse_date`]) and answers with the library's JSON renderers, so the API and
//! `--format json` say the same thing.

use super::limits::{self, check_shape};
use super::{ApiError, State, page};
use crate::catalogue;
use crate::eval::{self, Facts};
use crate::facts;
use crate::render::{self, text::Explain};
use crate::rulebase::{ItemId, ItemKind, Rulebase};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, Request};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::NaiveDate;
use serde_json::{Map, Value as J};
use std::collections::HashMap;
use std::sync::Arc;

type Shared = axum::extract::State<Arc<State>>;

pub(crate) fn router(state: Arc<State>) -> Router {
    Router::new()
        .route("/", get(page::index))
        .route("/assets/{file}", get(page::asset))
        .route("/v1/health", get(health))
        .route("/v1/openapi.json", get(openapi))
        .route("/v1/items", get(items))
        .route("/v1/items/{name}", get(item))
        .route("/v1/ask", post(ask))
        .route("/v1/who", post(who))
        .route("/v1/batch", post(batch))
        .route("/v1/diff", get(diff))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            limits::guard,
        ))
        .with_state(state)
}

fn json(value: J) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        format!("{value}\n"),
    )
        .into_response()
}

async fn not_found(request: Request) -> ApiError {
    ApiError::not_found(
        "no_route",
        format!(
            "no route {}: GET /v1/openapi.json lists them",
            request.uri().path()
        ),
    )
}

async fn method_not_allowed(request: Request) -> Response {
    let mut response = ApiError::bad_request(
        "method_not_allowed",
        format!(
            "{} is not accepted on {}: GET /v1/openapi.json lists the methods",
            request.method(),
            request.uri().path()
        ),
    )
    .into_response();
    *response.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
    response
}

fn receipt(rb: &Rulebase) -> J {
    serde_json::json!({"engine": format!("zan {}", env!("CARGO_PKG_VERSION")), "rules_sha256": rb.digest})
}

async fn health(axum::extract::State(state): Shared) -> Response {
    let rb = &state.loaded.rulebase;
    json(serde_json::json!({
        "status": "ok",
        "questions": rb.askable().count(),
        "receipt": receipt(rb),
    }))
}

async fn openapi() -> Response {
    json(super::openapi::document())
}

/// Runs evaluation off the async threads; a request past its time is answered by the layer,
/// and the work left behind only reads the shared rules.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work).await.unwrap_or_else(|_| {
        Err(ApiError::unprocessable(
            "internal",
            "the evaluation stopped unexpectedly",
        ))
    })
}

fn query_param<'q>(query: &'q HashMap<String, String>, name: &str) -> Option<&'q str> {
    query.get(name).map(String::as_str)
}

fn query_date(query: &HashMap<String, String>, name: &str) -> Result<Option<NaiveDate>, ApiError> {
    match query_param(query, name) {
        None => Ok(None),
        Some(text) => facts::parse_date(text).map(Some).ok_or_else(|| {
            ApiError::bad_request(
                "invalid_date",
                format!("invalid date `{text}`: expected YYYY-MM-DD, a day that exists"),
            )
            .at(format!("query.{name}"))
        }),
    }
}

fn explain_of(text: Option<&str>, location: &str) -> Result<Explain, ApiError> {
    match text {
        None | Some("full") => Ok(Explain::Full),
        Some("brief") => Ok(Explain::Brief),
        Some(other) => Err(ApiError::bad_request(
            "invalid_explain",
            format!("invalid explain `{other}`: expected `brief` or `full`"),
        )
        .at(location)),
    }
}

async fn items(
    axum::extract::State(state): Shared,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let rb = &state.loaded.rulebase;
    let kind = match query_param(&query, "kind") {
        None => None,
        Some("question") => Some(catalogue::Kind::Question),
        Some("input") => Some(catalogue::Kind::Input),
        Some("judgment") => Some(catalogue::Kind::Judgment),
        Some("parameter") => Some(catalogue::Kind::Parameter),
        Some(other) => {
            return Err(ApiError::bad_request(
                "invalid_kind",
                format!("invalid kind `{other}`: expected question, input, judgment or parameter"),
            )
            .at("query.kind"));
        }
    };
    let filter = catalogue::Filter {
        area: query_param(&query, "area").map(str::to_string),
        kind,
    };
    let entries = catalogue::entries(rb, &filter)
        .map_err(|e| ApiError::not_found("unknown_area", e.to_string()).at("query.area"))?;
    Ok(json(catalogue::list_json(rb, &entries)))
}

fn unknown_name(rb: &Rulebase, name: &str, location: &str) -> ApiError {
    let error = catalogue::CatalogueError::UnknownName {
        name: name.to_string(),
        suggestions: catalogue::suggestions(rb, name),
    };
    ApiError::not_found(
        "unknown_name",
        error.to_string().replace("\n  hint: ", "; "),
    )
    .at(location)
}

async fn item(
    axum::extract::State(state): Shared,
    Path(name): Path<String>,
) -> Result<Response, ApiError> {
    let rb = &state.loaded.rulebase;
    let id = rb
        .lookup(&name)
        .ok_or_else(|| unknown_name(rb, &name, "path.name"))?;
    Ok(json(catalogue::show_json(&state.loaded, id)))
}

/// Reads a request body whole, refusing one past `--max-body-bytes` with 413.
async fn read_body(state: &State, request: Request) -> Result<Bytes, ApiError> {
    let limit = state.limits.body_bytes;
    axum::body::to_bytes(request.into_body(), limit)
        .await
        .map_err(|_| {
            ApiError::too_large(
                "body_too_large",
                format!("the request body is larger than {limit} bytes (--max-body-bytes)"),
            )
            .at("$")
        })
}

/// Parses a JSON object body after checking its shape against the bounds.
fn parse_object(state: &State, bytes: &[u8]) -> Result<Map<String, J>, ApiError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        ApiError::bad_request(
            "malformed_json",
            format!("the body is not UTF-8 (byte {})", e.valid_up_to()),
        )
        .at("$")
    })?;
    check_shape(text, &state.limits)?;
    let value: J = serde_json::from_str(text).map_err(|e| {
        ApiError::bad_request(
            "malformed_json",
            format!(
                "the body is not JSON: {e} (line {}, column {})",
                e.line(),
                e.column()
            ),
        )
        .at("$")
    })?;
    match value {
        J::Object(object) => Ok(object),
        J::Null | J::Bool(_) | J::Number(_) | J::String(_) | J::Array(_) => {
            Err(ApiError::bad_request("malformed_json", "expected a JSON object").at("$"))
        }
    }
}

fn take_string(object: &mut Map<String, J>, key: &str) -> Result<Option<String>, ApiError> {
    match object.shift_remove(key) {
        None | Some(J::Null) => Ok(None),
        Some(J::String(text)) => Ok(Some(text)),
        Some(_) => Err(
            ApiError::bad_request("wrong_type", format!("`{key}` must be a string"))
                .at(format!("$.{key}")),
        ),
    }
}

/// A question named by a request, resolved.
fn question_id(rb: &Rulebase, name: &str, location: &str) -> Result<ItemId, ApiError> {
    let id = rb
        .lookup(name)
        .ok_or_else(|| unknown_name(rb, name, location))?;
    if matches!(rb.item(id).kind, ItemKind::Input { .. }) {
        return Err(ApiError::bad_request(
            "not_a_question",
            format!("`{name}` is an input, not a question: give it in `given`"),
        )
        .at(location));
    }
    Ok(id)
}

/// The facts of a request (`as_of` and `given`, the rest already taken out), read by the same
/// reader as `--facts` files and batch lines.
fn read_facts(rb: &Rulebase, rest: Map<String, J>) -> Result<facts::JsonFacts, ApiError> {
    let text = J::Object(rest).to_string();
    facts::from_json(rb, &text).map_err(|e| {
        let fault_of_facts = e.path.starts_with("$.given[");
        let error = if fault_of_facts {
            ApiError::unprocessable(e.code.as_str(), e.message)
        } else {
            ApiError::bad_request(e.code.as_str(), e.message)
        };
        error.at(e.path)
    })
}

struct Asked {
    question: ItemId,
    date: NaiveDate,
    facts: Facts,
    explain: Explain,
}

fn read_question(
    state: &State,
    bytes: &[u8],
    who: bool,
) -> Result<(Asked, Option<String>), ApiError> {
    let rb = &state.loaded.rulebase;
    let mut object = parse_object(state, bytes)?;
    let name = take_string(&mut object, "question")?.ok_or_else(|| {
        ApiError::bad_request("missing_field", "`question` is required").at("$.question")
    })?;
    let over = if who {
        Some(take_string(&mut object, "over")?.ok_or_else(|| {
            ApiError::bad_request("missing_field", "`over` is required: an enum input").at("$.over")
        })?)
    } else {
        None
    };
    let explain = explain_of(take_string(&mut object, "explain")?.as_deref(), "$.explain")?;
    let question = question_id(rb, &name, "$.question")?;
    let json = read_facts(rb, object)?;
    let date = json.as_of.ok_or_else(|| {
        ApiError::bad_request(
            "no_date",
            "no date: every answer is \"as of\" a date; give \"as_of\": \"YYYY-MM-DD\"",
        )
        .at("$.as_of")
    })?;
    let mut facts = Facts::new(rb);
    for (id, value) in json.given {
        facts.set(id, value);
    }
    Ok((
        Asked {
            question,
            date,
            facts,
            explain,
        },
        over,
    ))
}

fn eval_error(error: &eval::EvalError) -> ApiError {
    ApiError::unprocessable(error.code().as_str(), error.to_string()).at("$.given")
}

async fn ask(axum::extract::State(state): Shared, request: Request) -> Result<Response, ApiError> {
    let bytes = read_body(&state, request).await?;
    let (asked, _) = read_question(&state, &bytes, false)?;
    let answer = blocking(move || {
        let rb = &state.loaded.rulebase;
        let answer = eval::answer(rb, asked.question, asked.date, &asked.facts)
            .map_err(|e| eval_error(&e))?;
        Ok(render::json::answer_with(rb, &answer, asked.explain))
    })
    .await?;
    Ok(json(answer))
}

async fn who(axum::extract::State(state): Shared, request: Request) -> Result<Response, ApiError> {
    let bytes = read_body(&state, request).await?;
    let (asked, over) = read_question(&state, &bytes, true)?;
    let over = over.unwrap_or_default();
    let rb = &state.loaded.rulebase;
    let over_id = facts::lookup_input(rb, &over)
        .map_err(|e| ApiError::not_found("unknown_name", e.to_string()).at("$.over"))?;
    crate::who::over_enum(rb, over_id, &over)
        .map_err(|e| ApiError::bad_request("not_an_enum", e.to_string()).at("$.over"))?;
    let table = blocking(move || {
        let rb = &state.loaded.rulebase;
        let rows = crate::who::rows(
            rb,
            asked.question,
            over_id,
            &over,
            asked.date,
            &asked.facts,
            &[],
        )
        .map_err(|e| match e {
            crate::who::WhoError::Eval(e) => eval_error(&e),
            other @ crate::who::WhoError::NotAnEnum { .. } => {
                ApiError::bad_request("not_an_enum", other.to_string()).at("$.over")
            }
        })?;
        Ok(crate::who::json(
            rb,
            asked.question,
            &over,
            asked.date,
            &rows,
            asked.explain,
        ))
    })
    .await?;
    Ok(json(table))
}

/// `POST /v1/batch?question=NAME[&as_of=DATE][&explain=brief]`: JSON Lines in, one answer (or
/// error object) per non-blank line out, in input order, each written as soon as it is ready.
async fn batch(
    axum::extract::State(state): Shared,
    Query(query): Query<HashMap<String, String>>,
    request: Request,
) -> Result<Response, ApiError> {
    let rb = &state.loaded.rulebase;
    let name = query_param(&query, "question").ok_or_else(|| {
        ApiError::bad_request("missing_field", "`question` is required in the query")
            .at("query.question")
    })?;
    let question = question_id(rb, name, "query.question")?;
    let default_date = query_date(&query, "as_of")?;
    let explain = explain_of(query_param(&query, "explain"), "query.explain")?;
    let in_flight = request.extensions().get::<limits::InFlight>().cloned();
    let bytes = read_body(&state, request).await?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let lines: Vec<(usize, String)> = text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(idx, line)| (idx + 1, line.to_string()))
        .collect();
    if lines.len() > state.limits.batch_lines {
        return Err(ApiError::too_large(
            "too_many_lines",
            format!(
                "the batch has {} lines; at most {} are read (--max-batch-lines)",
                lines.len(),
                state.limits.batch_lines
            ),
        )
        .at("$"));
    }
    let (sender, receiver) = tokio::sync::mpsc::channel::<String>(64);
    let deadline =
        std::time::Instant::now() + std::time::Duration::from_millis(state.limits.request_ms);
    let worker = state.clone();
    // One thread with the evaluator's large stack answers every line in order.
    let spawned = std::thread::Builder::new()
        .name("zan-serve-batch".to_string())
        .stack_size(eval::EVAL_STACK_BYTES)
        .spawn(move || {
            // The batch counts as in flight until its last line is sent.
            let _in_flight = in_flight;
            let rb = &worker.loaded.rulebase;
            let answerer = crate::batch::LineAnswerer {
                rulebase: rb,
                question,
                default_date,
                readings: &[],
                detail: eval::Detail::Trace,
            };
            let mut facts = Facts::new(rb);
            let mut workspace = eval::Workspace::default();
            for (number, line) in &lines {
                if std::time::Instant::now() >= deadline {
                    let error = serde_json::json!({"line": number, "error": {"code": "timeout", "message": format!("the batch took longer than {} ms (--request-timeout-ms); the lines from here on were not answered", worker.limits.request_ms), "location": J::Null}});
                    let _ = sender.blocking_send(format!("{error}\n"));
                    return;
                }
                let out = batch_line(
                    &worker,
                    &answerer,
                    (&mut facts, &mut workspace),
                    explain,
                    *number,
                    line,
                );
                if sender.blocking_send(format!("{out}\n")).is_err() {
                    return; // The client went away.
                }
            }
        });
    if spawned.is_err() {
        return Err(ApiError::unavailable(
            "overloaded",
            "no thread could be started for the batch",
        ));
    }
    let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver
            .recv()
            .await
            .map(|line| (Ok::<_, std::convert::Infallible>(line), receiver))
    });
    Ok((
        [(header::CONTENT_TYPE, "application/x-ndjson")],
        Body::from_stream(stream),
    )
        .into_response())
}

/// One line of `/v1/batch`: its shape and facts checked here, then answered by the library's
/// batch step ([`crate::batch::LineAnswerer`]), as `zan batch` answers it.
fn batch_line(
    state: &State,
    answerer: &crate::batch::LineAnswerer<'_>,
    (facts, workspace): (&mut Facts, &mut eval::Workspace),
    explain: Explain,
    number: usize,
    line: &str,
) -> J {
    let error = |error: ApiError| serde_json::json!({"line": number, "error": {"code": error.code, "message": error.message, "location": error.location}});
    if let Err(e) = check_shape(line, &state.limits) {
        return error(e);
    }
    let json = match facts::from_json(answerer.rulebase, line) {
        Ok(json) => json,
        Err(e) => {
            return serde_json::json!({"line": number, "error": {"code": e.code.as_str(), "message": e.message, "location": e.path}});
        }
    };
    match answerer.answer(json, facts, workspace) {
        Ok(answer) => {
            let mut object = Map::new();
            object.insert("line".into(), J::from(number));
            if let J::Object(rest) = render::json::answer_with(answerer.rulebase, &answer, explain)
            {
                object.extend(rest);
            }
            J::Object(object)
        }
        Err(crate::batch::LineError::NoDate) => error(
            ApiError::bad_request(
                "no_date",
                "no date: give \"as_of\" on the line or in the query",
            )
            .at("$.as_of"),
        ),
        Err(crate::batch::LineError::Eval(e)) => error(eval_error(&e)),
    }
}

async fn diff(
    axum::extract::State(state): Shared,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let rb = &state.loaded.rulebase;
    let required = |name: &str| {
        query_date(&query, name)?.ok_or_else(|| {
            ApiError::bad_request("missing_field", format!("`{name}` is required: YYYY-MM-DD"))
                .at(format!("query.{name}"))
        })
    };
    let from = required("from")?;
    let to = required("to")?;
    if from > to {
        return Err(ApiError::bad_request(
            "invalid_period",
            format!(
                "from {from} is after to {to}: the period runs from the earlier date to the later"
            ),
        )
        .at("query.from"));
    }
    let mut filter = crate::diff::Filter::default();
    if let Some(area) = query_param(&query, "area") {
        match rb.areas.iter().position(|a| a.name == area) {
            Some(idx) => filter.area = Some(crate::rulebase::AreaId(idx as u32)),
            None => {
                let error = catalogue::CatalogueError::UnknownArea {
                    area: area.to_string(),
                    areas: rb.areas.iter().map(|a| a.name.clone()).collect(),
                };
                return Err(ApiError::not_found("unknown_area", error.to_string()).at("query.area"));
            }
        }
    }
    if let Some(name) = query_param(&query, "name") {
        if !rb.names.keys().any(|n| n.starts_with(name)) {
            return Err(unknown_name(rb, name, "query.name"));
        }
        filter.name = Some(name.to_string());
    }
    let changes = crate::diff::history(rb, from, to, &filter);
    let points = render::readings::diff(rb, from, to, &filter);
    Ok(json(render::readings::diff_document(
        rb, from, to, &changes, &points,
    )))
}
