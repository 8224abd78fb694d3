//! The AddPermission contract: every request member with its enforced constraints, what the
//! seed API reference page documents for it, and where each enforced value comes from.
//!
//! This module is the only place a pattern, a length limit, an account shape or a size limit is
//! written, for AddPermission and for the operations that provision its fixtures. Everything
//! else (validation in the reference, the case player, the generators, the OpenAPI export, the
//! doc-drift check) reads these tables, so a change of AWS behaviour is a change here and
//! nowhere else.

pub mod doc_page;
mod errors;
mod function_name;
mod openapi;
mod pattern;
pub mod principal;
mod provisioning;
mod rules;

pub use errors::ErrorKind;
pub use function_name::{FunctionRef, QualifierKind};
pub use openapi::{example_body as openapi_example_body, openapi};
pub use pattern::{translate, AwsPattern, TranslateError};
pub use provisioning::{provisioning, Provisioning};
pub use rules::Rule;

use serde::Serialize;
use serde_json::{json, Value};
use std::sync::LazyLock;

/// Where an enforced value comes from, in decreasing order of authority for "what AWS does".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// Seen in a response recorded from real AWS.
    Recorded,
    /// The current service model (botocore `service-2.json`).
    Model,
    /// The seed API reference page, unchanged by model or recordings.
    Doc,
    /// Not recorded anywhere: the most plausible reading, chosen and marked as such.
    Inferred,
}

/// Where a member travels in the HTTP request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Location {
    Uri,
    Query,
    Body,
}

/// The JSON type a member has on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MemberType {
    String,
    Boolean,
}

/// How a length constraint counts a string.
///
/// Not recorded for any AddPermission member. The Smithy specification counts Unicode scalar
/// values, but Lambda's front end is a Java (Coral) service whose validators call
/// `String.length()`, i.e. UTF-16 code units. Real AWS wins over the specification, so the
/// default is [`LengthUnit::Utf16`]. The two only differ for characters outside the Basic
/// Multilingual Plane, which only `Principal`, `SourceArn` and `RevisionId` can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum LengthUnit {
    #[default]
    Utf16,
    Scalar,
}

impl LengthUnit {
    pub fn count(self, s: &str) -> usize {
        // Both units count an ASCII byte as one; `is_ascii` reads a word at a time, where the
        // per-character decoders below cost a branch per byte (a fifth of the `add_permission`
        // fuzz target's time went to counting its ~1 KB values).
        if s.is_ascii() {
            return s.len();
        }
        match self {
            LengthUnit::Utf16 => s.encode_utf16().count(),
            LengthUnit::Scalar => s.chars().count(),
        }
    }
}

/// An enforced value with its provenance.
#[derive(Debug, Clone)]
pub struct Sourced<T> {
    pub value: T,
    pub source: Source,
    pub evidence: &'static str,
}

/// Inclusive length bounds; `None` means unbounded on that side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Length {
    pub min: Option<usize>,
    pub max: Option<usize>,
}

/// What the seed API reference page says about a member (`None` fields: the page is silent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocValues {
    pub required: bool,
    pub min: Option<usize>,
    pub max: Option<usize>,
    pub pattern: Option<&'static str>,
    pub enum_values: Option<&'static [&'static str]>,
}

/// One request member.
#[derive(Debug, Clone)]
pub struct Member {
    /// The model's member name, which is also the JSON key in the body.
    pub name: &'static str,
    pub location: Location,
    pub shape: &'static str,
    pub ty: MemberType,
    pub required: bool,
    pub length: Option<Sourced<Length>>,
    pub pattern: Option<Sourced<AwsPattern>>,
    pub enum_values: Option<Sourced<&'static [&'static str]>>,
    /// `None` when the member is newer than the seed page.
    pub doc: Option<DocValues>,
    pub description: &'static str,
}

impl Member {
    /// The name AWS uses in validation messages: the model name with only its first character
    /// lower-cased (`statementId`, `principalOrgID`).
    pub fn message_name(&self) -> String {
        let mut c = self.name.chars();
        match c.next() {
            Some(first) => first.to_ascii_lowercase().to_string() + c.as_str(),
            None => String::new(),
        }
    }

