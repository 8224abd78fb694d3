//! Reading an AddPermission API reference page into the constraints it states.
//!
//! Two layouts exist for the same page. The English markdown source marks entries with
//! `** [Name](#...) **`, escapes punctuation (`\.`, `\(`) and puts patterns in backtick code
//! spans (verbatim: markdown escapes do not apply there). The plain text of a rendered page has no
//! markup at all: headings are bare lines, entries are `- Name` lines, every inline code span
//! breaks the line around it, so a label may be glued to the previous sentence
//! (`...servicio.Tipo: String`) and a value may sit alone on the next line (`Patrón:` then the
//! pattern). Both are reduced to the same [`Item`] stream, which one reader turns into an
//! [`ExtractedPage`].
//!
//! The reader never guesses: a label it knows with a value it cannot read, or a page without the
//! sections every AddPermission reference has, is a [`PageError`] naming what was missing.

use crate::contract::Location;

/// How the page was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Markdown,
    PlainText,
}

/// The language of the page's headings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    English,
    Spanish,
}

/// What the page states about one request member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractedMember {
    pub name: String,
    pub location: Location,
    /// A member without a "Required" line is optional: the reference omits "Required: No" for
    /// optional URI parameters (Qualifier), so absence and "No" mean the same.
    pub required: bool,
    pub min: Option<usize>,
    pub max: Option<usize>,
    pub pattern: Option<String>,
    pub enum_values: Option<Vec<String>>,
}

/// One entry of the page's error list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractedError {
    pub name: String,
    /// `None` when the entry has no status line (reported, not guessed).
    pub status: Option<u16>,
}

/// Everything the page states about the contract, in page order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractedPage {
    pub layout: Layout,
    pub language: Language,
    pub members: Vec<ExtractedMember>,
    pub errors: Vec<ExtractedError>,
}

impl ExtractedPage {
    pub fn member(&self, name: &str) -> Option<&ExtractedMember> {
        self.members.iter().find(|m| m.name == name)
    }

    pub fn error(&self, name: &str) -> Option<&ExtractedError> {
        self.errors.iter().find(|e| e.name == name)
    }
}

/// Why a page could not be read. Each message says what was expected, so that a wrong file, a
/// truncated copy or a new layout is told apart from a documentation change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PageError {
    #[error("this is the API reference of {0}, not of AddPermission")]
    OtherOperation(String),
    #[error(
        "no member sections found: expected \"URI Request Parameters\" or \"Request Body\" \
         (Spanish: \"Parámetros de solicitud del URI\", \"Cuerpo de la solicitud\") with member \
         entries (markdown `** [Name](#...) **`, plain text `- Name`); is this the AddPermission \
         API reference?"
    )]
    NoMembers,
    #[error(
        "no \"Errors\" section (Spanish: \"Errores\") found: the page looks truncated, and its \
         error list cannot be compared"
    )]
    NoErrors,
    #[error(
        "neither the title \"AddPermission\" nor the request line \"POST \
         /2015-03-31/functions/FunctionName/policy\" was found: is this the AddPermission API \
         reference?"
    )]
    NotIdentified,
    #[error("{entry}: cannot read the {what} {value:?}")]
    Unreadable {
        entry: String,
        what: &'static str,
        value: String,
    },
    #[error("{entry}: {what} stated twice, as {first:?} and as {second:?}")]
    Repeated {
        entry: String,
        what: &'static str,
        first: String,
        second: String,
    },
    #[error("{0} is documented twice")]
    Duplicate(String),
}

/// Reads `text`, an AddPermission API reference page in either layout.
pub fn extract(text: &str) -> Result<ExtractedPage, PageError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let layout = if looks_like_markdown(text) {
        Layout::Markdown
    } else {
        Layout::PlainText
    };
    let items = match layout {
        Layout::Markdown => markdown_items(text),
        Layout::PlainText => plain_items(text),
    };
    read_items(&items, layout)
}

/// The sections a reference page has, as far as this reader cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    RequestSyntax,
    UriParameters,
    RequestBody,
    Errors,
    /// A heading known not to hold request members (response, see also, examples).
    Other,
}

