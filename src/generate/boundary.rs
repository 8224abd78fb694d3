//! The boundary table: deterministic, enumerated cases for every constraint of the contract
//! (lengths min-1 .. max+1, every enum value and one outside, missing, null, wrong type, the
//! traps) and for every stateful rule.
//!
//! Lengths are built by hand ([`values::with_length`]) in the contract's length unit, because
//! proptest's regex generator stops repeating at 32.

use super::label::{
    contract_violations, Class, Constraint, Label, Outcome, Violation, BODY, POLICY,
};
use super::values::{
    self, FOREIGN_ACCOUNT, INVALID_PRINCIPALS, MALFORMED_PRINCIPAL_ARN, MISSING_ALIAS,
};
use super::Draft;
use crate::case::{Given, GivenFunction, GivenPermission, Request};
use crate::contract::{
    contract, provisioning, Location, MemberType, Rule, FUNCTION_URL_ACTION, INVOKE_ACTION,
    POLICY_SIZE_LIMIT,
};
use crate::player::Player;
use crate::reference::{AddPermissionRequest, Body};
use crate::target::{observe, ReferenceTarget};
use crate::wire::Operation;
use serde_json::{json, Map, Value};

/// The fixture function every row uses.
const FUNCTION: &str = "fixture-fn";

fn base_body() -> Map<String, Value> {
    let mut b = Map::new();
    b.insert("StatementId".into(), json!("boundary"));
    b.insert("Action".into(), json!(INVOKE_ACTION));
    b.insert("Principal".into(), json!("s3.amazonaws.com"));
    b
}

/// `fixture-fn` with version 1, alias `live` -> 1 and alias `latest` -> `$LATEST`.
fn base_given() -> Given {
    Given {
        functions: vec![GivenFunction {
            name: FUNCTION.into(),
            versions: vec!["1".into()],
            aliases: [
                ("live".to_string(), "1".to_string()),
                ("latest".to_string(), "$LATEST".to_string()),
            ]
            .into(),
            permissions: Vec::new(),
        }],
    }
}

fn request(function_name: &str, qualifier: Option<&str>, body: Map<String, Value>) -> Request {
    Request {
        function_name: function_name.into(),
        qualifier: qualifier.map(str::to_string),
        body: Some(Value::Object(body)),
        raw_body: None,
    }
}

fn with(member: &str, value: Value) -> Map<String, Value> {
    let mut b = base_body();
    if member == "FunctionUrlAuthType" {
        b.insert("Action".into(), json!(FUNCTION_URL_ACTION));
    }
    b.insert(member.into(), value);
    b
}

fn permission(qualifier: Option<&str>, sid: &str) -> GivenPermission {
    GivenPermission {
        qualifier: qualifier.map(str::to_string),
        body: json!({"StatementId": sid, "Action": INVOKE_ACTION, "Principal": "sns.amazonaws.com"}),
    }
}

/// Collects the rows of the table.
struct Table {
    rows: Vec<Draft>,
}

impl Table {
    fn push(
        &mut self,
        class: Class,
        subject: Violation,
        given: Given,
        request: Request,
        outcome: Outcome,
        notes: &[&str],
    ) {
        let mut label = Label::new(class, Some(subject), outcome);
        label.notes = notes.iter().map(|n| n.to_string()).collect();
        self.rows.push(Draft {
            given,
            request,
            label,
        });
    }

    /// A row whose outcome follows from the contract: the violations it finds, or else a 201
    /// (`accepted`) or at least no validation error.
    fn contract_row(
        &mut self,
        subject: Violation,
        given: Given,
        request: Request,
        accepted: bool,
        notes: &[&str],
    ) {
        let broken = contract_violations(&request);
        let outcome = if !broken.is_empty() {
            Outcome::Validation(broken)
        } else if accepted {
            Outcome::Created
        } else {
            Outcome::PassesValidation
        };
        self.push(Class::Boundary, subject, given, request, outcome, notes);
    }
}

/// Whether CreateFunction / CreateAlias accepts `name` (so `given` can hold it).
fn creatable(name: &str, alias: bool) -> bool {
    if alias {
        provisioning().is_alias_name(name)
    } else {
        provisioning().is_function_name(name)
    }
}

