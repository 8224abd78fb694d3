//! `addperm contract --check-doc`: pages built here in the three layouts the reference comes in
//! (English markdown, English and Spanish plain text of the rendered page) read back to the same
//! contract, an edited constraint is reported precisely, and an unrecognisable page is an error.
//!
//! The pages are generated from the contract's recorded doc values, imitating the quirks of each
//! layout (markdown escapes, code spans, labels glued to sentences, values on the next line), so
//! no AWS page is copied into the repository. The real seed pages are checked too when
//! `../shared/seeds` is next to the crate.

use addperm::contract::doc_page::{
    extract, Deviation, ExtractedError, ExtractedMember, Language, Layout, PageCheck, PageError,
};
use addperm::contract::{contract, ErrorKind, Location, Source};
use proptest::prelude::*;
use std::path::Path;
use std::process::Command;

#[derive(Debug, Clone)]
struct Member {
    name: String,
    location: Location,
    required: bool,
    min: Option<usize>,
    max: Option<usize>,
    pattern: Option<String>,
    values: Option<Vec<String>>,
}

/// What a generated page states.
#[derive(Debug, Clone)]
struct Spec {
    members: Vec<Member>,
    errors: Vec<(String, u16)>,
}

impl Spec {
    /// The contract's recorded doc values, in the page's order (URI parameters first, then the
    /// body alphabetically).
    fn seed() -> Spec {
        let mut members: Vec<Member> = contract()
            .members
            .iter()
            .filter_map(|m| {
                m.doc.as_ref().map(|d| Member {
                    name: m.name.to_string(),
                    location: m.location,
                    required: d.required,
                    min: d.min,
                    max: d.max,
                    pattern: d.pattern.map(str::to_string),
                    values: d
                        .enum_values
                        .map(|v| v.iter().map(|s| s.to_string()).collect()),
                })
            })
            .collect();
        members.sort_by_key(|m| (m.location == Location::Body, m.name.clone()));
        let mut errors: Vec<(String, u16)> = ErrorKind::ALL
            .iter()
            .filter(|e| e.documented())
            .map(|e| (e.name().to_string(), e.status()))
            .collect();
        errors.sort();
        Spec { members, errors }
    }

    fn edited(f: impl FnOnce(&mut Spec)) -> Spec {
        let mut spec = Spec::seed();
        f(&mut spec);
        spec
    }

    fn member(&mut self, name: &str) -> &mut Member {
        self.members
            .iter_mut()
            .find(|m| m.name == name)
            .expect("a seed member")
    }

    fn expected(&self) -> (Vec<ExtractedMember>, Vec<ExtractedError>) {
        let members = self
            .members
            .iter()
            .map(|m| ExtractedMember {
                name: m.name.clone(),
                location: m.location,
                required: m.required,
                min: m.min,
                max: m.max,
                pattern: m.pattern.clone(),
                enum_values: m.values.clone(),
            })
            .collect();
        let errors = self
            .errors
            .iter()
            .map(|(name, status)| ExtractedError {
                name: name.clone(),
                status: Some(*status),
            })
            .collect();
        (members, errors)
    }

    fn request_line(&self) -> String {
        let query: Vec<String> = self
            .members
            .iter()
            .filter(|m| m.location == Location::Query)
            .map(|m| format!("{0}={0}", m.name))
            .collect();
        let mut line = "POST /2015-03-31/functions/FunctionName/policy".to_string();
        if !query.is_empty() {
            line = format!("{line}?{}", query.join("&"));
        }
        line
    }

    fn body_names(&self) -> Vec<&str> {
        self.members
            .iter()
            .filter(|m| m.location == Location::Body)
            .map(|m| m.name.as_str())
            .collect()
    }
}

/// Markdown escapes the source page applies to prose (never inside code spans).
fn md_escape(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            let escaped = ".()-+".contains(c).then_some('\\');
            escaped.into_iter().chain([c])
        })
        .collect()
}

fn english_length(min: Option<usize>, max: Option<usize>) -> Option<String> {
    match (min, max) {
        (Some(a), Some(b)) => Some(format!("Minimum length of {a}. Maximum length of {b}.")),
        (None, Some(b)) => Some(format!("Maximum length of {b}.")),
        (Some(a), None) => Some(format!("Minimum length of {a}.")),
        (None, None) => None,
    }
}

