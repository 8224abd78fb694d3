//! One case on two targets (`addperm diff`): the two answers compared with each other instead of
//! with the case's expectation, which makes any implementation an oracle for another.

use crate::case::Case;
use crate::outcome::{CaseResult, Compare, Difference, PairResult, PairVerdict, Verdict, POLICY};
use crate::target::Observed;

/// Every difference between answer `a` and answer `b` at strictness `mode`, field by field as
/// [`super::compare`] judges an expectation: status, then error type, then message and statement
/// (as JSON values), then statement bytes and content type.
fn compare_answers(a: &Observed, b: &Observed, mode: Compare) -> Vec<Difference> {
    fn show<T: ToString>(v: Option<T>) -> String {
        v.map_or_else(|| "-".to_string(), |v| v.to_string())
    }
    let mut out = Vec::new();
    let mut check = |field: &'static str, a: String, b: String| {
        if a != b {
            out.push(Difference {
                field,
                expected: a,
                actual: b,
            });
        }
    };
    check("status", a.status.to_string(), b.status.to_string());
    if mode >= Compare::Type {
        check(
            "error_type",
            show(a.error_type.as_deref()),
            show(b.error_type.as_deref()),
        );
    }
    if mode >= Compare::Message {
        check(
            "message",
            show(a.message.as_deref()),
            show(b.message.as_deref()),
        );
        // Compared as values (key order ignored); the raw text is what the report shows.
        if a.statement != b.statement {
            let text = |o: &Observed| {
                o.statement_raw
                    .clone()
                    .or_else(|| o.body_problem.clone())
                    .unwrap_or_else(|| "-".into())
            };
            check("statement", text(a), text(b));
        }
    }
    if mode == Compare::Exact {
        if a.statement.is_some() && a.statement == b.statement {
            check(
                "statement-bytes",
                show(a.statement_raw.as_deref()),
                show(b.statement_raw.as_deref()),
            );
        }
        check(
            "content-type",
            show(a.content_type.as_deref()),
            show(b.content_type.as_deref()),
        );
    }
    out
}

/// What A and B stored for the request's function and qualifier, where both were read: the
/// same policy (as JSON values), or one `policy` difference.
fn compare_stored_pair(a: &CaseResult, b: &CaseResult, mode: Compare) -> Option<Difference> {
    let (Some(x), Some(y)) = (&a.stored, &b.stored) else {
        return None;
    };
    let show = |p: &Result<Option<serde_json::Value>, String>| match p {
        Ok(Some(doc)) => doc.to_string(),
        Ok(None) => "(no policy)".to_string(),
        Err(why) => why.clone(),
    };
    (mode >= Compare::Message && x.actual != y.actual).then(|| Difference {
        field: POLICY,
        expected: show(&x.actual),
        actual: show(&y.actual),
    })
}

/// Judges one case run on A (`a`) and on B. Both results name functions as the case does
/// (the runner maps a renaming session's names back), so targets that rename compare equal.
pub fn compare_pair(case: &Case, a: &CaseResult, b: &CaseResult, mode: Compare) -> PairResult {
    let (verdict, differences) = match (&a.actual, &b.actual) {
        (Some(x), Some(y)) => {
            let mut d = compare_answers(x, y, mode);
            d.extend(compare_stored_pair(a, b, mode));
            let verdict = if d.is_empty() {
                PairVerdict::Same
            } else {
                PairVerdict::Differ
            };
            (verdict, d)
        }
        (x, y) => {
            // A side that was not run has nothing to compare, even if the other answered.
            let not_run = [a, b].iter().any(|r| r.verdict == Verdict::NotRun);
            let verdict = if not_run || (x.is_none() && y.is_none()) {
                PairVerdict::NotCompared
            } else {
                PairVerdict::Differ
            };
            let side = |r: &CaseResult| match &r.detail {
                Some(d) if r.actual.is_none() => format!("{}: {d}", r.verdict.as_str()),
                _ => "answered".to_string(),
            };
            let d = Difference {
                field: "verdict",
                expected: side(a),
                actual: side(b),
            };
            (verdict, vec![d])
        }
    };
    PairResult {
        id: case.id.clone(),
        tags: case.tags.clone(),
        verdict,
        differences,
        a: a.clone(),
        b: b.clone(),
        shrunk: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::{SentRequest, Verdict};

    fn case(function_name: &str) -> Case {
        let line = format!(
            r#"{{"id":"c","request":{{"function_name":"{function_name}","body":{{}}}},"expect":{{"status":201}}}}"#
        );
        crate::case::parse(&line, "t").unwrap().remove(0)
    }

    fn answered(sent_name: &str, observed: Observed) -> CaseResult {
        CaseResult {
            id: "c".into(),
            tags: vec![],
            verdict: Verdict::Pass,
            expected: case("f").expect,
            actual: Some(observed),
            differences: vec![],
            detail: None,
            sent: Some(SentRequest {
                function_name: sent_name.into(),
                qualifier: None,
                body: "{}".into(),
                sent_function_name: None,
            }),
            shrunk: None,
            stored: None,
            provisioning: Vec::new(),
        }
    }

    #[test]
    fn answers_differ_by_field_and_strictness() {
        let a = Observed {
            status: 400,
            error_type: Some("ValidationException".into()),
            message: Some("m1".into()),
            ..Observed::default()
        };
        let b = Observed {
            message: Some("m2".into()),
            ..a.clone()
        };
        assert!(compare_answers(&a, &b, Compare::Type).is_empty());
        let d = compare_answers(&a, &b, Compare::Message);
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].field, d[0].expected.as_str()), ("message", "m1"));
    }

    #[test]
    fn one_side_without_answer_differs_both_without_or_one_not_run_is_not_compared() {
        let c = case("f");
        let ok = answered("f", Observed::default());
        let broken = CaseResult {
            verdict: Verdict::TargetError,
            actual: None,
            detail: Some("connection failed: refused".into()),
            ..ok.clone()
        };
        let p = compare_pair(&c, &ok, &broken, Compare::Message);
        assert_eq!(p.verdict, PairVerdict::Differ);
        assert_eq!(
            p.differences[0].actual,
            "target-error: connection failed: refused"
        );
        let p = compare_pair(&c, &broken, &broken, Compare::Message);
        assert_eq!(p.verdict, PairVerdict::NotCompared);
        let not_run = CaseResult {
            verdict: Verdict::NotRun,
            ..broken.clone()
        };
        let p = compare_pair(&c, &ok, &not_run, Compare::Message);
        assert_eq!(p.verdict, PairVerdict::NotCompared);
        let p = compare_pair(&c, &ok, &ok, Compare::Exact);
        assert_eq!(p.verdict, PairVerdict::Same);
    }
}