/// Short values AWS accepts, preferred over the length template where their length fits.
fn canonical(member: &str, len: usize) -> Option<&'static str> {
    let options: &[&str] = match member {
        "Action" => &["*", "lambda:*"],
        "Principal" => &["*"],
        _ => &[],
    };
    let unit = contract().length_unit;
    options.iter().copied().find(|v| unit.count(v) == len)
}

fn length_rows(t: &mut Table) {
    for m in contract().members.iter().filter(|m| m.length.is_some()) {
        let mut lengths = Vec::new();
        if let Some(min) = m.min() {
            for (len, note) in [
                (min.checked_sub(1), "min-1"),
                (Some(min), "min"),
                (Some(min + 1), "min+1"),
            ] {
                if let Some(len) = len {
                    lengths.push((len, note, Constraint::LengthMin));
                }
            }
        }
        if let Some(max) = m.max() {
            for (len, note) in [(max - 1, "max-1"), (max, "max"), (max + 1, "max+1")] {
                lengths.push((len, note, Constraint::LengthMax));
            }
        }
        for (len, note, constraint) in lengths {
            let value = canonical(m.name, len)
                .map(str::to_string)
                .unwrap_or_else(|| values::with_length(m.name, len, values::filler(m.name)));
            let mut given = base_given();
            let (req, accepted) = match m.location {
                Location::Uri => {
                    let ok = creatable(&value, false);
                    if ok {
                        given.functions[0].name = value.clone();
                    }
                    (request(&value, None, base_body()), ok)
                }
                Location::Query => {
                    let ok = creatable(&value, true);
                    if ok {
                        given.functions[0].aliases.insert(value.clone(), "1".into());
                    }
                    (request(FUNCTION, Some(&value), base_body()), ok)
                }
                Location::Body => (request(FUNCTION, None, with(m.name, json!(value))), true),
            };
            t.contract_row((m.name, constraint), given, req, accepted, &[note]);
        }
        // Astral characters count twice in UTF-16: at max they fit, one more unit does not,
        // though the count of characters is still far below the maximum.
        if let (Some(max), Some(p)) = (m.max(), &m.pattern) {
            if m.location == Location::Body
                && p.value
                    .matches(&values::with_length(m.name, max, '\u{1F600}'))
            {
                for (len, note) in [(max, "max"), (max + 1, "max+1")] {
                    let value = values::with_length(m.name, len, '\u{1F600}');
                    let accepted = m.name != "Principal";
                    t.contract_row(
                        (m.name, Constraint::LengthMax),
                        base_given(),
                        request(FUNCTION, None, with(m.name, json!(value))),
                        accepted,
                        &[note, "utf16"],
                    );
                }
            }
        }
    }
}

fn pattern_rows(t: &mut Table) {
    let place = |member: &str, value: &str| match member {
        "FunctionName" => request(value, None, base_body()),
        "Qualifier" => request(FUNCTION, Some(value), base_body()),
        m => request(FUNCTION, None, with(m, json!(value))),
    };
    for trap in values::pattern_traps() {
        t.contract_row(
            (trap.member, Constraint::Pattern),
            base_given(),
            place(trap.member, &trap.value),
            false,
            &[trap.note],
        );
    }
    for trap in values::accepted_traps() {
        let accepted = trap.member == "SourceArn";
        t.contract_row(
            (trap.member, Constraint::Pattern),
            base_given(),
            place(trap.member, &trap.value),
            accepted,
            &[trap.note],
        );
    }
    // Every FunctionName form and qualifier placement AWS accepts.
    let arn = format!("{}{FUNCTION}", values::ARN_PREFIX);
    let partial = format!("{}{FUNCTION}", values::PARTIAL_PREFIX);
    for (name, qualifier, note) in [
        (FUNCTION.to_string(), None, "function-name:name"),
        (
            format!("{FUNCTION}:1"),
            None,
            "function-name:name-qualifier",
        ),
        (
            format!("{FUNCTION}:live"),
            None,
            "function-name:name-qualifier",
        ),
        (partial.clone(), None, "function-name:partial-arn"),
        (format!("{partial}:live"), None, "function-name:partial-arn"),
        (arn.clone(), None, "function-name:full-arn"),
        (format!("{arn}:1"), Some("1"), "function-name:full-arn"),
        (arn.clone(), Some("live"), "function-name:full-arn"),
    ] {
        t.contract_row(
            ("FunctionName", Constraint::Pattern),
            base_given(),
            request(&name, qualifier, base_body()),
            true,
            &[note],
        );
    }
}