/// A page line reduced to what it is, whatever the layout.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Item {
    /// A heading: its section and language when known, and its text.
    Heading(Option<(Section, Language)>, String),
    /// The start of a member or error entry.
    Entry(String),
    /// Any other line, markdown escapes removed outside code spans.
    Text(String),
}

/// Heading titles, compared lower-cased and without accents so that a retyped "Parametros"
/// reads like "Parámetros".
const HEADINGS: &[(&str, Section, Language)] = &[
    ("request syntax", Section::RequestSyntax, Language::English),
    (
        "uri request parameters",
        Section::UriParameters,
        Language::English,
    ),
    ("request body", Section::RequestBody, Language::English),
    ("response syntax", Section::Other, Language::English),
    ("response elements", Section::Other, Language::English),
    ("errors", Section::Errors, Language::English),
    ("examples", Section::Other, Language::English),
    ("see also", Section::Other, Language::English),
    (
        "sintaxis de la solicitud",
        Section::RequestSyntax,
        Language::Spanish,
    ),
    (
        "parametros de solicitud del uri",
        Section::UriParameters,
        Language::Spanish,
    ),
    (
        "parametros de solicitud de uri",
        Section::UriParameters,
        Language::Spanish,
    ),
    (
        "parametros de la solicitud del uri",
        Section::UriParameters,
        Language::Spanish,
    ),
    (
        "parametros de la solicitud de uri",
        Section::UriParameters,
        Language::Spanish,
    ),
    (
        "cuerpo de la solicitud",
        Section::RequestBody,
        Language::Spanish,
    ),
    (
        "sintaxis de la respuesta",
        Section::Other,
        Language::Spanish,
    ),
    ("elementos de respuesta", Section::Other, Language::Spanish),
    (
        "elementos de la respuesta",
        Section::Other,
        Language::Spanish,
    ),
    ("errores", Section::Errors, Language::Spanish),
    ("ejemplos", Section::Other, Language::Spanish),
    ("vease tambien", Section::Other, Language::Spanish),
    ("consulte tambien", Section::Other, Language::Spanish),
];

const LENGTH: &[&str] = &[
    "Length Constraints",
    "Limitaciones de longitud",
    "Restricciones de longitud",
];
const PATTERN: &[&str] = &["Pattern", "Patrón", "Patron"];
const REQUIRED: &[&str] = &["Required", "Obligatorio", "Requerido"];
const VALID_VALUES: &[&str] = &["Valid Values", "Valores válidos", "Valores validos"];
const STATUS: &[&str] = &[
    "HTTP Status Code",
    "Código de estado HTTP",
    "Codigo de estado HTTP",
];

/// The section and language of a heading title, compared with white space runs collapsed,
/// lower-cased and without accents. Plain-text pages make every line a candidate heading, so the
/// title is normalised in one pass that stops as soon as it is longer than every heading,
/// instead of normalising whole (possibly kilobyte-long) lines.
fn classify_heading(title: &str) -> Option<(Section, Language)> {
    let longest = HEADINGS.iter().map(|(t, _, _)| t.len()).max().unwrap_or(0);
    let mut key = String::with_capacity(longest + 4);
    let mut space = false;
    for c in title.chars() {
        if c.is_whitespace() {
            space = !key.is_empty();
            continue;
        }
        if std::mem::take(&mut space) {
            key.push(' ');
        }
        key.extend(c.to_lowercase().map(|c| match c {
            'á' => 'a',
            'é' => 'e',
            'í' => 'i',
            'ó' => 'o',
            'ú' => 'u',
            other => other,
        }));
        if key.len() > longest {
            return None;
        }
    }
    HEADINGS
        .iter()
        .find(|(t, _, _)| *t == key)
        .map(|&(_, s, l)| (s, l))
}