    pub fn min(&self) -> Option<usize> {
        self.length.as_ref().and_then(|l| l.value.min)
    }

    pub fn max(&self) -> Option<usize> {
        self.length.as_ref().and_then(|l| l.value.max)
    }
}

/// The whole contract: members in service-model order (the order AWS lists validation errors in).
#[derive(Debug)]
pub struct Contract {
    pub members: Vec<Member>,
    pub length_unit: LengthUnit,
}

/// The account, region and partition that placeholders default to.
pub const DEFAULT_ACCOUNT: &str = "123456789012";
pub const DEFAULT_REGION: &str = "us-east-1";
pub const DEFAULT_PARTITION: &str = "aws";
/// A resource policy's `Version` and `Id`, as GetPolicy shows them (recorded).
pub const POLICY_VERSION: &str = "2012-10-17";
pub const POLICY_ID: &str = "default";
/// The largest resource policy, in bytes of compact JSON, that AddPermission may produce.
pub const POLICY_SIZE_LIMIT: usize = 20480;
/// The largest request body, 6 MiB: Lambda's request payload limit, above which AWS answers
/// `RequestEntityTooLargeException` (413). No AddPermission body AWS would judge comes near it
/// (the whole policy is capped at [`POLICY_SIZE_LIMIT`]).
pub const MAX_REQUEST_BODY_BYTES: usize = 6 * 1024 * 1024;
/// What the seed page says of a FunctionName given as a name only: "If you specify only the
/// function name, it is limited to 64 characters in length" (AWS does not enforce it on
/// AddPermission: a 65-character name is simply not found; the `doc-function-name-limits`
/// fault does).
pub const DOC_FUNCTION_NAME_ONLY_MAX: usize = 64;
/// The only Action that may carry a FunctionUrlAuthType.
pub const FUNCTION_URL_ACTION: &str = "lambda:InvokeFunctionUrl";
/// The only Action that may carry InvokedViaFunctionUrl.
pub const INVOKE_ACTION: &str = "lambda:InvokeFunction";

/// The contract as enforced today, compiled once.
pub fn contract() -> &'static Contract {
    static CONTRACT: LazyLock<Contract> = LazyLock::new(Contract::build);
    &CONTRACT
}

/// The pattern AWS quotes for NamespacedFunctionName (GetFunction/DeleteFunction/Invoke,
/// 2025-11-25 recordings). Capture groups used by [`FunctionRef::parse`]: 2 partition,
/// 3 region with colon, 9 account with colon, 11 name, 13 qualifier.
pub const FUNCTION_NAME_PATTERN: &str = r"(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_\.]+)(:(\$LATEST(\.PUBLISHED)?|[a-zA-Z0-9-_]+))?";