fn enum_rows(t: &mut Table) {
    for m in contract().members.iter() {
        let Some(e) = &m.enum_values else { continue };
        for v in e.value {
            t.contract_row(
                (m.name, Constraint::Enum),
                base_given(),
                request(FUNCTION, None, with(m.name, json!(v))),
                true,
                &["enum-value"],
            );
        }
        for v in ["BASIC", "none", "", "NONE "] {
            t.contract_row(
                (m.name, Constraint::Enum),
                base_given(),
                request(FUNCTION, None, with(m.name, json!(v))),
                false,
                &["outside-enum"],
            );
        }
    }
}

fn required_and_type_rows(t: &mut Table) {
    let body_members: Vec<_> = contract()
        .members
        .iter()
        .filter(|m| m.location == Location::Body)
        .collect();
    for m in &body_members {
        if m.required {
            let mut absent = base_body();
            absent.remove(m.name);
            t.contract_row(
                (m.name, Constraint::Required),
                base_given(),
                request(FUNCTION, None, absent.clone()),
                false,
                &["absent"],
            );
            let mut null = base_body();
            null.insert(m.name.into(), Value::Null);
            t.contract_row(
                (m.name, Constraint::Required),
                base_given(),
                request(FUNCTION, None, null),
                false,
                &["trap:json-null"],
            );
            let mut wrong_case = absent;
            wrong_case.insert(m.message_name(), base_body()[m.name].clone());
            t.contract_row(
                (m.name, Constraint::Required),
                base_given(),
                request(FUNCTION, None, wrong_case),
                false,
                &["trap:unknown-member"],
            );
        } else {
            t.contract_row(
                (m.name, Constraint::Required),
                base_given(),
                request(FUNCTION, None, with(m.name, Value::Null)),
                true,
                &["trap:null-optional-member"],
            );
        }
        let wrong: Vec<(Value, &str)> = match m.ty {
            MemberType::String => vec![
                (json!(5), "json:number"),
                (json!(true), "json:boolean"),
                (json!(["s"]), "json:array"),
                (json!({}), "json:object"),
            ],
            MemberType::Boolean => vec![
                (json!("true"), "json:string"),
                (json!(1), "json:number"),
                (json!([]), "json:array"),
                (json!({}), "json:object"),
            ],
        };
        for (v, note) in wrong {
            t.push(
                Class::Boundary,
                (m.name, Constraint::Type),
                base_given(),
                request(FUNCTION, None, with(m.name, v)),
                Outcome::Content(m.name),
                &[note],
            );
        }
    }
    // The required members missing together: one entry each, in model order.
    let empty = request(FUNCTION, None, Map::new());
    let all_missing = contract_violations(&empty);
    t.push(
        Class::Boundary,
        ("StatementId", Constraint::Required),
        base_given(),
        empty,
        Outcome::Validation(all_missing.clone()),
        &["all-required-missing"],
    );
    let raw = |raw: &str| Request {
        function_name: FUNCTION.into(),
        qualifier: None,
        body: None,
        raw_body: Some(raw.into()),
    };
    t.push(
        Class::Boundary,
        ("StatementId", Constraint::Required),
        base_given(),
        raw(""),
        Outcome::Validation(all_missing),
        &["raw:empty-body"],
    );
    for (v, note) in [
        (json!([]), "json:array"),
        (json!("s"), "json:string"),
        (json!(7), "json:number"),
        (Value::Null, "trap:json-null"),
        (json!(false), "json:boolean"),
    ] {
        let r = Request {
            body: Some(v),
            ..request(FUNCTION, None, Map::new())
        };
        t.push(
            Class::Boundary,
            (BODY, Constraint::Type),
            base_given(),
            r,
            Outcome::Content(BODY),
            &[note],
        );
    }
    for (text, note) in [
        ("{\"StatementId\":", "raw:truncated"),
        ("not json", "raw:not-json"),
        ("{\"a\":1}}", "raw:trailing"),
    ] {
        t.push(
            Class::Boundary,
            (BODY, Constraint::Type),
            base_given(),
            raw(text),
            Outcome::Content(BODY),
            &[note],
        );
    }
    let pretty = serde_json::to_string_pretty(&Value::Object(base_body())).unwrap_or_default();
    t.push(
        Class::Boundary,
        (BODY, Constraint::Type),
        base_given(),
        raw(&format!("\n{pretty}\n")),
        Outcome::Created,
        &["raw:pretty-json"],
    );
    for (key, v) in [
        ("Unknown", json!(1)),
        ("statementId", json!("ignored")),
        ("Condition", json!({"a": "b"})),
    ] {
        let mut b = base_body();
        b.insert(key.into(), v);
        t.push(
            Class::Boundary,
            (BODY, Constraint::Type),
            base_given(),
            request(FUNCTION, None, b),
            Outcome::Created,
            &["trap:unknown-member"],
        );
    }
}

