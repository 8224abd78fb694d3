//! Valid requests: every member, every FunctionName form, every principal kind, every
//! qualifier kind, with a `given` under which AWS answers 201.

use super::label::{Class, Label, Outcome};
use super::values::{self, PrincipalShape, ACTIONS, ARN_PREFIX, PARTIAL_PREFIX};
use super::Draft;
use crate::case::{Given, GivenFunction, GivenPermission, Request};
use crate::contract::{contract, FUNCTION_URL_ACTION, INVOKE_ACTION};
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// How the FunctionName is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Name,
    PartialArn,
    FullArn,
}

/// Where the qualifier travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    Query,
    FunctionName,
    Both,
}

/// What the request's qualifier addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Unqualified,
    Version(String),
    Alias { name: String, to_latest: bool },
}

/// The optional body members of a valid request (`None`: absent).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Optionals {
    pub source_arn: Option<String>,
    pub source_account: Option<String>,
    pub event_source_token: Option<String>,
    pub principal_org_id: Option<String>,
    pub function_url_auth_type: Option<&'static str>,
    pub invoked_via_function_url: Option<bool>,
    /// `RevisionId: ${CURRENT_REVISION}`, the right one.
    pub revision_id: bool,
}

/// Everything a valid case is made of, before it becomes a `given` and a request.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    pub name: String,
    /// Published versions "1".."n".
    pub versions: usize,
    /// Alias -> version ("$LATEST" allowed).
    pub aliases: BTreeMap<String, String>,
    pub target: Target,
    pub form: Form,
    pub placement: Placement,
    pub statement_id: String,
    pub action: String,
    pub principal: (PrincipalShape, String),
    pub optionals: Optionals,
    /// Permissions already granted: (qualifier, Sid).
    pub existing: Vec<(Option<String>, String)>,
    /// An optional member sent as JSON null (null is absent).
    pub null_member: Option<&'static str>,
    /// A member the model does not have (ignored by AWS).
    pub unknown_member: Option<&'static str>,
}

/// Body members that are optional, in contract order.
pub fn optional_body_members() -> Vec<&'static str> {
    contract()
        .members
        .iter()
        .filter(|m| !m.required && m.location == crate::contract::Location::Body)
        .map(|m| m.name)
        .collect()
}

/// Keys AWS ignores: unknown names, including a wrong-case twin of a real member.
const UNKNOWN_MEMBERS: [&str; 3] = ["Unknown", "statementId", "Condition"];

fn optionals() -> impl Strategy<Value = Optionals> {
    let enum_values = values::member("FunctionUrlAuthType")
        .enum_values
        .as_ref()
        .map_or(&[][..], |e| e.value);
    (
        proptest::option::of(values::source_arns()),
        proptest::option::of(values::from_pattern("SourceAccount")),
        proptest::option::of(values::from_pattern("EventSourceToken")),
        proptest::option::of(values::from_pattern("PrincipalOrgID")),
        proptest::option::weighted(0.3, proptest::sample::select(enum_values)),
        proptest::option::of(any::<bool>()),
        proptest::bool::weighted(0.3),
    )
        .prop_map(
            |(arn, account, token, org, auth, via, revision)| Optionals {
                source_arn: arn,
                source_account: account,
                event_source_token: token,
                principal_org_id: org,
                function_url_auth_type: auth,
                invoked_via_function_url: via,
                revision_id: revision,
            },
        )
}