/// The English markdown source layout.
fn markdown(spec: &Spec) -> String {
    let mut out = String::from(
        "# AddPermission<a name=\"API_AddPermission\"></a>\n\n\
         Grants a principal permission to use a function\\. Note: see `Principal` \\(required\\)\\.\n\n\
         ## Request Syntax<a name=\"API_AddPermission_RequestSyntax\"></a>\n\n```\n",
    );
    out += &format!(
        "{} HTTP/1.1\nContent-type: application/json\n\n{{\n",
        spec.request_line()
    );
    for name in spec.body_names() {
        out += &format!("   \"{name}\": \"string\",\n");
    }
    out += "}\n```\n\n## URI Request Parameters<a name=\"API_AddPermission_RequestParameters\"></a>\n\n\
            The request uses the following URI parameters\\.\n\n";
    let entry = |m: &Member| {
        let mut e = format!(
            " ** [{0}](#API_AddPermission_RequestSyntax) **   <a name=\"SSS-AddPermission-request-{0}\"></a>\n\
             {1}  \n",
            m.name,
            md_escape(&format!("What {} is (e.g. `x`), in prose.", m.name))
        );
        if m.location == Location::Body {
            e += "Type: String  \n";
        }
        if let Some(l) = english_length(m.min, m.max) {
            e += &format!("Length Constraints: {}  \n", md_escape(&l));
        }
        if let Some(p) = &m.pattern {
            e += &format!("Pattern: `{p}`   \n");
        }
        if let Some(v) = &m.values {
            e += &format!("Valid Values:` {}`   \n", v.join(" | "));
        }
        // The reference has no "Required: No" for optional URI parameters.
        if m.required || m.location == Location::Body {
            e += &format!("Required: {}\n", if m.required { "Yes" } else { "No" });
        }
        e + "\n"
    };
    for m in spec.members.iter().filter(|m| m.location != Location::Body) {
        out += &entry(m);
    }
    out += "## Request Body<a name=\"API_AddPermission_RequestBody\"></a>\n\n\
            The request accepts the following data in JSON format\\.\n\n";
    for m in spec.members.iter().filter(|m| m.location == Location::Body) {
        out += &entry(m);
    }
    out += "## Response Syntax<a name=\"API_AddPermission_ResponseSyntax\"></a>\n\n\
            ```\nHTTP/1.1 201\n```\n\n\
            ## Response Elements<a name=\"API_AddPermission_ResponseElements\"></a>\n\n \
            ** [Statement](#API_AddPermission_ResponseSyntax) **   <a name=\"x\"></a>\n\
            The statement\\.  \nType: String\n\n\
            ## Errors<a name=\"API_AddPermission_Errors\"></a>\n\n";
    for (name, status) in &spec.errors {
        out += &format!(" ** {name} **   \nWhat went wrong\\.  \nHTTP Status Code: {status}\n\n");
    }
    out + "## See Also<a name=\"API_AddPermission_SeeAlso\"></a>\n\nThe SDKs\\.\n"
}

/// The labels of a rendered page in one language.
struct Words {
    syntax: &'static str,
    uri: &'static str,
    body: &'static str,
    response: &'static str,
    errors: &'static str,
    see_also: &'static str,
    type_label: &'static str,
    pattern: &'static str,
    values: &'static str,
    yes: &'static str,
    no: &'static str,
    status: &'static str,
    /// The length sentence, varied with the entry's index as the translation varies.
    length: fn(Option<usize>, Option<usize>, usize) -> Option<String>,
}

const ENGLISH: Words = Words {
    syntax: "Request Syntax",
    uri: "URI Request Parameters",
    body: "Request Body",
    response: "Response Elements",
    errors: "Errors",
    see_also: "See Also",
    type_label: "Type: String",
    pattern: "Pattern:",
    values: "Valid Values:",
    yes: "Required: Yes",
    no: "Required: No",
    status: "HTTP Status Code:",
    length: |min, max, _| english_length(min, max).map(|l| format!("Length Constraints: {l}")),
};