fn principal_rows(t: &mut Table) {
    for p in [
        "*",
        "s3.amazonaws.com",
        "logs.us-east-1.amazonaws.com",
        "alexa-appkit.amazon.com",
        "223456789012",
        "arn:${PARTITION}:iam::223456789012:root",
        "arn:${PARTITION}:iam::223456789012:role/service-role/my-role",
        "arn:${PARTITION}:iam::223456789012:user/someone",
        "arn:${PARTITION}:sts::223456789012:assumed-role/r/session",
    ] {
        t.push(
            Class::Boundary,
            ("Principal", Constraint::Semantic),
            base_given(),
            request(FUNCTION, None, with("Principal", json!(p))),
            Outcome::Created,
            &["principal-kind"],
        );
    }
    for p in INVALID_PRINCIPALS {
        t.push(
            Class::Boundary,
            ("Principal", Constraint::Semantic),
            base_given(),
            request(FUNCTION, None, with("Principal", json!(p))),
            Outcome::Rule(Rule::InvalidPrincipal),
            &[],
        );
    }
    t.push(
        Class::Boundary,
        ("Principal", Constraint::Semantic),
        base_given(),
        request(
            FUNCTION,
            None,
            with("Principal", json!(MALFORMED_PRINCIPAL_ARN)),
        ),
        Outcome::Rule(Rule::MalformedPrincipalArn),
        &[],
    );
    let mut b = with("FunctionUrlAuthType", json!("NONE"));
    b.insert("Action".into(), json!(INVOKE_ACTION));
    t.push(
        Class::Boundary,
        ("FunctionUrlAuthType", Constraint::Semantic),
        base_given(),
        request(FUNCTION, None, b),
        Outcome::Rule(Rule::FunctionUrlAuthTypeAction),
        &[],
    );
    let mut b = with("InvokedViaFunctionUrl", json!(true));
    b.insert("Action".into(), json!(FUNCTION_URL_ACTION));
    t.push(
        Class::Boundary,
        ("InvokedViaFunctionUrl", Constraint::Semantic),
        base_given(),
        request(FUNCTION, None, b),
        Outcome::Rule(Rule::InvokedViaFunctionUrlAction),
        &[],
    );
    t.push(
        Class::Boundary,
        ("InvokedViaFunctionUrl", Constraint::Semantic),
        base_given(),
        request(FUNCTION, None, with("InvokedViaFunctionUrl", json!(false))),
        Outcome::Created,
        &[],
    );
}

