//! Recording a target's answers as cases (`addperm record`): each case played by the runner,
//! then written back with its `expect` replaced by what the target answered, so the truth can
//! be refreshed from AWS itself (or any implementation) in the case format.

use crate::case::portable::{expect_of, own_region_prefix, portable_statement, Answered, Message};
use crate::case::{Case, Placeholders, Request};
use crate::outcome::CaseResult;
use serde_json::Value;

/// The tag every recorded case carries, besides its own.
pub const RECORDED_TAG: &str = "recorded";

/// `case` with the answer of its run `result` as its `expect`, on a target living where `vars`
/// say; `None` when the run has no answer to record (setup failed, or the target gave none).
///
/// The expectation is the exact answer, portable (see [`crate::case::portable`]): status,
/// error type (null for none), the message regex-escaped and anchored, the statement and the
/// stored policy (where it was read), with
/// function names as the case writes them (the runner reads renamed ones back). A message is
/// written with the target's ARN prefixes as placeholders unless the case's request writes
/// that prefix itself: then the message may quote the request, and stays as it is.
pub fn recorded(case: &Case, result: &CaseResult, vars: &Placeholders) -> Option<Case> {
    let observed = result.actual.as_ref()?;
    let answered = Answered {
        status: observed.status,
        error_type: observed.error_type.as_deref(),
        message: observed.message.as_deref(),
        statement: observed.statement.as_ref(),
    };
    let message = if writes(&case.request, &own_region_prefix(vars)) {
        Message::Verbatim
    } else {
        Message::Portable
    };
    let mut tags = case.tags.clone();
    if !tags.iter().any(|t| t == RECORDED_TAG) {
        tags.push(RECORDED_TAG.to_string());
    }
    let mut expect = expect_of(&answered, &case.request, vars, message);
    // What the target stored for the request's function and qualifier, where it was read.
    expect.policy = match result.stored.as_ref().map(|s| &s.actual) {
        Some(Ok(None)) => Some(Value::Null),
        Some(Ok(Some(doc))) => {
            let mut doc = doc.clone();
            if let Some(Value::Array(statements)) = doc.get_mut("Statement") {
                for s in statements.iter_mut() {
                    *s = portable_statement(s, &case.request, vars);
                }
            }
            Some(doc)
        }
        _ => None,
    };
    Some(Case {
        tags,
        expect,
        ..case.clone()
    })
}

/// Whether `request`, as the case writes it (before placeholders), contains `text`.
fn writes(request: &Request, text: &str) -> bool {
    let body = request
        .body
        .as_ref()
        .map(|b| b.to_string())
        .or_else(|| request.raw_body.clone())
        .unwrap_or_default();
    request.function_name.contains(text)
        || body.contains(text)
        || request
            .qualifier
            .as_deref()
            .is_some_and(|q| q.contains(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::parse;
    use crate::outcome::Compare;
    use crate::runner::run_case;
    use crate::target::ReferenceTarget;

    fn case(line: &str) -> Case {
        parse(line, "t").unwrap().remove(0)
    }

    #[test]
    fn the_answer_replaces_the_expectation_and_the_tags_grow() {
        let c = case(
            r#"{"id": "a", "tags": ["mine"], "given": {"functions": [{"name": "f"}]}, "request": {"function_name": "g", "body": {"StatementId": "s", "Action": "lambda:InvokeFunction", "Principal": "*"}}, "expect": {"status": 201}}"#,
        );
        let target = ReferenceTarget::default();
        let result = run_case(&target, &c, Compare::Message);
        let r = recorded(&c, &result, &Placeholders::default()).unwrap();
        assert_eq!(r.tags, ["mine", "recorded"]);
        assert_eq!((&r.id, &r.given, &r.request), (&c.id, &c.given, &c.request));
        assert_eq!(r.expect.status, 404);
        assert_eq!(
            r.expect.message_like.as_deref(),
            Some(r"^Function not found: arn:${PARTITION}:lambda:${REGION}:${ACCOUNT}:function:g$")
        );
        // Recorded again, nothing changes: the tag is there once.
        assert_eq!(
            recorded(
                &r,
                &run_case(&target, &r, Compare::Message),
                &Placeholders::default()
            ),
            Some(r)
        );
    }

    #[test]
    fn a_message_that_may_quote_the_request_stays_verbatim() {
        let c = case(
            r#"{"id": "a", "request": {"function_name": "arn:aws:lambda:us-east-1:123456789012:function:g", "body": {"StatementId": "s", "Action": "lambda:InvokeFunction", "Principal": "*"}}, "expect": {"status": 201}}"#,
        );
        let result = run_case(&ReferenceTarget::default(), &c, Compare::Message);
        let r = recorded(&c, &result, &Placeholders::default()).unwrap();
        assert_eq!(
            r.expect.message_like.as_deref(),
            Some(r"^Function not found: arn:aws:lambda:us\-east\-1:123456789012:function:g$")
        );
    }

    #[test]
    fn no_answer_no_recording() {
        let c = case(
            r#"{"id": "a", "given": {"functions": [{"name": "not a name"}]}, "request": {"function_name": "f", "body": {}}, "expect": {"status": 201}}"#,
        );
        let result = run_case(&ReferenceTarget::default(), &c, Compare::Message);
        assert_eq!(recorded(&c, &result, &Placeholders::default()), None);
    }
}