/// Markdown when a line is an ATX heading or a `** ... **` entry; rendered text has neither.
fn looks_like_markdown(text: &str) -> bool {
    text.lines().any(|l| {
        let t = l.trim_start();
        t.starts_with("# ") || t.starts_with("## ") || markdown_entry(t).is_some()
    })
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `** [Name](#anchor) **` or `** Name **`, the rest of the line (anchors) ignored.
fn markdown_entry(line: &str) -> Option<String> {
    let rest = line.trim_start().strip_prefix("**")?.trim_start();
    let (name, rest) = if let Some(linked) = rest.strip_prefix('[') {
        let (name, after) = linked.split_once(']')?;
        let after = after.strip_prefix('(')?;
        (name, after.split_once(')')?.1)
    } else {
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        rest.split_at(end)
    };
    let name = name.trim();
    (is_identifier(name) && rest.trim_start().starts_with("**")).then(|| name.to_string())
}

/// Removes HTML tags such as `<a name="..."></a>` that the markdown puts after headings.
fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Drops markdown's backslash escapes of ASCII punctuation, except inside code spans, which keep
/// their content (and backticks) verbatim: the page writes patterns there unescaped.
fn unescape_markdown(line: &str) -> String {
    // Most lines have neither escapes nor code spans.
    if !line.contains(['`', '\\']) {
        return line.to_string();
    }
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            let run = chars[i..].iter().take_while(|&&c| c == '`').count();
            if let Some(close) = closing_backticks(&chars, i + run, run) {
                out.extend(&chars[i..close + run]);
                i = close + run;
            } else {
                out.extend(&chars[i..i + run]);
                i += run;
            }
        } else if c == '\\' && chars.get(i + 1).is_some_and(|n| n.is_ascii_punctuation()) {
            out.push(chars[i + 1]);
            i += 2;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The index of the next run of exactly `run` backticks at or after `from`.
fn closing_backticks(chars: &[char], from: usize, run: usize) -> Option<usize> {
    let mut i = from;
    while i < chars.len() {
        if chars[i] == '`' {
            let len = chars[i..].iter().take_while(|&&c| c == '`').count();
            if len == run {
                return Some(i);
            }
            i += len;
        } else {
            i += 1;
        }
    }
    None
}

fn markdown_items(text: &str) -> Vec<Item> {
    let mut items = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            items.push(Item::Text(trimmed.to_string()));
        } else if let Some(heading) = trimmed
            .strip_prefix('#')
            .map(|h| h.trim_start_matches('#'))
            .filter(|h| h.starts_with(' '))
        {
            let title = strip_tags(&unescape_markdown(heading));
            let title = title.trim().to_string();
            items.push(Item::Heading(classify_heading(&title), title));
        } else if let Some(name) = markdown_entry(trimmed) {
            items.push(Item::Entry(name));
        } else if !trimmed.is_empty() {
            items.push(Item::Text(unescape_markdown(trimmed)));
        }
    }
    items
}

fn plain_items(text: &str) -> Vec<Item> {
    let mut items = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        // Lone bullets separate an entry's name from its description.
        if trimmed.is_empty() || ["-", "•", "*", "–"].contains(&trimmed) {
            continue;
        }
        if let Some(known) = classify_heading(trimmed) {
            items.push(Item::Heading(Some(known), trimmed.to_string()));
        } else if let Some(name) = plain_entry(trimmed) {
            items.push(Item::Entry(name));
        } else {
            items.push(Item::Text(trimmed.to_string()));
        }
    }
    items
}

/// `- Name` (or another bullet) where Name is a single identifier.
fn plain_entry(line: &str) -> Option<String> {
    let rest = ["- ", "• ", "* ", "– "]
        .iter()
        .find_map(|b| line.strip_prefix(b))?
        .trim();
    is_identifier(rest).then(|| rest.to_string())
}

/// An entry and the lines under it, before interpretation.
struct Block<'a> {
    section: Section,
    name: &'a str,
    lines: Vec<&'a str>,
}

