//! Errors as the API returns them: `{"error": {"code", "message", "location"}}` with the HTTP
//! status that says whose fault it is.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// An error answer. `location` is a JSON path into the request (`$.given["party.members"]`),
/// or the query parameter or path segment at fault (`query.from`, `path.name`).
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub location: Option<String>,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            location: None,
        }
    }

    /// 400: the request is not what the API reads (malformed JSON, a wrong shape or type).
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// 404: no question, input or parameter of that name (or no such route).
    pub fn not_found(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, code, message)
    }

    /// 413: past a size bound (body, depth, list length, batch lines).
    pub fn too_large(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, code, message)
    }

    /// 422: well-formed, but the facts fail the rules' checks (unknown input, wrong type for
    /// the input, a value outside its domain), or the evaluation cannot be carried out.
    pub fn unprocessable(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
    }

    /// 503: too many requests in flight, or the request ran past its time.
    pub fn unavailable(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, code, message)
    }

    pub fn at(mut self, location: impl Into<String>) -> ApiError {
        self.location = Some(location.into());
        self
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({"error": {
            "status": self.status.as_u16(),
            "code": self.code,
            "message": self.message,
            "location": self.location,
        }})
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, axum::Json(self.to_json())).into_response();
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static("1"),
            );
        }
        response
    }
}