fn stateful_rows(t: &mut Table) {
    let s = |t: &mut Table,
             member: &'static str,
             given: Given,
             req: Request,
             outcome: Outcome,
             notes: &[&str]| {
        t.push(
            Class::Stateful,
            (member, Constraint::Semantic),
            given,
            req,
            outcome,
            notes,
        );
    };
    let rule = Outcome::Rule;
    s(
        t,
        "FunctionName",
        base_given(),
        request("missing-fn", None, base_body()),
        rule(Rule::FunctionNotFound),
        &[],
    );
    s(
        t,
        "FunctionName",
        Given::default(),
        request(FUNCTION, None, base_body()),
        rule(Rule::FunctionNotFound),
        &["no-functions"],
    );
    let foreign =
        format!("arn:${{PARTITION}}:lambda:${{REGION}}:{FOREIGN_ACCOUNT}:function:{FUNCTION}");
    s(
        t,
        "FunctionName",
        base_given(),
        request(&foreign, None, base_body()),
        rule(Rule::ForeignFunction),
        &[],
    );
    s(
        t,
        "FunctionName",
        base_given(),
        request(
            &format!("{FOREIGN_ACCOUNT}:function:{FUNCTION}"),
            None,
            base_body(),
        ),
        rule(Rule::ForeignFunction),
        &[],
    );
    s(
        t,
        "Qualifier",
        base_given(),
        request(FUNCTION, Some("7"), base_body()),
        rule(Rule::VersionNotFound),
        &[],
    );
    s(
        t,
        "Qualifier",
        base_given(),
        request(&format!("{FUNCTION}:42"), None, base_body()),
        rule(Rule::VersionNotFound),
        &[],
    );
    s(
        t,
        "Qualifier",
        base_given(),
        request(FUNCTION, Some("valid-with-$-but-doesnotexist"), base_body()),
        rule(Rule::VersionNotFound),
        &["trap:dollar-in-qualifier"],
    );
    s(
        t,
        "Qualifier",
        base_given(),
        request(FUNCTION, Some(MISSING_ALIAS), base_body()),
        rule(Rule::AliasNotFound),
        &[],
    );
    s(
        t,
        "Qualifier",
        base_given(),
        request(FUNCTION, Some("$LATEST"), base_body()),
        rule(Rule::LatestUnsupported),
        &["qualifier-in:query"],
    );
    s(
        t,
        "Qualifier",
        base_given(),
        request(&format!("{FUNCTION}:$LATEST"), None, base_body()),
        rule(Rule::LatestUnsupported),
        &["qualifier-in:function-name"],
    );
    s(
        t,
        "Qualifier",
        base_given(),
        request(&format!("{FUNCTION}:$LATEST"), Some("$LATEST"), base_body()),
        rule(Rule::LatestUnsupported),
        &["qualifier-in:both"],
    );
    s(
        t,
        "Qualifier",
        base_given(),
        request(FUNCTION, Some("latest"), base_body()),
        Outcome::Created,
        &["qualifier:alias-to-latest"],
    );
    s(
        t,
        "Qualifier",
        base_given(),
        request(&format!("{FUNCTION}:1"), Some("live"), base_body()),
        rule(Rule::QualifierMismatch),
        &[],
    );
    s(
        t,
        "Qualifier",
        base_given(),
        request(&format!("{FUNCTION}:alias-not-42"), Some("42"), base_body()),
        rule(Rule::QualifierMismatch),
        &["mismatch-before-existence"],
    );
    s(
        t,
        "Qualifier",
        base_given(),
        request(&format!("{FUNCTION}:live"), Some("live"), base_body()),
        Outcome::Created,
        &["qualifier-in:both"],
    );
    let qualifiers = [None, Some("1"), Some("live")];
    for q in qualifiers {
        let mut g = base_given();
        g.functions[0].permissions.push(permission(q, "boundary"));
        s(
            t,
            "StatementId",
            g,
            request(FUNCTION, q, base_body()),
            rule(Rule::DuplicateStatementId),
            &[q.map_or("qualifier:none", |_| "qualified")],
        );
    }
    for (i, q) in qualifiers.iter().enumerate() {
        let other = qualifiers[(i + 1) % qualifiers.len()];
        let mut g = base_given();
        g.functions[0].permissions.push(permission(*q, "boundary"));
        s(
            t,
            "StatementId",
            g,
            request(FUNCTION, other, base_body()),
            Outcome::Created,
            &["same-sid-other-qualifier"],
        );
    }
    let revision = |value: &str| {
        let mut b = base_body();
        b.insert("RevisionId".into(), json!(value));
        b
    };
    let with_policy = |q: Option<&str>| {
        let mut g = base_given();
        g.functions[0].permissions.push(permission(q, "earlier"));
        g
    };
    for q in qualifiers {
        // Without a policy the version's or alias's RevisionId is current; unqualified, no
        // RevisionId matches, not even the function's (recorded 2025).
        let (outcome, tag) = match q {
            Some(_) => (Outcome::Created, "revision:right"),
            None => (rule(Rule::RevisionMismatch), "revision:function"),
        };
        s(
            t,
            "RevisionId",
            base_given(),
            request(FUNCTION, q, revision("${CURRENT_REVISION}")),
            outcome,
            &[tag, "no-policy-yet"],
        );
        s(
            t,
            "RevisionId",
            with_policy(q),
            request(FUNCTION, q, revision("${CURRENT_REVISION}")),
            Outcome::Created,
            &["revision:right"],
        );
    }
    s(
        t,
        "RevisionId",
        base_given(),
        request(FUNCTION, None, revision("wrong-revision")),
        rule(Rule::RevisionMismatch),
        &["revision:wrong", "no-policy-yet"],
    );
    s(
        t,
        "RevisionId",
        with_policy(Some("live")),
        request(FUNCTION, Some("live"), revision("wrong-revision")),
        rule(Rule::RevisionMismatch),
        &["revision:wrong"],
    );
    s(
        t,
        "RevisionId",
        with_policy(None),
        request(FUNCTION, None, revision("")),
        rule(Rule::RevisionMismatch),
        &["revision:empty"],
    );
    let mut g = base_given();
    g.functions[0]
        .permissions
        .push(permission(None, "boundary"));
    s(
        t,
        "RevisionId",
        g,
        request(FUNCTION, None, revision("wrong-revision")),
        rule(Rule::RevisionMismatch),
        &["revision-before-duplicate"],
    );
    policy_size_rows(t);
}