fn read_items(items: &[Item], layout: Layout) -> Result<ExtractedPage, PageError> {
    let mut section: Option<Section> = None;
    let mut titles: Vec<&str> = Vec::new();
    let mut syntax = String::new();
    let mut blocks: Vec<Block> = Vec::new();
    let (mut english, mut spanish) = (0, 0);
    let mut saw_errors = false;
    for item in items {
        match item {
            Item::Heading(Some((s, lang)), _) => {
                section = Some(*s);
                saw_errors |= *s == Section::Errors;
                match lang {
                    Language::English => english += 1,
                    Language::Spanish => spanish += 1,
                }
            }
            Item::Heading(None, title) => match section {
                None => titles.push(title),
                Some(_) => section = Some(Section::Other),
            },
            Item::Entry(name) => match section {
                Some(s @ (Section::UriParameters | Section::RequestBody | Section::Errors)) => {
                    blocks.push(Block {
                        section: s,
                        name,
                        lines: Vec::new(),
                    })
                }
                None => titles.push(name),
                _ => {}
            },
            Item::Text(text) => match section {
                None => titles.push(text),
                Some(Section::RequestSyntax) => {
                    syntax.push_str(text);
                    syntax.push('\n');
                }
                Some(s) => {
                    if let Some(block) = blocks.last_mut().filter(|b| b.section == s) {
                        block.lines.push(text);
                    }
                }
            },
        }
    }

    // The title is the page's first line; a line of its own saying AddPermission (after a
    // breadcrumb, say) will do as well. A first line that is another operation's name says
    // which page this is.
    let title_ok = titles.iter().any(|t| t.trim() == "AddPermission");
    if let Some(other) = titles.first().map(|t| t.trim()) {
        if !title_ok && is_identifier(other) && other.starts_with(|c: char| c.is_ascii_uppercase())
        {
            return Err(PageError::OtherOperation(other.to_string()));
        }
    }
    if !blocks.iter().any(|b| b.section != Section::Errors) {
        return Err(PageError::NoMembers);
    }
    if !saw_errors {
        return Err(PageError::NoErrors);
    }
    // Rendered text breaks the request line around the path label; rejoin it.
    let compact: String = syntax.split_whitespace().collect();
    let request_line = compact.contains("POST/2015-03-31/functions/FunctionName/policy");
    if !title_ok && !request_line {
        return Err(PageError::NotIdentified);
    }

    let query = query_names(&syntax);
    let mut page = ExtractedPage {
        layout,
        language: if spanish > english {
            Language::Spanish
        } else {
            Language::English
        },
        members: Vec::new(),
        errors: Vec::new(),
    };
    for block in &blocks {
        let duplicate = match block.section {
            Section::Errors => page.error(block.name).is_some(),
            _ => page.member(block.name).is_some(),
        };
        if duplicate {
            return Err(PageError::Duplicate(block.name.to_string()));
        }
        if block.section == Section::Errors {
            page.errors.push(read_error(block)?);
        } else {
            page.members.push(read_member(block, layout, &query)?);
        }
    }
    Ok(page)
}

/// Names bound in the request line's query string (`?Qualifier=Qualifier`).
fn query_names(syntax: &str) -> Vec<String> {
    let mut names = Vec::new();
    for (i, _) in syntax.match_indices(['?', '&']) {
        let rest = &syntax[i + 1..];
        if let Some((name, _)) = rest.split_once('=') {
            if is_identifier(name) {
                names.push(name.to_string());
            }
        }
    }
    names
}

/// Finds `label:` starting a word anywhere in `line` (rendered text glues a label to the sentence
/// before it) and returns what follows the colon.
fn after_label<'a>(line: &'a str, labels: &[&str]) -> Option<&'a str> {
    for label in labels {
        for (start, _) in line.match_indices(label) {
            let word_start = line[..start]
                .chars()
                .next_back()
                .map_or(true, |c| !c.is_alphanumeric());
            if let Some(value) = line[start + label.len()..].trim_start().strip_prefix(':') {
                if word_start {
                    return Some(value);
                }
            }
        }
    }
    None
}

/// Whether `line` holds one of the labels of an entry (including the type line, not read).
fn has_any_label(line: &str) -> bool {
    [
        LENGTH,
        PATTERN,
        REQUIRED,
        VALID_VALUES,
        STATUS,
        &["Type", "Tipo"],
    ]
    .iter()
    .any(|labels| after_label(line, labels).is_some())
}

