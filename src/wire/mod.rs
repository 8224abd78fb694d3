//! The Lambda REST-JSON wire protocol for the operations addperm uses: the operation values,
//! their HTTP form, and HTTP-shaped responses.
//!
//! One representation serves every target: the in-process reference answers an [`Operation`]
//! with the same [`Response`] bytes `addperm serve` sends, so a case is judged by one code path
//! whether the implementation is in-process or remote.

mod execute;
pub mod route;

pub use execute::{answer, error_response, execute, Answer, RULE_HEADER};

use crate::reference::AddPermissionRequest;

/// The API version prefix of every Lambda path used here.
pub const API_PREFIX: &str = "/2015-03-31/functions";

/// One Lambda API call.
#[derive(Debug, Clone, PartialEq)]
pub enum Operation {
    CreateFunction {
        name: String,
    },
    GetFunction {
        name: String,
        qualifier: Option<String>,
    },
    DeleteFunction {
        name: String,
    },
    PublishVersion {
        name: String,
    },
    /// Changes `$LATEST`'s description, so that the next PublishVersion publishes a new
    /// version (AWS publishes none when code and configuration are unchanged).
    UpdateFunctionConfiguration {
        name: String,
        description: String,
    },
    CreateAlias {
        name: String,
        alias: String,
        version: String,
    },
    GetAlias {
        name: String,
        alias: String,
    },
    AddPermission(AddPermissionRequest),
    GetPolicy {
        function_name: String,
        qualifier: Option<String>,
    },
    RemovePermission {
        function_name: String,
        statement_id: String,
        qualifier: Option<String>,
        revision_id: Option<String>,
    },
}

/// An operation as an HTTP request: method, path (percent-encoded), query pairs (not encoded)
/// and body bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: &'static str,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpRequest {
    /// Path and query, both percent-encoded, as sent on the request line.
    pub fn path_and_query(&self) -> String {
        let mut out = self.path.clone();
        for (i, (k, v)) in self.query.iter().enumerate() {
            out.push(if i == 0 { '?' } else { '&' });
            out.push_str(&encode_component(k));
            out.push('=');
            out.push_str(&encode_component(v));
        }
        out
    }
}

/// Percent-encodes a path segment or query component as AWS SDKs do (RFC 3986 unreserved
/// characters stay, everything else is encoded byte by byte, `:` included).
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Operation {
    /// The operation's name in the Lambda API.
    pub fn name(&self) -> &'static str {
        match self {
            Operation::CreateFunction { .. } => "CreateFunction",
            Operation::GetFunction { .. } => "GetFunction",
            Operation::DeleteFunction { .. } => "DeleteFunction",
            Operation::PublishVersion { .. } => "PublishVersion",
            Operation::UpdateFunctionConfiguration { .. } => "UpdateFunctionConfiguration",
            Operation::CreateAlias { .. } => "CreateAlias",
            Operation::GetAlias { .. } => "GetAlias",
            Operation::AddPermission(_) => "AddPermission",
            Operation::GetPolicy { .. } => "GetPolicy",
            Operation::RemovePermission { .. } => "RemovePermission",
        }
    }

    /// The HTTP request that performs this operation, a CreateFunction naming the fixture role
    /// of the default account ([`fixture_role_arn`]): the form for tools that show or route
    /// requests. A target sends [`Operation::to_http_with_role`] with its own role.
    pub fn to_http(&self) -> HttpRequest {
        let role = fixture_role_arn(
            crate::contract::DEFAULT_PARTITION,
            crate::contract::DEFAULT_ACCOUNT,
        );
        self.to_http_with_role(&role)
    }

    /// The HTTP request that performs this operation, a CreateFunction naming the execution
    /// role `role` (an IAM role ARN; the other operations name none). The role belongs to the
    /// target's account, and moto and AWS refuse a function whose role does not exist there.
    pub fn to_http_with_role(&self, role: &str) -> HttpRequest {
        let fpath =
            |name: &str, rest: &str| format!("{API_PREFIX}/{}{rest}", encode_component(name));
        let qualifier = |q: &Option<String>| {
            q.iter()
                .map(|q| ("Qualifier".to_string(), q.clone()))
                .collect::<Vec<_>>()
        };
        let (method, path, query, body) = match self {
            Operation::CreateFunction { name } => (
                "POST",
                API_PREFIX.to_string(),
                Vec::new(),
                create_function_body(name, role),
            ),
            Operation::GetFunction { name, qualifier: q } => {
                ("GET", fpath(name, ""), qualifier(q), Vec::new())
            }
            Operation::DeleteFunction { name } => {
                ("DELETE", fpath(name, ""), Vec::new(), Vec::new())
            }
            Operation::PublishVersion { name } => {
                ("POST", fpath(name, "/versions"), Vec::new(), b"{}".to_vec())
            }
            Operation::UpdateFunctionConfiguration { name, description } => (
                "PUT",
                fpath(name, "/configuration"),
                Vec::new(),
                serde_json::json!({ "Description": description })
                    .to_string()
                    .into_bytes(),
            ),
            Operation::CreateAlias {
                name,
                alias,
                version,
            } => (
                "POST",
                fpath(name, "/aliases"),
                Vec::new(),
                serde_json::json!({"Name": alias, "FunctionVersion": version})
                    .to_string()
                    .into_bytes(),
            ),
            Operation::GetAlias { name, alias } => (
                "GET",
                fpath(name, &format!("/aliases/{}", encode_component(alias))),
                Vec::new(),
                Vec::new(),
            ),
            Operation::AddPermission(r) => (
                "POST",
                fpath(&r.function_name, "/policy"),
                qualifier(&r.qualifier),
                r.body.to_bytes(),
            ),
            Operation::GetPolicy {
                function_name,
                qualifier: q,
            } => (
                "GET",
                fpath(function_name, "/policy"),
                qualifier(q),
                Vec::new(),
            ),
            Operation::RemovePermission {
                function_name,
                statement_id,
                qualifier: q,
                revision_id,
            } => {
                let mut query = qualifier(q);
                if let Some(r) = revision_id {
                    query.push(("RevisionId".to_string(), r.clone()));
                }
                (
                    "DELETE",
                    fpath(
                        function_name,
                        &format!("/policy/{}", encode_component(statement_id)),
                    ),
                    query,
                    Vec::new(),
                )
            }
        };
        HttpRequest {
            method,
            path,
            query,
            body,
        }
    }
}

