//! Comparing what a page states with the contract: with the values the contract records as
//! documented (a difference means the documentation moved since the seed page) and with the values
//! it enforces (a difference is either known drift or, where the page moved, a new question).

use super::extract::{ExtractedMember, ExtractedPage};
use crate::contract::{Contract, ErrorKind, Location, Member, Source};

/// One place where the page differs from the recorded doc values, from the enforced values, or
/// from both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deviation {
    /// A member or error name, as the page or the contract writes it.
    pub subject: String,
    /// `member`, `location`, `required`, `length-min`, `length-max`, `pattern`, `enum`, `error`
    /// or `status`.
    pub aspect: &'static str,
    pub page: String,
    /// The contract's recorded doc value; `absent` where the seed page did not have the subject.
    pub documented: String,
    pub enforced: String,
    /// Where the enforced value comes from; `None` where the contract enforces nothing.
    pub source: Option<Source>,
    pub evidence: &'static str,
    /// The page differs from the recorded doc value: the documented contract moved.
    pub drift: bool,
}

/// The comparisons a page member goes through. `doc` is `None` for a member the seed page did
/// not have; then only the member's own appearance counts as drift.
struct Aspect<'a, T> {
    subject: &'a str,
    name: &'static str,
    page: T,
    doc: Option<T>,
    enforced: T,
    source: Option<Source>,
    evidence: &'static str,
}

impl<T> Aspect<'_, T> {
    fn push(
        self,
        out: &mut Vec<Deviation>,
        same: impl Fn(&T, &T) -> bool,
        show: impl Fn(&T) -> String,
    ) {
        let drift = self.doc.as_ref().is_some_and(|d| !same(&self.page, d));
        if drift || !same(&self.page, &self.enforced) {
            out.push(Deviation {
                subject: self.subject.to_string(),
                aspect: self.name,
                page: show(&self.page),
                documented: self.doc.as_ref().map_or("absent".into(), &show),
                enforced: show(&self.enforced),
                source: self.source,
                evidence: self.evidence,
                drift,
            });
        }
    }
}

fn show_location(l: &Location) -> String {
    format!("{l:?}").to_lowercase()
}

fn show_bool(b: &bool) -> String {
    if *b { "yes" } else { "no" }.to_string()
}

fn show_len(n: &Option<usize>) -> String {
    n.map_or("none".to_string(), |n| n.to_string())
}

fn show_text(s: &Option<&str>) -> String {
    s.unwrap_or("none").to_string()
}

fn show_values(v: &Option<Vec<&str>>) -> String {
    v.as_ref().map_or("none".to_string(), |v| v.join(" | "))
}

/// An unstated lower bound and a lower bound of 0 admit the same strings.
fn same_min(a: &Option<usize>, b: &Option<usize>) -> bool {
    a.unwrap_or(0) == b.unwrap_or(0)
}

/// Enum values are a set: the page's order is presentation, not contract.
fn same_values(a: &Option<Vec<&str>>, b: &Option<Vec<&str>>) -> bool {
    fn sorted<'a>(v: &Option<Vec<&'a str>>) -> Vec<&'a str> {
        let mut v = v.clone().unwrap_or_default();
        v.sort_unstable();
        v
    }
    sorted(a) == sorted(b)
}

/// How a member of the contract is enforced, in a few words.
fn describe(m: &Member) -> String {
    format!("{} {:?} member", show_location(&m.location), m.ty).to_lowercase()
}

/// How the page states a member the contract does not record, in a few words.
fn summarise(p: &ExtractedMember) -> String {
    let mut parts = vec![
        format!("{} member", show_location(&p.location)),
        if p.required { "required" } else { "optional" }.to_string(),
    ];
    if p.min.is_some() || p.max.is_some() {
        parts.push(format!("length {}..{}", show_len(&p.min), show_len(&p.max)));
    }
    if let Some(pattern) = &p.pattern {
        parts.push(format!("pattern {pattern}"));
    }
    if let Some(values) = &p.enum_values {
        parts.push(format!("values {}", values.join(" | ")));
    }
    parts.join(", ")
}