/// The contents of a code span (`` `x` ``, or the odd `` ` x` `` the page has for enum values).
fn strip_code(value: &str) -> &str {
    let v = value.trim();
    let run = v.chars().take_while(|&c| c == '`').count();
    if run > 0 && v.len() > 2 * run && v.ends_with(&"`".repeat(run)) {
        v[run..v.len() - run].trim()
    } else {
        v
    }
}

/// Reads a labelled value: on the label's line, or alone on the next line (rendered text).
/// Returns the value and how many lines it used.
fn labelled_value<'a>(
    lines: &[&'a str],
    i: usize,
    labels: &[&str],
    layout: Layout,
) -> Option<(&'a str, usize)> {
    let value = after_label(lines[i], labels)?;
    // A label followed by another label has no value; the caller reports it as unreadable.
    let (value, used) = match (value.trim().is_empty(), lines.get(i + 1)) {
        (true, Some(next)) if !has_any_label(next) => (*next, 2),
        _ => (value, 1),
    };
    Some(match layout {
        Layout::Markdown => (strip_code(value), used),
        Layout::PlainText => (value.trim(), used),
    })
}

fn read_member(
    block: &Block,
    layout: Layout,
    query: &[String],
) -> Result<ExtractedMember, PageError> {
    let location = match block.section {
        Section::UriParameters if query.iter().any(|q| q == block.name) => Location::Query,
        Section::UriParameters => Location::Uri,
        _ => Location::Body,
    };
    let unreadable = |what, value: &str| PageError::Unreadable {
        entry: block.name.to_string(),
        what,
        value: value.to_string(),
    };
    let (mut length, mut pattern, mut values, mut required) = (None, None, None, None);
    let lines = &block.lines;
    let mut i = 0;
    while i < lines.len() {
        let what = "length constraint";
        if let Some((v, used)) = labelled_value(lines, i, LENGTH, layout) {
            let bounds = parse_length(v).ok_or_else(|| unreadable(what, v))?;
            state_once(&mut length, bounds, v, block.name, what)?;
            i += used;
            continue;
        }
        let what = "pattern";
        if let Some((v, used)) = labelled_value(lines, i, PATTERN, layout) {
            if v.is_empty() {
                return Err(unreadable(what, v));
            }
            state_once(&mut pattern, v.to_string(), v, block.name, what)?;
            i += used;
            continue;
        }
        let what = "valid values";
        if let Some((v, used)) = labelled_value(lines, i, VALID_VALUES, layout) {
            let list: Vec<String> = v
                .split('|')
                .map(|s| strip_code(s).to_string())
                .filter(|s| !s.is_empty())
                .collect();
            if list.is_empty() {
                return Err(unreadable(what, v));
            }
            state_once(&mut values, list, v, block.name, what)?;
            i += used;
            continue;
        }
        let what = "required flag";
        if let Some((v, used)) = labelled_value(lines, i, REQUIRED, layout) {
            let flag = parse_yes_no(v).ok_or_else(|| unreadable(what, v))?;
            state_once(&mut required, flag, v, block.name, what)?;
            i += used;
            continue;
        }
        i += 1;
    }
    let (min, max) = length.map_or((None, None), |(bounds, _)| bounds);
    Ok(ExtractedMember {
        name: block.name.to_string(),
        location,
        required: required.is_some_and(|(flag, _)| flag),
        min,
        max,
        pattern: pattern.map(|(p, _)| p),
        enum_values: values.map(|(v, _)| v),
    })
}

/// Records a constraint read from `raw`. Stating it again with the same value is harmless (a
/// duplicated line); with another value the page contradicts itself, and picking one would be a
/// guess.
fn state_once<'a, T: PartialEq>(
    slot: &mut Option<(T, &'a str)>,
    value: T,
    raw: &'a str,
    entry: &str,
    what: &'static str,
) -> Result<(), PageError> {
    match slot {
        Some((first, first_raw)) if *first != value => Err(PageError::Repeated {
            entry: entry.to_string(),
            what,
            first: first_raw.to_string(),
            second: raw.to_string(),
        }),
        Some(_) => Ok(()),
        None => {
            *slot = Some((value, raw));
            Ok(())
        }
    }
}