const SPANISH: Words = Words {
    syntax: "Sintaxis de la solicitud",
    uri: "Parámetros de solicitud del URI",
    body: "Cuerpo de la solicitud",
    response: "Elementos de respuesta",
    errors: "Errores",
    see_also: "Véase también",
    type_label: "Tipo: String",
    pattern: "Patrón:",
    values: "Valores válidos:",
    yes: "Obligatorio: sí",
    no: "Requerido: No",
    status: "Código de estado HTTP:",
    length: |min, max, i| {
        let tail = if i % 2 == 0 {
            ". caracteres"
        } else {
            " caracteres"
        };
        let text = match (min, max) {
            (Some(a), Some(b)) => {
                format!("longitud mínima de {a}. La longitud máxima es de {b}{tail}.")
            }
            (None, Some(b)) => format!("longitud máxima de {b} caracteres."),
            (Some(a), None) => format!("longitud mínima de {a}."),
            (None, None) => return None,
        };
        Some(format!("Limitaciones de longitud: {text}"))
    },
};

/// The plain text of a rendered page: no markup, code spans on lines of their own, some labels
/// glued to the sentence before them, values alone on the line after their label.
fn plain(spec: &Spec, w: &Words) -> String {
    let mut out = vec!["AddPermission".to_string(), "Grants permission as".into()];
    out.push("Principal".into());
    out.push(". More prose.".into());
    out.push(w.syntax.into());
    let request = spec.request_line();
    let (path, query) = request.split_at(request.find("/policy").unwrap_or(request.len()));
    out.extend([path.to_string(), query.to_string(), "HTTP/1.1".into()]);
    out.push("{".into());
    for name in spec.body_names() {
        out.push(format!("\"{name}\": \"string"));
        out.push("\",".into());
    }
    out.push("}".into());
    let entry = |out: &mut Vec<String>, i: usize, m: &Member| {
        out.extend([format!("- {}", m.name), "-".into()]);
        // Every other description ends in a code span, so the next label is glued to it.
        let glue = i % 2 == 0;
        if glue {
            out.extend(["What it is, for example".to_string(), "x-y".into()]);
        } else {
            out.push("What it is.".into());
        }
        let mut labels = Vec::new();
        if m.location == Location::Body {
            labels.push(w.type_label.to_string());
        }
        labels.extend((w.length)(m.min, m.max, i));
        if let Some(p) = &m.pattern {
            labels.extend([w.pattern.to_string(), p.clone()]);
        }
        if let Some(v) = &m.values {
            labels.extend([w.values.to_string(), v.join(" | ")]);
        }
        if m.required || m.location == Location::Body {
            labels.push(if m.required { w.yes } else { w.no }.to_string());
        }
        if let (true, Some(first)) = (glue, labels.first_mut()) {
            *first = format!(".{first}");
        }
        out.extend(labels);
    };
    out.push(w.uri.into());
    out.push("The request uses these parameters.".into());
    let (uri, body): (Vec<&Member>, Vec<&Member>) = spec
        .members
        .iter()
        .partition(|m| m.location != Location::Body);
    for (i, m) in uri.iter().enumerate() {
        entry(&mut out, i, m);
    }
    out.push(w.body.into());
    out.push("The request accepts JSON.".into());
    for (i, m) in body.iter().enumerate() {
        entry(&mut out, i, m);
    }
    out.extend([
        w.response.to_string(),
        "- Statement".into(),
        "-".into(),
        w.type_label.into(),
    ]);
    out.push(w.errors.into());
    for (i, (name, status)) in spec.errors.iter().enumerate() {
        out.extend([format!("- {name}"), "-".into()]);
        if i % 2 == 0 {
            out.extend([
                "Call".into(),
                "GetPolicy".into(),
                format!(".{} {status}", w.status),
            ]);
        } else {
            out.extend(["What went wrong.".into(), format!("{} {status}", w.status)]);
        }
    }
    out.extend([w.see_also.to_string(), "The SDKs.".into()]);
    out.join("\n") + "\n"
}

type Render = fn(&Spec) -> String;

