//! The race probes: what each one sends from its clients, and the outcome AWS promises for
//! it, judged from the answers and the policy stored after them.

use super::Answer;
use crate::player::{sid, Stored};
use crate::reference::{AddPermissionRequest, Body};
use crate::wire::Operation;
use serde_json::json;
use std::collections::BTreeSet;

/// A concurrent scenario with an outcome AWS promises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Probe {
    /// N clients add the same StatementId.
    SameSid,
    /// N clients add distinct StatementIds, each with the RevisionId the policy had before.
    SameRevision,
    /// N clients add distinct StatementIds.
    DistinctSids,
    /// N clients add and remove one StatementId, alternately.
    AddRemove,
}

/// The StatementId every client of [`Probe::SameSid`] and [`Probe::AddRemove`] uses.
const SHARED_SID: &str = "race";
/// The statement [`Probe::SameRevision`] stores first, so there is a policy RevisionId to race on.
pub(super) const SEED_SID: &str = "race-seed";

impl Probe {
    pub const ALL: [Probe; 4] = [
        Probe::SameSid,
        Probe::SameRevision,
        Probe::DistinctSids,
        Probe::AddRemove,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Probe::SameSid => "same-sid",
            Probe::SameRevision => "same-revision",
            Probe::DistinctSids => "distinct-sids",
            Probe::AddRemove => "add-remove",
        }
    }

    /// The promise, for the report: what AWS answers and stores.
    pub fn promise(self, n: usize) -> String {
        match self {
            Probe::SameSid => format!(
                "{n} clients add one StatementId: one 201, {} x 409, one statement stored",
                n - 1
            ),
            Probe::SameRevision => format!(
                "{n} clients add distinct StatementIds with the policy's current RevisionId: one 201, {} x 412, one statement added",
                n - 1
            ),
            Probe::DistinctSids => format!(
                "{n} clients add distinct StatementIds: {n} x 201, each answer its own statement, {n} statements stored"
            ),
            Probe::AddRemove => format!(
                "{n} clients add and remove one StatementId in turn: the answers read as one serial order, and the stored policy agrees with them"
            ),
        }
    }

    /// Whether the probe needs a statement stored before the race (its RevisionId is raced on).
    pub(super) fn seeded(self) -> bool {
        self == Probe::SameRevision
    }

    /// The request client `i` sends, on the function `name`; `revision` is the policy's
    /// RevisionId before the race (for [`Probe::SameRevision`]).
    pub(super) fn request(self, i: usize, name: &str, revision: Option<&str>) -> Operation {
        match self {
            Probe::AddRemove if i % 2 == 1 => Operation::RemovePermission {
                function_name: name.to_string(),
                statement_id: SHARED_SID.to_string(),
                qualifier: None,
                revision_id: None,
            },
            Probe::SameSid | Probe::AddRemove => add(name, SHARED_SID, None),
            Probe::SameRevision => add(name, &format!("race-{i}"), revision),
            Probe::DistinctSids => add(name, &format!("race-{i}"), None),
        }
    }

    /// Every way `answers` (client `i`'s at index `i`) and the policy stored after them break
    /// the promise; empty when it holds.
    pub(super) fn broken(self, answers: &[Answer], stored: &Stored) -> Vec<String> {
        let n = answers.len();
        let mut out = Vec::new();
        let sids: Vec<&str> = stored.statements().iter().map(sid).collect();
        if let Stored::Unreadable(why) = stored {
            out.push(format!("the stored policy cannot be read: {why}"));
        }
        let ok = |a: &&Answer| a.succeeded();
        let with = |status: u16| answers.iter().filter(|a| a.status == Some(status)).count();
        match self {
            Probe::SameSid => {
                expect_count(&mut out, "successes", answers.iter().filter(ok).count(), 1);
                expect_count(&mut out, "409 answers", with(409), n - 1);
                expect_count(&mut out, "statements stored", sids.len(), 1);
            }
            Probe::SameRevision => {
                expect_count(&mut out, "successes", answers.iter().filter(ok).count(), 1);
                expect_count(&mut out, "412 answers", with(412), n - 1);
                let raced = sids.iter().filter(|s| **s != SEED_SID).count();
                expect_count(&mut out, "statements added", raced, 1);
            }
            Probe::DistinctSids => {
                expect_count(&mut out, "successes", answers.iter().filter(ok).count(), n);
                let wanted: BTreeSet<String> = (0..n).map(|i| format!("race-{i}")).collect();
                let have: BTreeSet<String> = sids.iter().map(|s| s.to_string()).collect();
                let lost = wanted.difference(&have).count();
                if lost > 0 {
                    out.push(format!(
                        "{lost} of {n} statements answered 201 are not stored"
                    ));
                }
                let foreign = (0..n)
                    .filter(|i| {
                        answers[*i]
                            .sid
                            .as_deref()
                            .is_some_and(|s| s != format!("race-{i}"))
                    })
                    .count();
                if foreign > 0 {
                    out.push(format!(
                        "{foreign} answers carry another client's statement"
                    ));
                }
            }
            Probe::AddRemove => {
                // Even clients add, odd ones remove.
                let adds: Vec<&Answer> = answers.iter().step_by(2).collect();
                let removes: Vec<&Answer> = answers.iter().skip(1).step_by(2).collect();
                let added = adds.iter().filter(|a| a.succeeded()).count();
                let removed = removes.iter().filter(|a| a.succeeded()).count();
                // In any serial order an add succeeds only on an absent Sid and a remove only
                // on a present one, starting absent: successes alternate add, remove, add...
                if added < removed || added > removed + 1 {
                    out.push(format!(
                        "{added} adds and {removed} removes succeeded: no serial order gives that"
                    ));
                } else {
                    let present = sids.contains(&SHARED_SID);
                    if present != (added == removed + 1) {
                        out.push(format!(
                            "{added} adds and {removed} removes succeeded, yet the statement is {}",
                            if present { "stored" } else { "not stored" }
                        ));
                    }
                }
                let stray = |side: &[&Answer], refusal: u16| {
                    side.iter()
                        .filter(|a| !a.succeeded() && a.status != Some(refusal))
                        .count()
                };
                let strays = stray(&adds, 409) + stray(&removes, 404);
                if strays > 0 {
                    out.push(format!(
                        "{strays} answers are neither a success nor the conflict (409) or not-found (404) AWS gives"
                    ));
                }
            }
        }
        out
    }
}