/// The strategy for valid shapes.
pub fn shapes() -> impl Strategy<Value = Shape> {
    let state = (
        values::function_names(),
        0..=3usize,
        proptest::collection::vec(
            (values::alias_names(), proptest::option::of(any::<Index>())),
            0..=2,
        ),
        (0..3u8, any::<Index>()),
        proptest::collection::vec((any::<Index>(), any::<bool>()), 0..=3),
    );
    let request = (
        (0..3u8, 0..3u8),
        values::statement_ids().prop_filter("not a given Sid", |s| !s.starts_with("given-")),
        any::<Index>(),
        values::principals(),
        optionals(),
        proptest::option::weighted(0.15, any::<Index>()),
        proptest::option::weighted(0.15, proptest::sample::select(&UNKNOWN_MEMBERS[..])),
    );
    (state, request).prop_map(|(state, request)| {
        let (name, versions, alias_specs, (target_kind, target_index), existing_specs) = state;
        let ((form, placement), statement_id, action, principal, mut optionals, null, unknown) =
            request;
        let mut aliases = BTreeMap::new();
        for (alias, to) in alias_specs {
            let version = match to {
                Some(i) if versions > 0 => (i.index(versions) + 1).to_string(),
                _ => "$LATEST".to_string(),
            };
            aliases.entry(alias).or_insert(version);
        }
        let target = match target_kind {
            1 if versions > 0 => Target::Version((target_index.index(versions) + 1).to_string()),
            2 if !aliases.is_empty() => {
                let (alias, version) = aliases
                    .iter()
                    .nth(target_index.index(aliases.len()))
                    .expect("index within the aliases");
                Target::Alias {
                    name: alias.clone(),
                    to_latest: version == "$LATEST",
                }
            }
            _ => Target::Unqualified,
        };
        // Every qualifier that can carry a policy: unqualified, each version, each alias.
        let qualifiers: Vec<Option<String>> = std::iter::once(None)
            .chain((1..=versions).map(|v| Some(v.to_string())))
            .chain(aliases.keys().map(|a| Some(a.clone())))
            .collect();
        let target_qualifier = qualifier_of(&target);
        let mut shared = Vec::new();
        let existing = existing_specs
            .into_iter()
            .enumerate()
            .map(|(i, (q, same_sid))| {
                let q = qualifiers[q.index(qualifiers.len())].clone();
                // The same Sid is fine under another qualifier: each has its own policy.
                let sid = if same_sid && q != target_qualifier && !shared.contains(&q) {
                    shared.push(q.clone());
                    statement_id.clone()
                } else {
                    format!("given-{i}")
                };
                (q, sid)
            })
            .collect();
        let mut action = ACTIONS[action.index(ACTIONS.len())].to_string();
        if optionals.function_url_auth_type.is_some() {
            action = FUNCTION_URL_ACTION.to_string();
            if optionals.invoked_via_function_url == Some(true) {
                optionals.invoked_via_function_url = Some(false);
            }
        } else if optionals.invoked_via_function_url == Some(true) {
            action = INVOKE_ACTION.to_string();
        }
        let absent = absent_optionals(&optionals);
        let null_member = null
            .filter(|_| !absent.is_empty())
            .map(|i| absent[i.index(absent.len())]);
        Shape {
            name,
            versions,
            aliases,
            target,
            form: [Form::Name, Form::PartialArn, Form::FullArn][form as usize],
            placement: [Placement::Query, Placement::FunctionName, Placement::Both]
                [placement as usize],
            statement_id,
            action,
            principal,
            optionals,
            existing,
            null_member,
            unknown_member: unknown,
        }
    })
}

fn absent_optionals(o: &Optionals) -> Vec<&'static str> {
    let present = [
        ("SourceArn", o.source_arn.is_some()),
        ("SourceAccount", o.source_account.is_some()),
        ("EventSourceToken", o.event_source_token.is_some()),
        ("RevisionId", o.revision_id),
        ("PrincipalOrgID", o.principal_org_id.is_some()),
        ("FunctionUrlAuthType", o.function_url_auth_type.is_some()),
        (
            "InvokedViaFunctionUrl",
            o.invoked_via_function_url.is_some(),
        ),
    ];
    optional_body_members()
        .into_iter()
        .filter(|m| present.iter().any(|(n, p)| n == m && !p))
        .collect()
}

/// The qualifier string a target addresses.
pub fn qualifier_of(target: &Target) -> Option<String> {
    match target {
        Target::Unqualified => None,
        Target::Version(v) => Some(v.clone()),
        Target::Alias { name, .. } => Some(name.clone()),
    }
}

/// Writes a function name in `form` with an optional qualifier suffix.
pub fn function_name(form: Form, name: &str, suffix: Option<&str>) -> String {
    let base = match form {
        Form::Name => name.to_string(),
        Form::PartialArn => format!("{PARTIAL_PREFIX}{name}"),
        Form::FullArn => format!("{ARN_PREFIX}{name}"),
    };
    match suffix {
        Some(q) => format!("{base}:{q}"),
        None => base,
    }
}

