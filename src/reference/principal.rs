//! Which principals AWS accepts, and how each appears in the statement.
//!
//! AWS checks principals semantically against its own lists (services, existing IAM entities),
//! which no emulator can know. The reference accepts what is well-formed: `*`, a 12-digit account,
//! an IAM or STS principal ARN, and a service name under `amazonaws.com` (or the Alexa services
//! under `amazon.com`). `invalid.nonaws.com` is rejected, as recorded.

use crate::contract::{ErrorKind, Rule};
use crate::reference::LambdaError;
use regex::Regex;
use serde_json::{json, Value};
use std::sync::LazyLock;

static SERVICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[a-z0-9][a-z0-9-]*\.)+(?:amazonaws\.com(?:\.cn)?)$").expect("valid regex")
});
static ACCOUNT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[0-9]{12}$").expect("valid regex"));
static IAM_RESOURCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:root|(?:user|role)/(?:[a-zA-Z0-9_+=,.@-]+/)*[a-zA-Z0-9_+=,.@-]+)$")
        .expect("valid regex")
});
static STS_RESOURCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^assumed-role/[a-zA-Z0-9_+=,.@-]+/[a-zA-Z0-9_+=,.@-]+$").expect("valid regex")
});

/// Service principals outside `amazonaws.com` that Lambda documents.
const OTHER_SERVICES: [&str; 2] = ["alexa-appkit.amazon.com", "alexa-connectedhome.amazon.com"];

/// The kinds of principal AWS accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalKind {
    Everyone,
    Service,
    Account,
    IamArn,
}

/// Classifies `principal`, or gives the error AWS answers for it.
pub fn classify(principal: &str) -> Result<PrincipalKind, LambdaError> {
    if principal == "*" {
        return Ok(PrincipalKind::Everyone);
    }
    if ACCOUNT.is_match(principal) {
        return Ok(PrincipalKind::Account);
    }
    if let Some(rest) = principal.strip_prefix("arn:") {
        let parts: Vec<&str> = rest.splitn(5, ':').collect();
        if parts.len() < 5 {
            return Err(LambdaError::new(
                ErrorKind::InvalidParameterValue,
                Rule::MalformedPrincipalArn,
                format!(
                    "The provided input'{principal}'was invalid. Member must satisfy expression: [\\w+=,.@-]* Please check your input and try again."
                ),
            ));
        }
        let (partition, service, region, account, resource) =
            (parts[0], parts[1], parts[2], parts[3], parts[4]);
        let resource_ok = match service {
            "iam" => IAM_RESOURCE.is_match(resource),
            "sts" => STS_RESOURCE.is_match(resource),
            _ => false,
        };
        if partition.starts_with("aws") && region.is_empty() && ACCOUNT.is_match(account) && resource_ok
        {
            return Ok(PrincipalKind::IamArn);
        }
        return Err(invalid());
    }
    if SERVICE.is_match(principal) || OTHER_SERVICES.contains(&principal) {
        return Ok(PrincipalKind::Service);
    }
    Err(invalid())
}

fn invalid() -> LambdaError {
    LambdaError::new(
        ErrorKind::InvalidParameterValue,
        Rule::InvalidPrincipal,
        "The provided principal was invalid. Please check the principal and try again.",
    )
}

/// The statement's `Principal` value for an accepted principal.
pub fn statement_principal(kind: PrincipalKind, principal: &str, partition: &str) -> Value {
    match kind {
        PrincipalKind::Everyone => json!("*"),
        PrincipalKind::Service => json!({ "Service": principal }),
        PrincipalKind::Account => json!({ "AWS": format!("arn:{partition}:iam::{principal}:root") }),
        PrincipalKind::IamArn => json!({ "AWS": principal }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recorded_forms() {
        assert_eq!(classify("*"), Ok(PrincipalKind::Everyone));
        for s in [
            "s3.amazonaws.com",
            "logs.us-east-1.amazonaws.com",
            "alexa-appkit.amazon.com",
        ] {
            assert_eq!(classify(s), Ok(PrincipalKind::Service), "{s}");
        }
        assert_eq!(classify("223456789012"), Ok(PrincipalKind::Account));
        assert_eq!(
            classify("arn:aws:iam::123456789012:role/service-role/my-role"),
            Ok(PrincipalKind::IamArn)
        );
        assert_eq!(classify("arn:aws:iam::123456789012:root"), Ok(PrincipalKind::IamArn));
        assert_eq!(
            classify("arn:aws:sts::123456789012:assumed-role/r/session"),
            Ok(PrincipalKind::IamArn)
        );
    }

    #[test]
    fn rejected_forms() {
        for s in [
            "invalid.nonaws.com",
            "alexa-appkit.smapi.amazon.com",
            "12345678901",
            "arn:aws:s3:::bucket/key:x",
            "arn:aws:iam::12345678901:root",
            "arn:aws:iam::123456789012:group/g",
        ] {
            assert_eq!(classify(s).unwrap_err().rule, Rule::InvalidPrincipal, "{s}");
        }
        let e = classify("arn:aws:iam:000000000000:role/xxxx").unwrap_err();
        assert_eq!(e.rule, Rule::MalformedPrincipalArn);
        assert_eq!(
            e.message,
            "The provided input'arn:aws:iam:000000000000:role/xxxx'was invalid. Member must satisfy expression: [\\w+=,.@-]* Please check your input and try again."
        );
    }

    #[test]
    fn statement_forms() {
        assert_eq!(
            statement_principal(PrincipalKind::Account, "223456789012", "aws"),
            json!({"AWS": "arn:aws:iam::223456789012:root"})
        );
        assert_eq!(statement_principal(PrincipalKind::Everyone, "*", "aws"), json!("*"));
    }
}