/// The name of the role fixture functions run as, unless a run names another (`--role`).
pub const FIXTURE_ROLE: &str = "addperm-fixture-role";

/// The ARN of [`FIXTURE_ROLE`] in `account` of `partition`.
pub fn fixture_role_arn(partition: &str, account: &str) -> String {
    format!("arn:{partition}:iam::{account}:role/{FIXTURE_ROLE}")
}

/// A CreateFunction body that real emulators accept: a tiny Python handler in an in-memory zip,
/// run as `role`.
fn create_function_body(name: &str, role: &str) -> Vec<u8> {
    serde_json::json!({
        "FunctionName": name,
        "Runtime": "python3.12",
        "Role": role,
        "Handler": "index.handler",
        "Code": {"ZipFile": HANDLER_ZIP_BASE64},
        "Publish": false,
    })
    .to_string()
    .into_bytes()
}

/// `index.py` (`def handler(event, context): return {'ok': True}`) zipped, base64.
const HANDLER_ZIP_BASE64: &str = "UEsDBBQAAAAIAAAAIVDzGFuKNQAAADUAAAAIAAAAaW5kZXgucHlLSU1TyEjMS8lJLdJILUvNK9FRSM7PK0mtKNG04lIAgqLUktKiPIVq9fxsdSuFkKLS1FouAFBLAQIUAxQAAAAIAAAAIVDzGFuKNQAAADUAAAAIAAAAAAAAAAAAAACkAQAAAABpbmRleC5weVBLBQYAAAAAAQABADYAAABbAAAAAAA=";

/// An HTTP response: what a target answered, or what the reference answers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Response {
    pub status: u16,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// The first header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// A JSON response with AWS's headers.
    pub fn json(status: u16, body: String) -> Response {
        Response {
            status,
            headers: vec![
                ("content-type".into(), "application/json".into()),
                ("x-amzn-requestid".into(), uuid::Uuid::new_v4().to_string()),
            ],
            body: body.into_bytes(),
        }
    }

    /// An empty response (204).
    pub fn empty(status: u16) -> Response {
        Response {
            status,
            headers: vec![("x-amzn-requestid".into(), uuid::Uuid::new_v4().to_string())],
            body: Vec::new(),
        }
    }
}