/// The policy that reaches exactly the limit, and the one that crosses it by one byte, both
/// by one statement. Sizes depend on the ARN lengths, so these rows hold for the default
/// account, region and partition only (tag `config:default`).
fn policy_size_rows(t: &mut Table) {
    // The sizes the reference's answers show: the policy of `given`, and the statement one
    // more permission adds to it.
    let arn_len = |given: &Given| -> Option<(usize, usize)> {
        let target = ReferenceTarget::default();
        let mut player = Player::open(&target).ok()?;
        player.provision(given).ok()?;
        let policy = player
            .send(&Operation::GetPolicy {
                function_name: FUNCTION.into(),
                qualifier: None,
            })
            .ok()?;
        let policy: Value = serde_json::from_slice(&policy.body).ok()?;
        let policy = policy.get("Policy")?.as_str()?.len();
        let mut b = base_body();
        b.insert("StatementId".into(), json!("edge"));
        b.insert("EventSourceToken".into(), json!("t"));
        let added = player
            .send(&Operation::AddPermission(AddPermissionRequest {
                function_name: FUNCTION.into(),
                qualifier: None,
                body: Body::Json(Value::Object(b)),
            }))
            .ok()?;
        Some((policy, observe(&added).statement_raw?.len()))
    };
    let given = |k: usize| {
        let mut g = base_given();
        for i in 0..2 {
            let mut p = permission(None, &format!("big-{i}"));
            p.body["SourceArn"] = json!(format!("arn:aws:s3:::{}", "a".repeat(k)));
            g.functions[0].permissions.push(p);
        }
        g
    };
    let Some((p0, l1)) = arn_len(&given(9000)) else {
        return;
    };
    // Leave room for a token of about 128 characters: two statements grow by 2 per unit of k.
    let target = POLICY_SIZE_LIMIT.saturating_sub(l1 + 128);
    let k = 9000 + target.saturating_sub(p0) / 2;
    let g = given(k);
    let Some((p, l1)) = arn_len(&g) else { return };
    // Final size = policy + ',' + statement; the statement grows one byte per token byte.
    let Some(token) = POLICY_SIZE_LIMIT
        .checked_sub(p + 1 + l1)
        .map(|room| room + 1)
    else {
        return;
    };
    for (len, outcome, note) in [
        (token, Outcome::Created, "policy-size:at-limit"),
        (
            token + 1,
            Outcome::Rule(Rule::PolicyTooLarge),
            "policy-size:limit+1",
        ),
    ] {
        let mut b = base_body();
        b.insert("StatementId".into(), json!("edge"));
        b.insert("EventSourceToken".into(), json!("t".repeat(len)));
        t.push(
            Class::Stateful,
            (POLICY, Constraint::Semantic),
            g.clone(),
            request(FUNCTION, None, b),
            outcome,
            &[note, "config:default"],
        );
    }
}

/// Every row of the table, in a fixed order.
pub fn drafts() -> Vec<Draft> {
    let mut t = Table { rows: Vec::new() };
    length_rows(&mut t);
    pattern_rows(&mut t);
    enum_rows(&mut t);
    required_and_type_rows(&mut t);
    principal_rows(&mut t);
    stateful_rows(&mut t);
    t.rows
}