impl Contract {
    fn build() -> Contract {
        use Source::*;
        let len = |min, max, source, evidence| {
            Some(Sourced {
                value: Length { min, max },
                source,
                evidence,
            })
        };
        let pat = |p, source, evidence| {
            Some(Sourced {
                value: AwsPattern::new(p),
                source,
                evidence,
            })
        };
        let members = vec![
            Member {
                name: "FunctionName",
                location: Location::Uri,
                shape: "NamespacedFunctionName",
                ty: MemberType::String,
                required: true,
                length: len(Some(1), Some(256), Model,
                    "model max 256 (2025-12-01); recorded on the operations sharing the shape: a 225-char ARN got only the pattern error and a 65-char bare name a 404, so the page's 64/140 limits are not enforced"),
                pattern: pat(FUNCTION_NAME_PATTERN, Recorded,
                    "quoted verbatim in ValidationException messages of GetFunction/DeleteFunction/Invoke (2025-11-25); adds eusc-/iso regions, '.' in names and $LATEST.PUBLISHED to the page's pattern. The model's 2026-07 form additionally requires region and account after a full 'arn:' prefix; not yet seen in a recording"),
                enum_values: None,
                doc: Some(DocValues { required: true, min: Some(1), max: Some(140),
                    pattern: Some(r"(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?"),
                    enum_values: None }),
                description: "The name of the Lambda function, version, or alias: name, name:qualifier, partial ARN or full ARN.",
            },
            Member {
                name: "StatementId",
                location: Location::Body,
                shape: "StatementId",
                ty: MemberType::String,
                required: true,
                length: len(Some(1), Some(100), Doc, "page and model agree"),
                pattern: pat("([a-zA-Z0-9-_]+)", Recorded,
                    "'example.com' -> ValidationException quoting this pattern (2023-02-28 .. 2025-11-25)"),
                enum_values: None,
                doc: Some(DocValues { required: true, min: Some(1), max: Some(100),
                    pattern: Some("([a-zA-Z0-9-_]+)"), enum_values: None }),
                description: "A statement identifier that differentiates the statement from others in the same policy.",
            },
            Member {
                name: "Action",
                location: Location::Body,
                shape: "Action",
                ty: MemberType::String,
                required: true,
                length: len(Some(0), Some(10000), Model, "max 10000 added to the model 2026-06-18; the page has no length"),
                pattern: pat(r"(lambda:[*]|lambda:[a-zA-Z]+|[*])", Doc, "page and model agree"),
                enum_values: None,
                doc: Some(DocValues { required: true, min: None, max: None,
                    pattern: Some(r"(lambda:[*]|lambda:[a-zA-Z]+|[*])"), enum_values: None }),
                description: "The action that the principal can use on the function, e.g. lambda:InvokeFunction.",
            },
            Member {
                name: "Principal",
                location: Location::Body,
                shape: "Principal",
                ty: MemberType::String,
                required: true,
                length: len(Some(0), Some(2048), Model, "max 2048 added to the model 2026-06-18; the page has no length"),
                pattern: pat(r"[^\s]+", Doc, "page and model agree"),
                enum_values: None,
                doc: Some(DocValues { required: true, min: None, max: None,
                    pattern: Some(r"[^\s]+"), enum_values: None }),
                description: "The service, account, IAM user or IAM role that invokes the function (IAM ARNs are valid: recorded).",
            },
            Member {
                name: "SourceArn",
                location: Location::Body,
                shape: "Arn",
                ty: MemberType::String,
                required: false,
                length: len(Some(0), Some(10000), Model, "max 10000 added to the model 2026-06-18; the page has no length"),
                pattern: pat(r"arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\-])+:((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1})?:(\d{12})?:(.*)", Model,
                    "model (2026-06-18) adds eusc- and iso regions to the page's pattern"),
                enum_values: None,
                doc: Some(DocValues { required: false, min: None, max: None,
                    pattern: Some(r"arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\-])+:([a-z]{2}(-gov)?-[a-z]+-\d{1})?:(\d{12})?:(.*)"),
                    enum_values: None }),
                description: "The ARN of the AWS resource that invokes the function; becomes an ArnLike condition, kept verbatim.",
            },
            Member {
                name: "SourceAccount",
                location: Location::Body,
                shape: "SourceOwner",
                ty: MemberType::String,
                required: false,
                length: len(Some(0), Some(12), Doc, "page max 12; model min 0 explicit since 2025-07-22"),
                pattern: pat(r"\d{12}", Doc, "page and model agree"),
                enum_values: None,
                doc: Some(DocValues { required: false, min: None, max: Some(12),
                    pattern: Some(r"\d{12}"), enum_values: None }),
                description: "The account that owns the source resource; becomes a StringEquals AWS:SourceAccount condition.",
            },
            Member {
                name: "EventSourceToken",
                location: Location::Body,
                shape: "EventSourceToken",
                ty: MemberType::String,
                required: false,
                length: len(Some(0), Some(256), Doc, "page and model agree"),
                pattern: pat(r"[a-zA-Z0-9._\-]+", Doc, "page and model agree"),
                enum_values: None,
                doc: Some(DocValues { required: false, min: Some(0), max: Some(256),
                    pattern: Some(r"[a-zA-Z0-9._\-]+"), enum_values: None }),
                description: "For Alexa Smart Home functions, a token the invoker must supply.",
            },
            Member {
                name: "Qualifier",
                location: Location::Query,
                shape: "NumericLatestPublishedOrAliasQualifier",
                ty: MemberType::String,
                required: false,
                length: len(Some(1), Some(128), Recorded, "129 chars -> 'less than or equal to 128' (recorded)"),
                pattern: pat(r"\$(LATEST(\.PUBLISHED)?)|[a-zA-Z0-9-_$]+", Recorded,
                    "quoted verbatim in the 2025-11-25 recording (2022-12 .. 2024-04 quoted the page's pattern)"),
                enum_values: None,
                doc: Some(DocValues { required: false, min: Some(1), max: Some(128),
                    pattern: Some(r"(|[a-zA-Z0-9$_-]+)"), enum_values: None }),
                description: "A version or alias; the policy of that version or alias is changed.",
            },
            Member {
                name: "RevisionId",
                location: Location::Body,
                shape: "String",
                ty: MemberType::String,
                required: false,
                length: None,
                pattern: None,
                enum_values: None,
                doc: Some(DocValues { required: false, min: None, max: None, pattern: None, enum_values: None }),
                description: "Only change the policy if its RevisionId (GetPolicy) matches; 412 otherwise.",
            },
            Member {
                name: "PrincipalOrgID",
                location: Location::Body,
                shape: "PrincipalOrgID",
                ty: MemberType::String,
                required: false,
                length: len(Some(12), Some(34), Doc, "page and model agree"),
                pattern: pat(r"o-[a-z0-9]{10,32}", Model,
                    "model dropped the page's ^...$ anchors on 2025-07-22: same language under whole-value matching, and the quoted text follows the model"),
                enum_values: None,
                doc: Some(DocValues { required: false, min: Some(12), max: Some(34),
                    pattern: Some(r"^o-[a-z0-9]{10,32}$"), enum_values: None }),
                description: "An AWS Organizations id; becomes a StringEquals aws:PrincipalOrgID condition.",
            },
            Member {
                name: "FunctionUrlAuthType",
                location: Location::Body,
                shape: "FunctionUrlAuthType",
                ty: MemberType::String,
                required: false,
                length: None,
                pattern: None,
                enum_values: Some(Sourced {
                    value: &["AWS_IAM", "NONE"],
                    source: Inferred,
                    evidence: "values from page and model; the order quoted in the message is not recorded (Lambda prints invokeMode's set in reverse model order, so reverse model order is used)",
                }),
                doc: Some(DocValues { required: false, min: None, max: None, pattern: None,
                    enum_values: Some(&["NONE", "AWS_IAM"]) }),
                description: "The auth type of the function URL; only with Action lambda:InvokeFunctionUrl.",
            },
            Member {
                name: "InvokedViaFunctionUrl",
                location: Location::Body,
                shape: "InvokedViaFunctionUrl",
                ty: MemberType::Boolean,
                required: false,
                length: None,
                pattern: None,
                enum_values: None,
                doc: None,
                description: "Newer than the seed page (model 2025-10-10): the permission applies only through a function URL; Bool condition lambda:InvokedViaFunctionUrl.",
            },
        ];
        Contract {
            members,
            length_unit: LengthUnit::default(),
        }
    }