fn read_error(block: &Block) -> Result<ExtractedError, PageError> {
    let what = "HTTP status code";
    let mut status = None;
    for (i, line) in block.lines.iter().enumerate() {
        let Some(value) = after_label(line, STATUS) else {
            continue;
        };
        let value = match (value.trim().is_empty(), block.lines.get(i + 1)) {
            (true, Some(next)) if !has_any_label(next) => next,
            _ => value,
        }
        .trim();
        let code = match numbers(value).as_deref() {
            Some([n]) => u16::try_from(*n).ok(),
            _ => None,
        };
        let code = code.ok_or_else(|| PageError::Unreadable {
            entry: block.name.to_string(),
            what,
            value: value.to_string(),
        })?;
        state_once(&mut status, code, value, block.name, what)?;
    }
    Ok(ExtractedError {
        name: block.name.to_string(),
        status: status.map(|(code, _)| code),
    })
}

fn parse_yes_no(value: &str) -> Option<bool> {
    let word = value
        .split(|c: char| c.is_whitespace() || c == '.')
        .find(|w| !w.is_empty())?
        .to_lowercase();
    match word.as_str() {
        "yes" | "sí" | "si" | "true" => Some(true),
        "no" | "false" => Some(false),
        _ => None,
    }
}

/// "Minimum length of 1. Maximum length of 140.", "longitud mínima de 1. La longitud máxima es
/// de 100. caracteres.", "Maximum length of 12.", "Fixed length of 12.": each sentence names one
/// bound and holds one number. A sentence with a number but no bound, or a bound without exactly
/// one number, makes the whole constraint unreadable.
fn parse_length(value: &str) -> Option<(Option<usize>, Option<usize>)> {
    let (mut min, mut max) = (None, None);
    for sentence in sentences(value) {
        let lower = sentence.to_lowercase();
        let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
        let fixed = has(&["fixed", "fija"]);
        let is_min = has(&["minimum", "mínima", "minima"]);
        let is_max = has(&["maximum", "máxima", "maxima"]);
        let nums = numbers(sentence)?;
        match (fixed, is_min, is_max, nums.as_slice()) {
            (false, false, false, []) => {}
            (true, false, false, [n]) => {
                min = Some(*n);
                max = Some(*n);
            }
            (false, true, false, [n]) => min = Some(*n),
            (false, false, true, [n]) => max = Some(*n),
            _ => return None,
        }
    }
    (min.is_some() || max.is_some()).then_some((min, max))
}

/// Splits on `.` and `;`, except a `.` between digits (a Spanish thousands separator).
fn sentences(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev: Option<char> = None;
    let mut iter = s.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let next = iter.peek().map(|&(_, n)| n);
        let between_digits =
            prev.is_some_and(|p| p.is_ascii_digit()) && next.is_some_and(|n| n.is_ascii_digit());
        if (c == '.' && !between_digits) || c == ';' {
            out.push(&s[start..i]);
            start = i + c.len_utf8();
        }
        prev = Some(c);
    }
    out.push(&s[start..]);
    out
}