/// Notes that `what` came to `got` where AWS gives `want`.
fn expect_count(out: &mut Vec<String>, what: &str, got: usize, want: usize) {
    if got != want {
        out.push(format!("{got} {what}, AWS gives {want}"));
    }
}

/// AddPermission of statement `sid` on function `name`, letting a service invoke it.
pub(super) fn add(name: &str, sid: &str, revision: Option<&str>) -> Operation {
    let mut body = json!({
        "StatementId": sid,
        "Action": "lambda:InvokeFunction",
        "Principal": "s3.amazonaws.com",
    });
    if let Some(r) = revision {
        body["RevisionId"] = json!(r);
    }
    Operation::AddPermission(AddPermissionRequest {
        function_name: name.to_string(),
        qualifier: None,
        body: Body::Json(body),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn answer(status: u16, sid: Option<&str>) -> Answer {
        Answer {
            status: Some(status),
            label: status.to_string(),
            sid: sid.map(str::to_string),
        }
    }

    fn stored(sids: &[&str]) -> Stored {
        let statements: Vec<Value> = sids.iter().map(|s| json!({"Sid": s})).collect();
        match sids {
            [] => Stored::None,
            _ => Stored::Policy {
                document: json!({"Statement": statements}),
                revision: Some("r".into()),
            },
        }
    }

    #[test]
    fn one_winner_per_sid_or_revision_holds_and_more_breaks() {
        let mut answers = vec![answer(201, Some("race"))];
        answers.extend((0..3).map(|_| answer(409, None)));
        assert!(Probe::SameSid
            .broken(&answers, &stored(&["race"]))
            .is_empty());
        answers[1] = answer(201, Some("race"));
        assert_eq!(
            Probe::SameSid.broken(&answers, &stored(&["race"])),
            ["2 successes, AWS gives 1", "2 409 answers, AWS gives 3"]
        );
        let mut answers = vec![answer(201, Some("race-0"))];
        answers.extend((0..3).map(|_| answer(412, None)));
        let seeded = stored(&[SEED_SID, "race-0"]);
        assert!(Probe::SameRevision.broken(&answers, &seeded).is_empty());
        assert_eq!(
            Probe::SameRevision.broken(&answers, &stored(&[SEED_SID])),
            ["0 statements added, AWS gives 1"]
        );
    }

    #[test]
    fn distinct_sids_must_all_be_stored_and_answered_with_their_own_statement() {
        let answers = vec![answer(201, Some("race-0")), answer(201, Some("race-1"))];
        let both = stored(&["race-0", "race-1"]);
        assert!(Probe::DistinctSids.broken(&answers, &both).is_empty());
        assert_eq!(
            Probe::DistinctSids.broken(&answers, &stored(&["race-1"])),
            ["1 of 2 statements answered 201 are not stored"]
        );
        let swapped = vec![answer(201, Some("race-1")), answer(201, Some("race-1"))];
        assert_eq!(
            Probe::DistinctSids.broken(&swapped, &both),
            ["1 answers carry another client's statement"]
        );
    }

    #[test]
    fn adds_and_removes_must_read_as_one_serial_order() {
        // add ok, remove ok, add ok, remove 404: the statement is stored.
        let answers = [
            answer(201, None),
            answer(204, None),
            answer(201, None),
            answer(404, None),
        ];
        assert!(Probe::AddRemove
            .broken(&answers, &stored(&["race"]))
            .is_empty());
        assert_eq!(
            Probe::AddRemove.broken(&answers, &stored(&[])),
            ["2 adds and 1 removes succeeded, yet the statement is not stored"]
        );
        let two_adds = [
            answer(201, None),
            answer(404, None),
            answer(201, None),
            answer(404, None),
        ];
        assert_eq!(
            Probe::AddRemove.broken(&two_adds, &stored(&["race"])),
            ["2 adds and 0 removes succeeded: no serial order gives that"]
        );
    }
}
