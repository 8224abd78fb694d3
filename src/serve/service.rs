//! One HTTP exchange: read the body within the size limit, answer with [`handle`], and turn
//! the [`Response`] into hyper's type.

use super::window::Shared;
use crate::contract::ErrorKind;
use crate::contract::MAX_REQUEST_BODY_BYTES;
use crate::wire::route::too_large;
use crate::wire::Response;
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderName, HeaderValue, CONNECTION, CONTENT_LENGTH};
use std::convert::Infallible;
use std::sync::Arc;

/// How much of an oversized body is read and thrown away before the 413. A client still
/// sending when the server closes would see a reset instead of the answer; reading the rest
/// avoids that. Past this much the connection is closed anyway, so no client can keep the
/// server reading forever.
const DRAIN_LIMIT: u64 = 64 * 1024 * 1024;

/// A request body that did not arrive whole.
enum BodyError {
    /// Over [`MAX_REQUEST_BODY_BYTES`]; `drained` when all of it was read (the connection can be kept).
    TooLarge { drained: bool },
    /// The client broke off.
    Broken,
}

pub(super) async fn respond(
    state: Arc<Shared>,
    request: hyper::Request<Incoming>,
) -> Result<hyper::Response<Full<Bytes>>, Infallible> {
    let (parts, body) = request.into_parts();
    let declared = parts
        .headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    let response = match read_body(body, declared).await {
        Ok(bytes) => {
            let target = parts.uri.path_and_query().map_or("/", |p| p.as_str());
            state.answer(parts.method.as_str(), target, &bytes).await
        }
        Err(BodyError::TooLarge { drained }) => {
            let mut r = too_large();
            if !drained {
                r.headers.push((CONNECTION.as_str().into(), "close".into()));
            }
            r
        }
        Err(BodyError::Broken) => {
            let mut r = Response::json(400, r#"{"message":"incomplete request body"}"#.into());
            r.headers.push((CONNECTION.as_str().into(), "close".into()));
            r
        }
    };
    Ok(to_hyper(response))
}

/// Reads the body up to [`MAX_REQUEST_BODY_BYTES`]; past that, drains up to [`DRAIN_LIMIT`].
async fn read_body(mut body: Incoming, declared: Option<u64>) -> Result<Vec<u8>, BodyError> {
    if declared.is_some_and(|n| n > DRAIN_LIMIT) {
        return Err(BodyError::TooLarge { drained: false });
    }
    let mut bytes = Vec::new();
    let mut seen: u64 = 0;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| BodyError::Broken)?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        seen += data.len() as u64;
        if seen > DRAIN_LIMIT {
            return Err(BodyError::TooLarge { drained: false });
        }
        if seen <= MAX_REQUEST_BODY_BYTES as u64 {
            bytes.extend_from_slice(&data);
        }
    }
    if seen > MAX_REQUEST_BODY_BYTES as u64 {
        return Err(BodyError::TooLarge { drained: true });
    }
    Ok(bytes)
}

/// AWS's answer to its own faults (ServiceException, 500), for a panic in the reference.
pub(super) fn internal_error() -> Response {
    let kind = ErrorKind::Service;
    let mut r = Response::json(
        kind.status(),
        kind.body("addperm serve: internal error (a bug in the reference; please report it)"),
    );
    r.headers
        .push(("x-amzn-errortype".into(), kind.name().into()));
    r
}

/// The hyper form of `r`. A header that HTTP cannot carry is dropped, never an error.
fn to_hyper(r: Response) -> hyper::Response<Full<Bytes>> {
    let mut out = hyper::Response::new(Full::new(Bytes::from(r.body)));
    *out.status_mut() =
        hyper::StatusCode::from_u16(r.status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in r.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&value),
        ) {
            out.headers_mut().append(name, value);
        }
    }
    out
}