/// The numbers in `s`; digit groups joined by `,`, `.` or a (no-break) space followed by exactly
/// three digits are one number ("10,000", "10.000", "10 000"). `None` when one is too large for
/// `usize`: the caller reports the value as unreadable rather than clamp it.
fn numbers(s: &str) -> Option<Vec<usize>> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let mut digits = String::new();
        loop {
            while i < chars.len() && chars[i].is_ascii_digit() {
                digits.push(chars[i]);
                i += 1;
            }
            let group = chars.get(i + 1..i + 4);
            let separated = chars
                .get(i)
                .is_some_and(|c| [',', '.', ' ', '\u{a0}', '\u{202f}'].contains(c))
                && group.is_some_and(|g| g.iter().all(|c| c.is_ascii_digit()))
                && !chars.get(i + 4).is_some_and(|c| c.is_ascii_digit());
            if !separated {
                break;
            }
            i += 1;
        }
        out.push(digits.parse().ok()?);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_ignore_spacing_case_and_accents() {
        let spanish_uri = Some((Section::UriParameters, Language::Spanish));
        assert_eq!(
            classify_heading("  Parámetros \t de   SOLICITUD del URI "),
            spanish_uri
        );
        assert_eq!(
            classify_heading("PARAMETROS DE SOLICITUD DEL URI"),
            spanish_uri
        );
        assert_eq!(
            classify_heading("Request Body"),
            Some((Section::RequestBody, Language::English))
        );
        assert_eq!(classify_heading("Request Bodyx"), None);
        assert_eq!(classify_heading("Request"), None);
        assert_eq!(classify_heading(""), None);
        assert_eq!(
            classify_heading("Errors \u{2028}"),
            Some((Section::Errors, Language::English))
        );
    }

    #[test]
    fn lengths_in_both_languages() {
        let l = |s| parse_length(s);
        assert_eq!(
            l("Minimum length of 1. Maximum length of 140."),
            Some((Some(1), Some(140)))
        );
        assert_eq!(l("Maximum length of 12."), Some((None, Some(12))));
        assert_eq!(l("Fixed length of 12."), Some((Some(12), Some(12))));
        assert_eq!(
            l("longitud mínima de 1. La longitud máxima es de 100. caracteres."),
            Some((Some(1), Some(100)))
        );
        assert_eq!(
            l("longitud máxima de 12 caracteres."),
            Some((None, Some(12)))
        );
        assert_eq!(
            l("Longitud mínima de 0. Longitud máxima de 10.000."),
            Some((Some(0), Some(10000)))
        );
        assert_eq!(l("Maximum length of 10,000."), Some((None, Some(10000))));
        assert_eq!(l("some words"), None);
        assert_eq!(l("Minimum of 1 or 2."), None);
        assert_eq!(l("about 12."), None);
        assert_eq!(l("Maximum length of 99999999999999999999999."), None);
    }

    #[test]
    fn labels_start_a_word_and_may_be_glued() {
        assert_eq!(after_label("Tipo: String", &["Tipo"]), Some(" String"));
        assert_eq!(
            after_label("servicio.Código de estado HTTP: 412", STATUS),
            Some(" 412")
        );
        assert_eq!(after_label("NotRequired: yes", REQUIRED), None);
        assert_eq!(after_label("Required Yes", REQUIRED), None);
    }

    #[test]
    fn markdown_escapes_stop_at_code_spans() {
        assert_eq!(
            unescape_markdown(r"Minimum length of 1\. Pattern: `[a-z\-]+` \(x\)"),
            r"Minimum length of 1. Pattern: `[a-z\-]+` (x)"
        );
        assert_eq!(unescape_markdown(r"unclosed ` \."), "unclosed ` .");
    }

    #[test]
    fn entries_in_both_layouts() {
        assert_eq!(
            markdown_entry(" ** [Qualifier](#API_X) **   <a name=\"x\"></a>"),
            Some("Qualifier".into())
        );
        assert_eq!(
            markdown_entry(" ** ServiceException **   "),
            Some("ServiceException".into())
        );
        assert_eq!(markdown_entry("**Name formats**"), None);
        assert_eq!(plain_entry("- Qualifier"), Some("Qualifier".into()));
        assert_eq!(plain_entry("- Function name"), None);
    }

    #[test]
    fn query_members_come_from_the_request_line() {
        assert_eq!(
            query_names("POST /2015-03-31/functions/FunctionName\n/policy?Qualifier=Qualifier\n"),
            ["Qualifier"]
        );
    }

    #[test]
    fn code_spans_lose_their_backticks() {
        assert_eq!(strip_code("` NONE | AWS_IAM`   "), "NONE | AWS_IAM");
        assert_eq!(strip_code("`[^\\s]+`"), "[^\\s]+");
        assert_eq!(strip_code("``a`b``"), "a`b");
        assert_eq!(strip_code("`"), "`");
    }
}