const LAYOUTS: [(&str, Render, Layout, Language); 3] = [
    ("markdown", markdown, Layout::Markdown, Language::English),
    (
        "english text",
        |s| plain(s, &ENGLISH),
        Layout::PlainText,
        Language::English,
    ),
    (
        "spanish text",
        |s| plain(s, &SPANISH),
        Layout::PlainText,
        Language::Spanish,
    ),
];

fn drift(spec: &Spec, render: Render) -> Vec<Deviation> {
    let page = render(spec);
    let check = PageCheck::run(&page, contract()).unwrap_or_else(|e| panic!("{e}\n{page}"));
    check.drift().cloned().collect()
}

#[test]
fn every_layout_reads_to_the_recorded_doc_values() {
    let spec = Spec::seed();
    let (members, errors) = spec.expected();
    for (label, render, layout, language) in LAYOUTS {
        let text = render(&spec);
        let page = extract(&text).unwrap_or_else(|e| panic!("{label}: {e}\n{text}"));
        assert_eq!(page.layout, layout, "{label}");
        assert_eq!(page.language, language, "{label}");
        assert_eq!(page.members, members, "{label}\n{text}");
        assert_eq!(page.errors, errors, "{label}");
        let check = PageCheck::run(&text, contract()).unwrap();
        assert!(check.matches_doc(), "{label}: {:#?}", check.deviations);
        // What remains is known drift, each with the provenance of the enforced value.
        assert!(check.known().all(|f| f.source.is_some()), "{label}");
        assert!(check
            .known()
            .any(|f| f.subject == "FunctionName" && f.aspect == "length-max"));
    }
}

#[test]
fn an_edited_constraint_is_reported_precisely() {
    let spec = Spec::edited(|s| s.member("StatementId").max = Some(128));
    for (label, render, _, _) in LAYOUTS {
        let found = drift(&spec, render);
        assert_eq!(
            found,
            [Deviation {
                subject: "StatementId".into(),
                aspect: "length-max",
                page: "128".into(),
                documented: "100".into(),
                enforced: "100".into(),
                source: Some(Source::Doc),
                evidence: "page and model agree",
                drift: true,
            }],
            "{label}"
        );
    }
}

#[test]
fn each_kind_of_edit_names_its_member_and_aspect() {
    type Edit = fn(&mut Spec);
    let cases: [(Edit, &str, &str, &str, &str); 9] = [
        (
            |s| s.member("Principal").required = false,
            "Principal",
            "required",
            "no",
            "yes",
        ),
        (
            |s| s.member("SourceAccount").pattern = Some(r"\d{12,13}".into()),
            "SourceAccount",
            "pattern",
            r"\d{12,13}",
            r"\d{12}",
        ),
        (
            |s| s.member("EventSourceToken").min = Some(1),
            "EventSourceToken",
            "length-min",
            "1",
            "0",
        ),
        (
            |s| s.member("RevisionId").max = Some(64),
            "RevisionId",
            "length-max",
            "64",
            "none",
        ),
        (
            |s| {
                s.member("FunctionUrlAuthType").values =
                    Some(vec!["NONE".into(), "AWS_IAM".into(), "AWS_SIGV4".into()])
            },
            "FunctionUrlAuthType",
            "enum",
            "NONE | AWS_IAM | AWS_SIGV4",
            "NONE | AWS_IAM",
        ),
        (
            |s| s.errors.retain(|(n, _)| n != "ServiceException"),
            "ServiceException",
            "error",
            "absent",
            "500",
        ),
        (
            |s| s.errors[0].1 = 422,
            "InvalidParameterValueException",
            "status",
            "422",
            "400",
        ),
        (
            |s| s.errors.push(("PublicPolicyException".into(), 400)),
            "PublicPolicyException",
            "error",
            "400",
            "absent",
        ),
        (
            |s| s.members.retain(|m| m.name != "Action"),
            "Action",
            "member",
            "absent",
            "present",
        ),
    ];
    for (edit, subject, aspect, page, documented) in cases {
        let spec = Spec::edited(edit);
        for (label, render, _, _) in LAYOUTS {
            let found = drift(&spec, render);
            let summary: Vec<_> = found
                .iter()
                .map(|f| {
                    (
                        f.subject.as_str(),
                        f.aspect,
                        f.page.as_str(),
                        f.documented.as_str(),
                    )
                })
                .collect();
            assert_eq!(summary, [(subject, aspect, page, documented)], "{label}");
        }
    }
}

