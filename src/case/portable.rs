//! An answer written back as a case's `expect`, portable across accounts: the exact status, error
//! type, message (regex-escaped and anchored) and statement, with the target's own account,
//! region and partition turned back into placeholders.
//!
//! Generated cases get their expectations this way from the reference (`generate::oracle`), and
//! `addperm record` from any target, so a file of either kind checks a target living anywhere.

use super::{Expect, Placeholders, Request};
use crate::contract::principal::{account_root_arn, is_account_id};
use serde_json::Value;

/// An answer in the terms a case compares, under the case's own function names.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Answered<'a> {
    pub status: u16,
    /// `None`: the answer names no error type.
    pub error_type: Option<&'a str>,
    /// The error message, where the answer has one.
    pub message: Option<&'a str>,
    /// The statement of a 201.
    pub statement: Option<&'a Value>,
}

/// How the message is written back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Message {
    /// As it is: it quotes the request, whose values stay as the case writes them.
    Verbatim,
    /// With the function ARN prefixes of `vars` as placeholders: the target built them from
    /// where it lives.
    Portable,
}

const PORTABLE_PREFIX: &str = "arn:${PARTITION}:lambda:${REGION}:${ACCOUNT}:";
const PORTABLE_REGION_PREFIX: &str = "arn:${PARTITION}:lambda:${REGION}:";

/// The function ARN prefix of `vars`' account, region and partition.
fn own_prefix(vars: &Placeholders) -> String {
    format!("{}{}:", own_region_prefix(vars), vars.account)
}

/// The function ARN prefix up to the region, which ARNs of other accounts share.
pub fn own_region_prefix(vars: &Placeholders) -> String {
    format!("arn:{}:lambda:{}:", vars.partition, vars.region)
}

/// The `expect` for `answer` to `request`, given by a target living where `vars` say.
pub fn expect_of(
    answer: &Answered,
    request: &Request,
    vars: &Placeholders,
    message: Message,
) -> Expect {
    Expect {
        status: answer.status,
        error_type: Some(answer.error_type.map(str::to_string)),
        message_like: answer.message.map(|m| {
            let escaped = regex::escape(m);
            let written = match message {
                Message::Verbatim => escaped,
                // The full prefix first; then partition and region alone, which a partial ARN
                // of another account takes from the target.
                Message::Portable => escaped
                    .replace(&regex::escape(&own_prefix(vars)), PORTABLE_PREFIX)
                    .replace(
                        &regex::escape(&own_region_prefix(vars)),
                        PORTABLE_REGION_PREFIX,
                    ),
            };
            format!("^{written}$")
        }),
        statement: answer
            .statement
            .map(|s| portable_statement(s, request, vars)),
        policy: None,
    }
}

/// The statement with `Resource` and the account principal's partition as placeholders, and a
/// principal the request wrote with placeholders written back the same way. Each is rewritten
/// only where the answer holds exactly what the placeholders stand for, so the expectation
/// still says what the target answered (a target that keeps an account principal verbatim is
/// recorded as doing so).
pub(crate) fn portable_statement(
    statement: &Value,
    request: &Request,
    vars: &Placeholders,
) -> Value {
    let mut s = statement.clone();
    if let Some(Value::String(resource)) = s.get_mut("Resource") {
        if let Some(rest) = resource.strip_prefix(&own_prefix(vars)) {
            *resource = format!("{PORTABLE_PREFIX}{rest}");
        }
    }
    let principal = request
        .body
        .as_ref()
        .and_then(|b| b.get("Principal"))
        .and_then(Value::as_str);
    if let (Some(Value::String(aws)), Some(original)) = (s.pointer_mut("/Principal/AWS"), principal)
    {
        let resolved = vars.apply(original);
        if is_account_id(&resolved) {
            // An account principal (`223456789012`, `${ACCOUNT}`) becomes its root ARN.
            if *aws == account_root_arn(&vars.partition, &resolved) {
                *aws = account_root_arn("${PARTITION}", original);
            }
        } else if original.contains("${") && *aws == resolved {
            *aws = original.to_string();
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn request(function_name: &str, principal: &str) -> Request {
        Request {
            function_name: function_name.into(),
            qualifier: None,
            body: Some(
                json!({"StatementId": "s", "Action": "lambda:InvokeFunction", "Principal": principal}),
            ),
            raw_body: None,
        }
    }

    #[test]
    fn a_target_elsewhere_is_written_back_as_placeholders() {
        let vars = Placeholders {
            account: "210987654321".into(),
            region: "eu-west-1".into(),
            partition: "aws-cn".into(),
            current_revision: None,
        };
        let message = "Function not found: arn:aws-cn:lambda:eu-west-1:210987654321:function:g";
        let answer = Answered {
            status: 404,
            error_type: Some("ResourceNotFoundException"),
            message: Some(message),
            statement: None,
        };
        let r = request("g", "*");
        let e = expect_of(&answer, &r, &vars, Message::Portable);
        assert_eq!(
            e.message_like.as_deref(),
            Some(r"^Function not found: arn:${PARTITION}:lambda:${REGION}:${ACCOUNT}:function:g$")
        );
        assert_eq!(e.error_type, Some(Some("ResourceNotFoundException".into())));
        assert_eq!(e.statement, None);
        let verbatim = expect_of(&answer, &r, &vars, Message::Verbatim);
        assert_eq!(
            verbatim.message_like,
            Some(format!("^{}$", regex::escape(message)))
        );

        let statement = json!({"Resource": "arn:aws-cn:lambda:eu-west-1:210987654321:function:g",
                               "Principal": {"AWS": "arn:aws-cn:iam::223456789012:root"}});
        let created = Answered {
            status: 201,
            error_type: None,
            message: None,
            statement: Some(&statement),
        };
        let e = expect_of(
            &created,
            &request("g", "223456789012"),
            &vars,
            Message::Portable,
        );
        assert_eq!(
            (e.status, e.error_type.clone(), e.message_like.clone()),
            (201, Some(None), None)
        );
        let s = e.statement.unwrap();
        assert_eq!(
            s["Resource"],
            "arn:${PARTITION}:lambda:${REGION}:${ACCOUNT}:function:g"
        );
        assert_eq!(
            s["Principal"]["AWS"],
            "arn:${PARTITION}:iam::223456789012:root"
        );

        // The target's own account as a placeholder; and a principal kept verbatim, as it was.
        let own = json!({"Principal": {"AWS": "arn:aws-cn:iam::210987654321:root"}});
        let e = expect_of(
            &Answered {
                statement: Some(&own),
                ..created
            },
            &request("g", "${ACCOUNT}"),
            &vars,
            Message::Portable,
        );
        assert_eq!(
            e.statement.unwrap()["Principal"]["AWS"],
            "arn:${PARTITION}:iam::${ACCOUNT}:root"
        );
        let verbatim = json!({"Principal": {"AWS": "223456789012"}});
        let e = expect_of(
            &Answered {
                statement: Some(&verbatim),
                ..created
            },
            &request("g", "223456789012"),
            &vars,
            Message::Portable,
        );
        assert_eq!(e.statement.unwrap()["Principal"]["AWS"], "223456789012");
    }
}