impl Shape {
    /// The body, members in contract order.
    pub fn body(&self) -> Map<String, Value> {
        let o = &self.optionals;
        let mut body = Map::new();
        let mut put = |k: &str, v: Value| {
            body.insert(k.to_string(), v);
        };
        put("StatementId", json!(self.statement_id));
        put("Action", json!(self.action));
        put("Principal", json!(self.principal.1));
        for (k, v) in [
            ("SourceArn", &o.source_arn),
            ("SourceAccount", &o.source_account),
            ("EventSourceToken", &o.event_source_token),
        ] {
            if let Some(v) = v {
                put(k, json!(v));
            }
        }
        if o.revision_id && self.revision_can_match() {
            put("RevisionId", json!("${CURRENT_REVISION}"));
        }
        if let Some(v) = &o.principal_org_id {
            put("PrincipalOrgID", json!(v));
        }
        if let Some(v) = o.function_url_auth_type {
            put("FunctionUrlAuthType", json!(v));
        }
        if let Some(v) = o.invoked_via_function_url {
            put("InvokedViaFunctionUrl", json!(v));
        }
        if let Some(m) = self.unknown_member {
            put(
                m,
                json!(if m == "statementId" {
                    json!("ignored")
                } else {
                    json!(1)
                }),
            );
        }
        if let Some(m) = self.null_member {
            // Null only where the member is otherwise absent (a mutation may have set it).
            body.entry(m).or_insert(Value::Null);
        }
        body
    }

    /// Whether `${CURRENT_REVISION}` is accepted here: always on a version or alias, but
    /// unqualified only once a policy exists (no RevisionId matches a function without one).
    pub fn revision_can_match(&self) -> bool {
        let q = qualifier_of(&self.target);
        q.is_some() || self.existing.iter().any(|(eq, _)| *eq == q)
    }

    pub fn given(&self) -> Given {
        Given {
            functions: vec![GivenFunction {
                name: self.name.clone(),
                versions: (1..=self.versions).map(|v| v.to_string()).collect(),
                aliases: self.aliases.clone(),
                permissions: self
                    .existing
                    .iter()
                    .map(|(q, sid)| GivenPermission {
                        qualifier: q.clone(),
                        body: json!({"StatementId": sid, "Action": INVOKE_ACTION, "Principal": "s3.amazonaws.com"}),
                    })
                    .collect(),
            }],
        }
    }

    pub fn request(&self) -> Request {
        let q = qualifier_of(&self.target);
        let (suffix, query) = match self.placement {
            Placement::Query => (None, q),
            Placement::FunctionName => (q, None),
            Placement::Both => (q.clone(), q),
        };
        Request {
            function_name: function_name(self.form, &self.name, suffix.as_deref()),
            qualifier: query,
            body: Some(Value::Object(self.body())),
            raw_body: None,
        }
    }

    /// The shape tags: FunctionName form, qualifier kind and placement, principal kind.
    pub fn notes(&self) -> Vec<String> {
        let qualified = self.target != Target::Unqualified;
        let form = match (self.form, qualified && self.placement != Placement::Query) {
            (Form::Name, false) => "function-name:name",
            (Form::Name, true) => "function-name:name-qualifier",
            (Form::PartialArn, _) => "function-name:partial-arn",
            (Form::FullArn, _) => "function-name:full-arn",
        };
        let qualifier = match &self.target {
            Target::Unqualified => "qualifier:none",
            Target::Version(_) => "qualifier:version",
            Target::Alias {
                to_latest: false, ..
            } => "qualifier:alias",
            Target::Alias {
                to_latest: true, ..
            } => "qualifier:alias-to-latest",
        };
        let mut notes = vec![form.to_string(), qualifier.to_string()];
        if qualified {
            notes.push(
                match self.placement {
                    Placement::Query => "qualifier-in:query",
                    Placement::FunctionName => "qualifier-in:function-name",
                    Placement::Both => "qualifier-in:both",
                }
                .to_string(),
            );
        }
        notes.push(self.principal.0.tag().to_string());
        if self.null_member.is_some() {
            notes.push("trap:null-optional-member".into());
        }
        if self.unknown_member.is_some() {
            notes.push("trap:unknown-member".into());
        }
        notes
    }

    /// The valid case this shape describes.
    pub fn draft(&self) -> Draft {
        let mut label = Label::new(Class::Valid, None, Outcome::Created);
        label.notes = self.notes();
        Draft {
            given: self.given(),
            request: self.request(),
            label,
        }
    }
}

/// Valid cases.
pub fn drafts() -> impl Strategy<Value = Draft> {
    shapes().prop_map(|s| s.draft())
}