    /// The member called `name` (model name, e.g. `StatementId`).
    pub fn member(&self, name: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.name == name)
    }

    /// Like [`Contract::member`] for names the crate itself writes.
    ///
    /// # Panics
    /// When `name` is not a member: a typo in this crate, caught by every test that runs it.
    pub fn expect_member(&self, name: &str) -> &Member {
        self.member(name)
            .unwrap_or_else(|| panic!("{name} is not an AddPermission member"))
    }

    /// The contract as JSON: members, errors and behaviour rules with their provenance.
    pub fn to_json(&self) -> Value {
        let members: Vec<Value> = self.members.iter().map(member_json).collect();
        let errors: Vec<Value> = ErrorKind::ALL.iter().map(|e| e.to_json()).collect();
        let rules: Vec<Value> = Rule::ALL.iter().map(|r| r.to_json()).collect();
        let provisioning: Vec<Value> = provisioning()
            .members()
            .iter()
            .map(|m| member_json(m))
            .collect();
        json!({
            "operation": "AddPermission",
            "http": {"method": "POST", "uri": "/2015-03-31/functions/{FunctionName}/policy", "success": 201},
            "length_unit": self.length_unit,
            "policy_size_limit": POLICY_SIZE_LIMIT,
            "members": members,
            "errors": errors,
            "rules": rules,
            "provisioning": provisioning,
        })
    }
}

