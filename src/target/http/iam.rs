//! Creating the role fixture functions run as, through the target's own IAM API, so that an
//! emulator which checks CreateFunction's role (moto) needs no hand setup (`--create-role`).
//!
//! Emulators serve IAM at the same endpoint as Lambda, as the Query API (`Action=CreateRole`,
//! form-encoded), routed by the credential scope's service (`.../iam/aws4_request`). A target
//! whose requests are SigV4-signed is a real account, where addperm never creates IAM roles: the
//! role must exist there already ([`HttpOptions::role`](super::HttpOptions::role)).

use super::{HttpTarget, Service, Signing, TargetError};
use crate::wire::encode_component;

/// Who may assume the role: Lambda, as for any function's execution role.
const TRUST_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

/// What creating the role came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleCreated {
    /// IAM created it.
    Created,
    /// IAM had it already (`EntityAlreadyExists`): creating it is idempotent.
    Existed,
}

/// Why the role was not created.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoleError {
    #[error("refusing to create the IAM role {0}: the requests are SigV4-signed, so the target is a real account, where addperm never creates IAM roles; name a role that exists there instead")]
    RealAccount(String),
    #[error(
        "the role ARN {0:?} names no role (expected arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME)"
    )]
    NoRoleName(String),
    /// The target answered, but not by creating the role: it has no IAM API (`addperm serve`,
    /// which checks no role), or its IAM refused.
    #[error("IAM CreateRole of {role} answered HTTP {status}: {excerpt}")]
    Refused {
        role: String,
        status: u16,
        excerpt: String,
    },
    #[error("IAM CreateRole of {role}: {error}")]
    Target { role: String, error: TargetError },
}

/// How much of a refusal's body an error quotes.
const EXCERPT: usize = 200;

impl HttpTarget {
    /// Creates the role every CreateFunction names ([`HttpOptions::role`](super::HttpOptions))
    /// through the target's IAM API; a role that exists already is fine. Refused for a
    /// SigV4-signed target ([`RoleError::RealAccount`]).
    pub fn create_role(&self) -> Result<RoleCreated, RoleError> {
        let role = &self.options.role;
        if !matches!(self.options.signing, Signing::Fake { .. }) {
            return Err(RoleError::RealAccount(role.clone()));
        }
        let (path, name) =
            split_role_arn(role).ok_or_else(|| RoleError::NoRoleName(role.clone()))?;
        let body: Vec<String> = [
            ("Action", "CreateRole"),
            ("Version", "2010-05-08"),
            ("RoleName", name),
            ("Path", &path),
            ("AssumeRolePolicyDocument", TRUST_POLICY),
        ]
        .iter()
        .map(|(k, v)| format!("{k}={}", encode_component(v)))
        .collect();
        let response = self
            .exchange(
                Service::Iam,
                "POST",
                "/",
                Some("application/x-www-form-urlencoded; charset=utf-8"),
                body.join("&").into_bytes(),
            )
            .map_err(|error| RoleError::Target {
                role: role.clone(),
                error,
            })?;
        let text = String::from_utf8_lossy(&response.body);
        if (200..300).contains(&response.status) {
            Ok(RoleCreated::Created)
        } else if text.contains("EntityAlreadyExists") {
            Ok(RoleCreated::Existed)
        } else {
            Err(RoleError::Refused {
                role: role.clone(),
                status: response.status,
                excerpt: text.chars().take(EXCERPT).collect(),
            })
        }
    }
}

/// The IAM path (`/` or `/a/b/`) and role name of a role ARN
/// (`arn:aws:iam::123456789012:role/a/b/NAME`); `None` when it names no role.
fn split_role_arn(arn: &str) -> Option<(String, &str)> {
    let (_, resource) = arn.split_once(":role")?;
    let name = resource.rsplit('/').next().filter(|n| !n.is_empty())?;
    let path = resource[..resource.len() - name.len()].trim_start_matches('/');
    Some((format!("/{path}"), name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_arns_split_into_path_and_name() {
        for (arn, path, name) in [
            ("arn:aws:iam::123456789012:role/r", "/", "r"),
            ("arn:aws:iam::123456789012:role/a/b/r", "/a/b/", "r"),
            ("arn:aws:iam::123456789012:roler", "/", "r"),
        ] {
            assert_eq!(split_role_arn(arn), Some((path.to_string(), name)), "{arn}");
        }
        for bad in [
            "arn:aws:iam::123456789012:role/",
            "arn:aws:iam::123456789012:user/u",
        ] {
            assert_eq!(split_role_arn(bad), None, "{bad}");
        }
    }

    #[cfg(feature = "sigv4")]
    #[test]
    fn a_signed_target_never_creates_roles() {
        use crate::case::Placeholders;
        use crate::target::{Credentials, HttpOptions};
        let mut options = HttpOptions::new(Placeholders::default());
        options.signing = Signing::SigV4(Credentials {
            access_key_id: "AKID".into(),
            secret_access_key: "secret".into(),
            session_token: None,
        });
        // Nothing listens there: the refusal comes before any request.
        let target = HttpTarget::new("http://127.0.0.1:9", options).unwrap();
        let e = target.create_role().unwrap_err();
        assert!(matches!(e, RoleError::RealAccount(_)), "{e}");
        assert!(e.to_string().contains("real account"), "{e}");
    }
}
