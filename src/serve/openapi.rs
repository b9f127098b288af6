//! The OpenAPI 3.1 document of `/v1`, built from [`ROUTES`], the table that also lists what
//! the router serves (a test asks every route of the table and fails on one the router lacks).

use serde_json::{Map, Value as J, json};

/// A parameter in the path or the query.
pub struct Param {
    pub name: &'static str,
    pub place: &'static str,
    pub required: bool,
    pub description: &'static str,
}

/// One operation of the API.
pub struct Route {
    pub method: &'static str,
    pub path: &'static str,
    pub operation: &'static str,
    pub summary: &'static str,
    pub params: &'static [Param],
    /// The media type of the request body, and its schema's name under `components`.
    pub body: Option<(&'static str, &'static str)>,
    /// The media type of the answer.
    pub answers: &'static str,
    /// The error statuses the operation can give, besides 413 and 503 (every operation).
    pub errors: &'static [u16],
}

const fn query(name: &'static str, required: bool, description: &'static str) -> Param {
    Param {
        name,
        place: "query",
        required,
        description,
    }
}

/// Every operation of `/v1`.
pub const ROUTES: &[Route] = &[
    Route {
        method: "get",
        path: "/v1/health",
        operation: "health",
        summary: "The server is up; the rules' digest",
        params: &[],
        body: None,
        answers: "application/json",
        errors: &[],
    },
    Route {
        method: "get",
        path: "/v1/openapi.json",
        operation: "openapi",
        summary: "This document",
        params: &[],
        body: None,
        answers: "application/json",
        errors: &[],
    },
    Route {
        method: "get",
        path: "/v1/items",
        operation: "items",
        summary: "The catalogue: questions, inputs, judgments, parameters (as `zan list --format json`)",
        params: &[
            query("area", false, "only this area, e.g. `parties`"),
            query("kind", false, "question, input, judgment or parameter"),
        ],
        body: None,
        answers: "application/json",
        errors: &[400, 404],
    },
    Route {
        method: "get",
        path: "/v1/items/{name}",
        operation: "item",
        summary: "One item (as `zan show NAME --format json`)",
        params: &[Param {
            name: "name",
            place: "path",
            required: true,
            description: "e.g. `party.may_register`",
        }],
        body: None,
        answers: "application/json",
        errors: &[404],
    },
    Route {
        method: "post",
        path: "/v1/ask",
        operation: "ask",
        summary: "Answer a question as of a date from facts (as `zan ask --format json`)",
        params: &[],
        body: Some(("application/json", "AskRequest")),
        answers: "application/json",
        errors: &[400, 404, 422],
    },
    Route {
        method: "post",
        path: "/v1/who",
        operation: "who",
        summary: "Answer a question for every value of an enum input (as `zan who --format json`)",
        params: &[],
        body: Some(("application/json", "WhoRequest")),
        answers: "application/json",
        errors: &[400, 404, 422],
    },
    Route {
        method: "post",
        path: "/v1/batch",
        operation: "batch",
        summary: "JSON Lines of facts in, JSON Lines of answers out, streamed in input order",
        params: &[
            query("question", true, "the question every line is asked"),
            query(
                "as_of",
                false,
                "the date for lines without `as_of` (YYYY-MM-DD)",
            ),
            query("explain", false, "`full` (default) or `brief`"),
        ],
        body: Some(("application/x-ndjson", "FactsLine")),
        answers: "application/x-ndjson",
        errors: &[400, 404],
    },
    Route {
        method: "get",
        path: "/v1/diff",
        operation: "diff",
        summary: "The legislative history between two dates (as `zan diff --format json`)",
        params: &[
            query("from", true, "the day before the period (YYYY-MM-DD)"),
            query("to", true, "the last day of the period (YYYY-MM-DD)"),
            query("area", false, "only this area"),
            query(
                "name",
                false,
                "only this name, or the names that begin with it",
            ),
        ],
        body: None,
        answers: "application/json",
        errors: &[400, 404],
    },
];

fn status_text(status: u16) -> &'static str {
    match status {
        400 => "Bad input: malformed JSON, a wrong shape or type, an invalid date",
        404 => "Unknown name (question, input, area) or route",
        413 => "Past a bound: body size, JSON depth, list length, batch lines",
        422 => "The facts fail the rules' checks, or the evaluation cannot be carried out",
        503 => "Overloaded (too many requests in flight) or past the time per request",
        _ => "Error",
    }
}