#[test]
fn a_member_newer_than_the_seed_page_is_drift_with_its_values() {
    let spec = Spec::edited(|s| {
        s.members.push(Member {
            name: "InvokedViaFunctionUrl".into(),
            location: Location::Body,
            required: false,
            min: None,
            max: None,
            pattern: None,
            values: None,
        });
        s.members.push(Member {
            name: "Tags".into(),
            location: Location::Body,
            required: false,
            min: Some(1),
            max: Some(50),
            pattern: None,
            values: None,
        });
    });
    for (label, render, _, _) in LAYOUTS {
        let found = drift(&spec, render);
        let summary: Vec<_> = found
            .iter()
            .map(|f| {
                (
                    f.subject.as_str(),
                    f.aspect,
                    f.page.as_str(),
                    f.enforced.as_str(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (
                    "InvokedViaFunctionUrl",
                    "member",
                    "body member, optional",
                    "body boolean member"
                ),
                (
                    "Tags",
                    "member",
                    "body member, optional, length 1..50",
                    "absent"
                ),
            ],
            "{label}"
        );
    }
}

#[test]
fn unrecognisable_pages_are_errors_that_say_what_was_expected() {
    let seed = Spec::seed();
    let md = markdown(&seed);
    let es = plain(&seed, &SPANISH);
    let no_errors = md.split("## Errors").next().unwrap_or_default().to_string();
    let other = es.replacen("AddPermission", "RemovePermission", 1);
    let bad_length = md.replace(
        "Maximum length of 100\\.",
        "Maximum length of one hundred\\.",
    );
    let bad_required = es.replacen("Obligatorio: sí", "Obligatorio: quizá", 1);
    let twice = md.replace(
        "Pattern: `\\d{12}`",
        "Pattern: `\\d{12}`  \nPattern: `\\d{13}`",
    );
    let function_pattern = contract()
        .expect_member("FunctionName")
        .doc
        .as_ref()
        .and_then(|d| d.pattern)
        .unwrap_or_default();
    let no_pattern = es.replacen(&format!("Patrón:\n{function_pattern}\n"), "Patrón:\n", 1);
    let cases: [(&str, PageError); 8] = [
        ("", PageError::NoMembers),
        ("hello\nworld\n", PageError::NoMembers),
        (&no_errors, PageError::NoErrors),
        (&other, PageError::OtherOperation("RemovePermission".into())),
        (
            &bad_length,
            PageError::Unreadable {
                entry: "StatementId".into(),
                what: "length constraint",
                value: "Minimum length of 1. Maximum length of one hundred.".into(),
            },
        ),
        (
            &bad_required,
            PageError::Unreadable {
                entry: "FunctionName".into(),
                what: "required flag",
                value: "quizá".into(),
            },
        ),
        (
            &no_pattern,
            PageError::Unreadable {
                entry: "FunctionName".into(),
                what: "pattern",
                value: String::new(),
            },
        ),
        (
            &twice,
            PageError::Repeated {
                entry: "SourceAccount".into(),
                what: "pattern",
                first: r"\d{12}".into(),
                second: r"\d{13}".into(),
            },
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(extract(text), Err(expected));
    }
    let message = PageError::NoMembers.to_string();
    assert!(message.contains("is this the AddPermission API reference?"));
    // A page with sections but neither title nor request line is not taken for AddPermission.
    let anonymous = md
        .replace("# AddPermission", "# Something else")
        .replace("POST", "GET");
    assert_eq!(extract(&anonymous), Err(PageError::NotIdentified));
}

#[test]
fn a_line_repeated_with_the_same_value_is_harmless() {
    let es = plain(&Spec::seed(), &SPANISH)
        .replace("Obligatorio: sí", "Obligatorio: sí\nObligatorio: sí");
    let check = PageCheck::run(&es, contract()).expect("readable");
    assert!(check.matches_doc(), "{:#?}", check.deviations);
}

fn run_cli(page: &str) -> (Option<i32>, String, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("page.txt");
    std::fs::write(&path, page).expect("write page");
    let out = Command::new(env!("CARGO_BIN_EXE_addperm"))
        .args(["contract", "--check-doc"])
        .arg(&path)
        .output()
        .expect("run addperm");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_command_exits_0_1_2() {
    let (code, out, _) = run_cli(&plain(&Spec::seed(), &SPANISH));
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("recorded doc values (0)"), "{out}");
    assert!(out.contains("(recorded)"), "provenance shown: {out}");

    let edited = Spec::edited(|s| s.member("StatementId").max = Some(128));
    let (code, out, _) = run_cli(&markdown(&edited));
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("recorded doc values (1)"), "{out}");
    assert!(out.contains("StatementId"), "{out}");
    assert!(out.contains("recorded doc: 100"), "{out}");

    let (code, _, err) = run_cli("just some notes\n");
    assert_eq!(code, Some(2));
    assert!(err.contains("no member sections found"), "{err}");
}

/// CI runs next to `shared/`; elsewhere the seeds are absent and this says so.
#[test]
fn the_seed_pages_read_to_the_same_contract() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("note: {} absent, seed pages not checked", dir.display());
        return;
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    let (members, errors) = Spec::seed().expected();
    let mut sort_members = members.clone();
    sort_members.sort_by(|a, b| a.name.cmp(&b.name));
    let mut sort_errors = errors.clone();
    sort_errors.sort_by(|a, b| a.name.cmp(&b.name));
    let mut pages = Vec::new();
    for path in &paths {
        let text = std::fs::read_to_string(path).expect("read seed page");
        let check =
            PageCheck::run(&text, contract()).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut got = check.page.members.clone();
        got.sort_by(|a, b| a.name.cmp(&b.name));
        let mut got_errors = check.page.errors.clone();
        got_errors.sort_by(|a, b| a.name.cmp(&b.name));
        assert_eq!(got, sort_members, "{}", path.display());
        assert_eq!(got_errors, sort_errors, "{}", path.display());
        assert!(
            check.matches_doc(),
            "{}: {:#?}",
            path.display(),
            check.drift().collect::<Vec<_>>()
        );
        let output = Command::new(env!("CARGO_BIN_EXE_addperm"))
            .args(["contract", "--check-doc"])
            .arg(path)
            .output()
            .expect("run addperm");
        assert_eq!(output.status.code(), Some(0), "{}", path.display());
        pages.push(check.page);
    }
    // The translations state the same contract, in the same order.
    for page in pages.iter().skip(1) {
        assert_eq!(page.members, pages[0].members);
        assert_eq!(page.errors, pages[0].errors);
    }
}

/// One edit of a generated page: which line, what to do, what text to bring in.
fn mutate(page: &str, edits: &[(usize, u8, String)]) -> String {
    let mut lines: Vec<String> = page.lines().map(str::to_string).collect();
    for (at, op, text) in edits {
        if lines.is_empty() {
            break;
        }
        let i = at % lines.len();
        match op % 4 {
            0 => {
                lines.remove(i);
            }
            1 => lines.insert(i, lines[i].clone()),
            2 => lines[i] = text.clone(),
            _ => {
                let cut = lines[i]
                    .char_indices()
                    .map(|(c, _)| c)
                    .nth(text.len() % (lines[i].chars().count() + 1))
                    .unwrap_or(lines[i].len());
                lines[i].insert_str(cut, text);
            }
        }
    }
    lines.join("\n")
}

proptest! {
    #[test]
    fn any_text_is_read_or_refused_without_panicking(text in "\\PC*") {
        let _ = PageCheck::run(&text, contract());
    }

    #[test]
    fn damaged_pages_are_read_or_refused_without_panicking(
        layout in 0..3usize,
        edits in prop::collection::vec(
            (any::<usize>(), any::<u8>(), "[-:`*#|.0-9 a-zA-Z\\\\]{0,12}|Pattern:|Required: |- [A-Z][a-z]{1,8}|Errors|Errores"),
            1..10,
        ),
    ) {
        let page = (LAYOUTS[layout].1)(&Spec::seed());
        let _ = PageCheck::run(&mutate(&page, &edits), contract());
    }
}