/// Every difference between `page` and `contract`, members in contract order (then members the
/// contract does not know), errors in contract order (then errors it does not know).
pub fn compare(page: &ExtractedPage, contract: &Contract) -> Vec<Deviation> {
    let mut out = Vec::new();
    for m in &contract.members {
        match page.member(m.name) {
            Some(p) => compare_member(&mut out, p, m),
            None => out.push(Deviation {
                subject: m.name.to_string(),
                aspect: "member",
                page: "absent".into(),
                documented: if m.doc.is_some() { "present" } else { "absent" }.into(),
                enforced: describe(m),
                source: Some(Source::Model),
                evidence: m.description,
                drift: m.doc.is_some(),
            }),
        }
    }
    for p in &page.members {
        if contract.member(&p.name).is_none() {
            out.push(Deviation {
                subject: p.name.clone(),
                aspect: "member",
                page: summarise(p),
                documented: "absent".into(),
                enforced: "absent".into(),
                source: None,
                evidence:
                    "not in the contract: newer than the contract, or not an AddPermission member",
                drift: true,
            });
        }
    }
    compare_errors(&mut out, page);
    out
}

fn compare_member(out: &mut Vec<Deviation>, p: &ExtractedMember, m: &Member) {
    let doc = m.doc.as_ref();
    if doc.is_none() {
        out.push(Deviation {
            subject: m.name.to_string(),
            aspect: "member",
            page: summarise(p),
            documented: "absent".into(),
            enforced: describe(m),
            source: Some(Source::Model),
            evidence: m.description,
            drift: true,
        });
    }
    let subject = m.name;
    Aspect {
        subject,
        name: "location",
        page: p.location,
        // The seed page puts every member where the model does; the contract records one place.
        doc: doc.map(|_| m.location),
        enforced: m.location,
        source: Some(Source::Model),
        evidence: "the service model's HTTP binding",
    }
    .push(out, |a, b| a == b, show_location);
    Aspect {
        subject,
        name: "required",
        page: p.required,
        doc: doc.map(|d| d.required),
        enforced: m.required,
        source: Some(Source::Model),
        evidence: "the service model's required members",
    }
    .push(out, |a, b| a == b, show_bool);
    let length = m.length.as_ref();
    let (length_source, length_evidence) = length
        .map_or((None, "the contract has no length constraint"), |l| {
            (Some(l.source), l.evidence)
        });
    Aspect {
        subject,
        name: "length-min",
        page: p.min,
        doc: doc.map(|d| d.min),
        enforced: m.min(),
        source: length_source,
        evidence: length_evidence,
    }
    .push(out, same_min, show_len);
    Aspect {
        subject,
        name: "length-max",
        page: p.max,
        doc: doc.map(|d| d.max),
        enforced: m.max(),
        source: length_source,
        evidence: length_evidence,
    }
    .push(out, |a, b| a == b, show_len);
    let pattern = m.pattern.as_ref();
    Aspect {
        subject,
        name: "pattern",
        page: p.pattern.as_deref(),
        doc: doc.map(|d| d.pattern),
        enforced: pattern.map(|p| p.value.source()),
        source: pattern.map(|p| p.source),
        evidence: pattern.map_or("the contract has no pattern", |p| p.evidence),
    }
    .push(out, |a, b| a == b, show_text);
    let values = m.enum_values.as_ref();
    Aspect {
        subject,
        name: "enum",
        page: p
            .enum_values
            .as_ref()
            .map(|v| v.iter().map(String::as_str).collect()),
        doc: doc.map(|d| d.enum_values.map(<[_]>::to_vec)),
        enforced: values.map(|e| e.value.to_vec()),
        source: values.map(|e| e.source),
        evidence: values.map_or("the contract has no value set", |e| e.evidence),
    }
    .push(out, same_values, show_values);
}

fn compare_errors(out: &mut Vec<Deviation>, page: &ExtractedPage) {
    let show_status = |s: Option<u16>| s.map_or("no status".to_string(), |s| s.to_string());
    for e in ErrorKind::ALL {
        let listed = page.error(e.name());
        let documented = if e.documented() {
            e.status().to_string()
        } else {
            "absent".into()
        };
        let finding = |aspect, page: String, drift| Deviation {
            subject: e.name().to_string(),
            aspect,
            page,
            documented: documented.clone(),
            enforced: e.status().to_string(),
            source: Some(e.source()),
            evidence: e.evidence(),
            drift,
        };
        match listed {
            None => out.push(finding("error", "absent".into(), e.documented())),
            Some(p) if !e.documented() => out.push(finding("error", show_status(p.status), true)),
            Some(p) if p.status != Some(e.status()) => {
                out.push(finding("status", show_status(p.status), true))
            }
            Some(_) => {}
        }
    }
    for p in &page.errors {
        if ErrorKind::from_name(&p.name).is_none() {
            out.push(Deviation {
                subject: p.name.clone(),
                aspect: "error",
                page: show_status(p.status),
                documented: "absent".into(),
                enforced: "absent".into(),
                source: None,
                evidence: "not in the contract: an error AddPermission did not have",
                drift: true,
            });
        }
    }
}