fn facts_properties() -> Map<String, J> {
    let mut properties = Map::new();
    properties.insert(
        "as_of".into(),
        json!({"type": "string", "format": "date", "description": "the date the answer is as of"}),
    );
    properties.insert(
        "given".into(),
        json!({"type": "object", "description": "facts: input name -> value (numbers, strings such as \"5.29%\", enum values, booleans, lists)", "additionalProperties": true}),
    );
    properties.insert(
        "explain".into(),
        json!({"type": "string", "enum": ["full", "brief"]}),
    );
    properties
}

fn request_schema(extra: &[(&str, &str)]) -> J {
    let mut properties = Map::new();
    let mut required = vec![J::from("question"), J::from("as_of")];
    properties.insert(
        "question".into(),
        json!({"type": "string", "description": "a question or parameter, e.g. `party.may_register`"}),
    );
    for (name, description) in extra {
        properties.insert(
            (*name).into(),
            json!({"type": "string", "description": description}),
        );
        required.push(J::from(*name));
    }
    properties.extend(facts_properties());
    json!({"type": "object", "properties": properties, "required": required, "additionalProperties": false})
}

/// The shared JSON Schema of zan's JSON (`schema/zan.schema.json`, the one the command line's
/// output follows), its definitions moved under `components/schemas` (OpenAPI 3.1 schemas are
/// JSON Schema 2020-12, so they are taken as they are; only the references are re-pointed).
fn shared_schemas() -> Map<String, J> {
    const SCHEMA: &str = include_str!("../../schema/zan.schema.json");
    let text = SCHEMA.replace("\"#/$defs/", "\"#/components/schemas/");
    match serde_json::from_str::<J>(&text) {
        Ok(J::Object(mut schema)) => match schema.shift_remove("$defs") {
            Some(J::Object(defs)) => defs,
            _ => Map::new(),
        },
        _ => Map::new(),
    }
}

/// The shared schema definition an operation answers with (for `batch`, each line's).
fn answer_schema(operation: &str) -> Option<&'static str> {
    match operation {
        "ask" => Some("answer"),
        "who" => Some("who_table"),
        "batch" => Some("batch_line"),
        "diff" => Some("diff"),
        _ => None,
    }
}

/// The OpenAPI 3.1 document.
pub fn document() -> J {
    let mut paths = Map::new();
    for route in ROUTES {
        let mut responses = Map::new();
        let schema = match answer_schema(route.operation) {
            Some(name) if route.answers == "application/json" => {
                json!({"$ref": format!("#/components/schemas/{name}")})
            }
            Some(name) => json!({
                "type": "string",
                "description": format!("JSON Lines: each line is a `{name}` (#/components/schemas/{name})"),
            }),
            None if route.answers == "application/json" => json!({"type": "object"}),
            None => json!({"type": "string"}),
        };
        responses.insert(
            "200".into(),
            json!({"description": "OK", "content": {route.answers: {"schema": schema}}}),
        );
        for status in route.errors.iter().chain(&[413, 503]) {
            responses.insert(
                status.to_string(),
                json!({"description": status_text(*status), "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}),
            );
        }
        let mut operation = Map::new();
        operation.insert("operationId".into(), J::from(route.operation));
        operation.insert("summary".into(), J::from(route.summary));
        if !route.params.is_empty() {
            operation.insert(
                "parameters".into(),
                J::Array(
                    route
                        .params
                        .iter()
                        .map(|p| {
                            json!({"name": p.name, "in": p.place, "required": p.required,
                                "description": p.description, "schema": {"type": "string"}})
                        })
                        .collect(),
                ),
            );
        }
        if let Some((media, schema)) = route.body {
            operation.insert(
                "requestBody".into(),
                json!({"required": true, "content": {media: {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}}),
            );
        }
        operation.insert("responses".into(), J::Object(responses));
        let entry = paths
            .entry(route.path.to_string())
            .or_insert_with(|| J::Object(Map::new()));
        if let J::Object(methods) = entry {
            methods.insert(route.method.into(), J::Object(operation));
        }
    }
    let mut schemas = shared_schemas();
    schemas.insert(
        "Error".into(),
        json!({"$ref": "#/components/schemas/api_error"}),
    );
    schemas.insert("AskRequest".into(), request_schema(&[]));
    schemas.insert(
        "WhoRequest".into(),
        request_schema(&[("over", "the enum input whose every value is tried")]),
    );
    schemas.insert(
        "FactsLine".into(),
        json!({"type": "object", "properties": facts_properties(), "description": "one line of JSON Lines"}),
    );
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "zan",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Kazakhstan's constitutional and statutory provisions as dated, cited, executable rules. Answers have the shape of `zan ask --format json`.",
        },
        "paths": paths,
        "components": {"schemas": schemas},
    })
}