fn member_json(m: &Member) -> Value {
    let sourced = |source: Source, evidence: &str| json!({"source": source, "evidence": evidence});
    json!({
        "name": m.name,
        "message_name": m.message_name(),
        "location": m.location,
        "shape": m.shape,
        "type": m.ty,
        "required": m.required,
        "length": m.length.as_ref().map(|l| {
            let mut v = sourced(l.source, l.evidence);
            v["min"] = json!(l.value.min);
            v["max"] = json!(l.value.max);
            v
        }),
        "pattern": m.pattern.as_ref().map(|p| {
            let mut v = sourced(p.source, p.evidence);
            v["pattern"] = json!(p.value.source());
            v
        }),
        "enum": m.enum_values.as_ref().map(|e| {
            let mut v = sourced(e.source, e.evidence);
            v["values"] = json!(e.value);
            v
        }),
        "documented": m.doc,
        "description": m.description,
    })
}

/// One place where the seed page and the enforced contract differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocDifference {
    pub member: &'static str,
    pub constraint: &'static str,
    pub documented: String,
    pub enforced: String,
    pub source: Source,
    pub evidence: &'static str,
}

impl Contract {
    /// Every place where the seed page's documented values differ from what is enforced.
    pub fn doc_diff(&self) -> Vec<DocDifference> {
        let mut out = Vec::new();
        for m in &self.members {
            let Some(doc) = &m.doc else {
                out.push(DocDifference {
                    member: m.name,
                    constraint: "member",
                    documented: "absent".into(),
                    enforced: format!("{:?} {:?} member", m.location, m.ty).to_lowercase(),
                    source: Source::Model,
                    evidence: m.description,
                });
                continue;
            };
            let show = |v: Option<usize>| v.map_or("none".to_string(), |n| n.to_string());
            if let Some(l) = &m.length {
                for (constraint, documented, enforced) in
                    [("min", doc.min, l.value.min), ("max", doc.max, l.value.max)]
                {
                    // A documented "none" and an enforced 0 are the same lower bound.
                    let same = documented == enforced
                        || (constraint == "min"
                            && documented.unwrap_or(0) == enforced.unwrap_or(0));
                    if !same {
                        out.push(DocDifference {
                            member: m.name,
                            constraint: if constraint == "min" {
                                "length-min"
                            } else {
                                "length-max"
                            },
                            documented: show(documented),
                            enforced: show(enforced),
                            source: l.source,
                            evidence: l.evidence,
                        });
                    }
                }
            }
            let enforced_pattern = m.pattern.as_ref().map(|p| p.value.source());
            if doc.pattern != enforced_pattern {
                let p = m.pattern.as_ref();
                out.push(DocDifference {
                    member: m.name,
                    constraint: "pattern",
                    documented: doc.pattern.unwrap_or("none").to_string(),
                    enforced: enforced_pattern.unwrap_or("none").to_string(),
                    source: p.map_or(Source::Model, |p| p.source),
                    evidence: p.map_or("", |p| p.evidence),
                });
            }
            let enforced_enum = m.enum_values.as_ref().map(|e| e.value);
            let as_set = |v: Option<&[&'static str]>| {
                let mut v: Vec<&'static str> = v.unwrap_or_default().to_vec();
                v.sort_unstable();
                v
            };
            if as_set(doc.enum_values) != as_set(enforced_enum) {
                out.push(DocDifference {
                    member: m.name,
                    constraint: "enum",
                    documented: format!("{:?}", doc.enum_values.unwrap_or_default()),
                    enforced: format!("{:?}", enforced_enum.unwrap_or_default()),
                    source: m.enum_values.as_ref().map_or(Source::Model, |e| e.source),
                    evidence: m.enum_values.as_ref().map_or("", |e| e.evidence),
                });
            }
        }
        out.extend(
            ErrorKind::ALL
                .iter()
                .filter(|e| !e.documented())
                .map(|e| DocDifference {
                    member: "(errors)",
                    constraint: e.name(),
                    documented: "absent".into(),
                    enforced: format!("{} ({})", e.name(), e.status()),
                    source: e.source(),
                    evidence: e.evidence(),
                }),
        );
        out.extend(Rule::ALL.iter().filter_map(|r| {
            r.doc_difference()
                .map(|(documented, enforced)| DocDifference {
                    member: "(behaviour)",
                    constraint: r.id(),
                    documented: documented.into(),
                    enforced: enforced.into(),
                    source: r.source(),
                    evidence: r.evidence(),
                })
        }));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_members_in_model_order() {
        let names: Vec<_> = contract().members.iter().map(|m| m.name).collect();
        assert_eq!(
            names,
            [
                "FunctionName",
                "StatementId",
                "Action",
                "Principal",
                "SourceArn",
                "SourceAccount",
                "EventSourceToken",
                "Qualifier",
                "RevisionId",
                "PrincipalOrgID",
                "FunctionUrlAuthType",
                "InvokedViaFunctionUrl"
            ]
        );
    }

    #[test]
    fn message_names_lower_only_the_first_character() {
        let c = contract();
        assert_eq!(
            c.expect_member("PrincipalOrgID").message_name(),
            "principalOrgID"
        );
        assert_eq!(c.expect_member("StatementId").message_name(), "statementId");
        assert_eq!(
            c.expect_member("FunctionUrlAuthType").message_name(),
            "functionUrlAuthType"
        );
    }

    #[test]
    fn patterns_follow_aws_semantics() {
        let c = contract();
        let p = |m: &str| &c.expect_member(m).pattern.as_ref().unwrap().value;
        assert!(!p("SourceAccount").matches("١٢٣٤٥٦٧٨٩٠١٢"));
        assert!(p("SourceAccount").matches("123456789012"));
        assert!(p("Principal").matches("a\u{A0}b"));
        assert!(!p("StatementId").matches("example.com"));
        assert!(!p("Qualifier").matches("$LATEST!!"));
        assert!(p("Qualifier").matches("valid-with-$-but-doesnotexist"));
        assert!(!p("Action").matches("s3:GetObject"));
        assert!(p("Action").matches("lambda:*"));
        assert!(p("FunctionName")
            .matches("arn:aws:lambda:us-east-1:123456789012:function:f.n:$LATEST.PUBLISHED"));
        assert!(!p("FunctionName").matches("my-function!"));
        assert!(!p("FunctionName").matches("fn:1:2"));
        assert!(!p("FunctionName").matches("arn:aws:lambda:::function:fn"));
    }

    #[test]
    fn length_units_differ_only_outside_the_bmp() {
        assert_eq!(LengthUnit::Utf16.count("é"), 1);
        assert_eq!(LengthUnit::Utf16.count("\u{1F600}"), 2);
        assert_eq!(LengthUnit::Scalar.count("\u{1F600}"), 1);
        // A mix takes the decoding path; ASCII alone the byte length.
        assert_eq!(LengthUnit::Utf16.count("ab\u{1F600}é"), 5);
        assert_eq!(LengthUnit::Scalar.count("ab\u{1F600}é"), 4);
        assert_eq!(LengthUnit::Utf16.count("a-b_c"), 5);
        assert_eq!(LengthUnit::Scalar.count(""), 0);
    }

    #[test]
    fn doc_diff_names_the_known_drift() {
        let diff = contract().doc_diff();
        let has = |m: &str, c: &str| diff.iter().any(|d| d.member == m && d.constraint == c);
        assert!(has("FunctionName", "length-max"));
        assert!(has("FunctionName", "pattern"));
        assert!(has("Qualifier", "pattern"));
        assert!(has("Action", "length-max"));
        assert!(has("Principal", "length-max"));
        assert!(has("SourceArn", "pattern"));
        assert!(has("PrincipalOrgID", "pattern"));
        assert!(has("InvokedViaFunctionUrl", "member"));
        assert!(has("(errors)", "ValidationException"));
        assert!(has("(errors)", "PublicPolicyException"));
        assert!(!has("StatementId", "pattern"));
        assert!(!has("SourceAccount", "length-min"));
        assert!(!has("FunctionUrlAuthType", "enum"), "same set, other order");
    }
}
