//! The principal grammar: which principals AWS accepts, and how each appears in the statement.
//!
//! AWS checks principals semantically against its own lists (services, existing IAM entities),
//! which no emulator can know. The contract accepts what is well-formed: `*`, a 12-digit account,
//! an IAM or STS principal ARN, and a service name under `amazonaws.com` (or the Alexa services
//! under `amazon.com`). `invalid.nonaws.com` is rejected, as recorded. The reference judges
//! principals with [`classify`]; the generators build theirs from the same pieces.

use regex::Regex;
use serde_json::{json, Value};
use std::sync::LazyLock;

/// An AWS account id: twelve ASCII digits (the model's `\d{12}` for SourceAccount, AWS's for
/// the account of an ARN).
pub const ACCOUNT_ID: &str = "[0-9]{12}";

/// One character of an IAM user, role, path or session name.
pub const IAM_NAME_CHAR: &str = "[a-zA-Z0-9_+=,.@-]";

/// Service principals outside `amazonaws.com` that Lambda documents.
pub const OTHER_SERVICES: [&str; 2] = ["alexa-appkit.amazon.com", "alexa-connectedhome.amazon.com"];

/// The part of an ARN's fields a principal ARN is split into: `arn:` + five `:`-separated fields.
const ARN_FIELDS: usize = 5;

static SERVICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[a-z0-9][a-z0-9-]*\.)+(?:amazonaws\.com(?:\.cn)?)$").expect("valid regex")
});
static ACCOUNT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("^{ACCOUNT_ID}$")).expect("valid regex"));
static IAM_RESOURCE: LazyLock<Regex> = LazyLock::new(|| {
    let n = IAM_NAME_CHAR;
    Regex::new(&format!("^(?:root|(?:user|role)/(?:{n}+/)*{n}+)$")).expect("valid regex")
});
static STS_RESOURCE: LazyLock<Regex> = LazyLock::new(|| {
    let n = IAM_NAME_CHAR;
    Regex::new(&format!("^assumed-role/{n}+/{n}+$")).expect("valid regex")
});

/// Whether `s` is an account id ([`ACCOUNT_ID`]).
pub fn is_account_id(s: &str) -> bool {
    ACCOUNT.is_match(s)
}

/// The kinds of principal AWS accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalKind {
    Everyone,
    Service,
    Account,
    IamArn,
}

/// Why a principal is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalError {
    /// It starts like an ARN but lacks the ARN's fields.
    MalformedArn,
    /// No service, account, IAM principal or `*`.
    Invalid,
}

/// Classifies `principal`, or says why AWS refuses it.
pub fn classify(principal: &str) -> Result<PrincipalKind, PrincipalError> {
    if principal == "*" {
        return Ok(PrincipalKind::Everyone);
    }
    if is_account_id(principal) {
        return Ok(PrincipalKind::Account);
    }
    if let Some(rest) = principal.strip_prefix("arn:") {
        let parts: Vec<&str> = rest.splitn(ARN_FIELDS, ':').collect();
        let [partition, service, region, account, resource] = parts[..] else {
            return Err(PrincipalError::MalformedArn);
        };
        let resource_ok = match service {
            "iam" => IAM_RESOURCE.is_match(resource),
            "sts" => STS_RESOURCE.is_match(resource),
            _ => false,
        };
        if partition.starts_with("aws")
            && region.is_empty()
            && is_account_id(account)
            && resource_ok
        {
            return Ok(PrincipalKind::IamArn);
        }
        return Err(PrincipalError::Invalid);
    }
    if SERVICE.is_match(principal) || OTHER_SERVICES.contains(&principal) {
        return Ok(PrincipalKind::Service);
    }
    Err(PrincipalError::Invalid)
}

/// The statement's `Principal` value for an accepted principal.
pub fn statement_principal(kind: PrincipalKind, principal: &str, partition: &str) -> Value {
    match kind {
        PrincipalKind::Everyone => json!("*"),
        PrincipalKind::Service => json!({ "Service": principal }),
        PrincipalKind::Account => json!({ "AWS": account_root_arn(partition, principal) }),
        PrincipalKind::IamArn => json!({ "AWS": principal }),
    }
}

/// The ARN an account principal is written as: `arn:<partition>:iam::<account>:root`.
pub fn account_root_arn(partition: &str, account: &str) -> String {
    format!("arn:{partition}:iam::{account}:root")
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
        assert_eq!(
            classify("arn:aws:iam::123456789012:root"),
            Ok(PrincipalKind::IamArn)
        );
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
            "١٢٣٤٥٦٧٨٩٠١٢",
            "arn:aws:s3:::bucket/key:x",
            "arn:aws:iam::12345678901:root",
            "arn:aws:iam::123456789012:group/g",
        ] {
            assert_eq!(classify(s), Err(PrincipalError::Invalid), "{s}");
        }
        assert_eq!(
            classify("arn:aws:iam:000000000000:role/xxxx"),
            Err(PrincipalError::MalformedArn)
        );
    }

    #[test]
    fn statement_forms() {
        assert_eq!(
            statement_principal(PrincipalKind::Account, "223456789012", "aws"),
            json!({"AWS": "arn:aws:iam::223456789012:root"})
        );
        assert_eq!(
            statement_principal(PrincipalKind::Everyone, "*", "aws"),
            json!("*")
        );
    }
}
