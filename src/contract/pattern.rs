//! AWS patterns with AWS semantics.
//!
//! AWS writes its constraints as Java regular expressions and matches them against the *whole*
//! value (`String.matches`). Rust's `regex` differs in three ways that matter here: it finds a
//! match anywhere unless anchored, its `\d`/`\s`/`\w` are Unicode classes, and its `.` only stops
//! at `\n` (Java's also stops at `\r`, U+0085, U+2028 and U+2029). [`AwsPattern`] keeps the pattern
//! verbatim (it is quoted in ValidationException messages) and compiles a translation with Java's
//! meaning.

use regex::Regex;
use std::fmt;

/// Java's ASCII white space, the meaning of `\s` without `UNICODE_CHARACTER_CLASS`.
const JAVA_SPACE: &str = r" \t\n\x0B\x0C\r";
/// Java's default line terminators, which `.` does not match.
const JAVA_DOT: &str = r"[^\n\r\x{85}\x{2028}\x{2029}]";

/// A constraint pattern as AWS writes it, plus its whole-value matcher.
#[derive(Clone)]
pub struct AwsPattern {
    source: &'static str,
    matcher: Regex,
}

/// A Java regex construct that [`translate`] does not know how to carry over faithfully.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot translate Java pattern {pattern:?}: {reason}")]
pub struct TranslateError {
    pub pattern: String,
    pub reason: String,
}

impl AwsPattern {
    /// Compiles `source`, which must be one of the contract's own patterns.
    ///
    /// # Panics
    /// When the pattern cannot be translated: the contract's patterns are constants, and a test
    /// compiles every one of them, so this is a programming error, never bad input.
    pub fn new(source: &'static str) -> Self {
        Self::try_new(source).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Compiles an arbitrary Java pattern (for example one read from an API reference page).
    pub fn try_new(source: &'static str) -> Result<Self, TranslateError> {
        let translated = translate(source)?;
        let matcher = Regex::new(&format!("^(?:{translated})$")).map_err(|e| TranslateError {
            pattern: source.to_string(),
            reason: e.to_string(),
        })?;
        Ok(Self { source, matcher })
    }

    /// The pattern exactly as AWS writes it (and quotes it in error messages).
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// The anchored Rust regex this pattern compiles to.
    pub fn regex(&self) -> &Regex {
        &self.matcher
    }

    /// Java `String.matches` semantics: the whole value must match.
    pub fn matches(&self, value: &str) -> bool {
        self.matcher.is_match(value)
    }
}

impl fmt::Debug for AwsPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("AwsPattern").field(&self.source).finish()
    }
}

/// Rewrites a Java regex into a Rust regex with the same meaning on any Unicode input.
///
/// Group structure is preserved (capture numbers stay the same), so callers may use captures.
/// Anchors `^`/`$` at the edges are kept: inside the wrapper `^(?:...)$` they are harmless.
pub fn translate(java: &str) -> Result<String, TranslateError> {
    let err = |reason: &str| TranslateError {
        pattern: java.to_string(),
        reason: reason.to_string(),
    };
    let mut out = String::with_capacity(java.len() * 2);
    let mut chars = java.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(e) = chars.next() else {
                    return Err(err("trailing backslash"));
                };
                match (e, in_class) {
                    ('d', false) => out.push_str("[0-9]"),
                    ('d', true) => out.push_str("0-9"),
                    ('D', false) => out.push_str("[^0-9]"),
                    ('s', false) => {
                        out.push('[');
                        out.push_str(JAVA_SPACE);
                        out.push(']');
                    }
                    ('s', true) => out.push_str(JAVA_SPACE),
                    ('S', false) => {
                        out.push_str("[^");
                        out.push_str(JAVA_SPACE);
                        out.push(']');
                    }
                    ('w', false) => out.push_str("[a-zA-Z0-9_]"),
                    ('w', true) => out.push_str("a-zA-Z0-9_"),
                    ('W', false) => out.push_str("[^a-zA-Z0-9_]"),
                    ('D' | 'S' | 'W', true) => {
                        return Err(err("negated shorthand class inside a character class"))
                    }
                    ('b' | 'B' | 'p' | 'P' | 'Q' | 'E' | 'h' | 'H' | 'v' | 'V' | 'R', _) => {
                        return Err(err(&format!("unsupported escape \\{e}")))
                    }
                    (e, _) if e.is_ascii_alphanumeric() && !"tnrfaex0".contains(e) => {
                        return Err(err(&format!("unsupported escape \\{e}")))
                    }
                    (e, _) => {
                        out.push('\\');
                        out.push(e);
                    }
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                if chars.peek() == Some(&'^') {
                    out.push(chars.next().unwrap_or('^'));
                }
                // A `]` right after `[` or `[^` is a literal in Java.
                if chars.peek() == Some(&']') {
                    chars.next();
                    out.push_str("\\]");
                }
            }
            '[' => return Err(err("nested character classes")),
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            '.' if !in_class => out.push_str(JAVA_DOT),
            _ => out.push(c),
        }
    }
    if in_class {
        return Err(err("unterminated character class"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_ascii_only() {
        let p = AwsPattern::new(r"\d{12}");
        assert!(p.matches("123456789012"));
        assert!(!p.matches("١٢٣٤٥٦٧٨٩٠١٢"), "Arabic-Indic digits are not Java \\d");
        assert!(!p.matches("1234567890123"));
    }

    #[test]
    fn white_space_is_ascii_only() {
        let p = AwsPattern::new(r"[^\s]+");
        assert!(p.matches("a\u{A0}b"), "NBSP is not Java \\s");
        assert!(p.matches("a\u{2003}b"), "EM SPACE is not Java \\s");
        assert!(!p.matches("a b"));
        assert!(!p.matches("a\u{0B}b"), "vertical tab is Java \\s");
        assert!(!p.matches(""));
    }

    #[test]
    fn whole_value_is_matched() {
        let p = AwsPattern::new("([a-zA-Z0-9-_]+)");
        assert!(!p.matches("example.com"));
        assert!(p.matches("example-com_1"));
        let q = AwsPattern::new(r"\$(LATEST(\.PUBLISHED)?)|[a-zA-Z0-9-_$]+");
        assert!(!q.matches("$LATEST!!"), "top-level alternation must be wrapped");
        assert!(q.matches("$LATEST"));
        assert!(q.matches("$LATEST.PUBLISHED"));
        assert!(!q.matches("x.y"));
    }

    #[test]
    fn dot_stops_at_java_line_terminators() {
        let p = AwsPattern::new("a.*");
        assert!(p.matches("a\u{1F600}b"));
        assert!(!p.matches("a\rb"));
        assert!(!p.matches("a\u{2028}b"));
        assert!(!p.matches("a\nb"));
    }

    #[test]
    fn word_class_is_ascii() {
        let p = AwsPattern::new(r"[\w+=,.@-]*");
        assert!(!p.matches("role/x"));
        assert!(p.matches("a_b+c=d,e.f@g-h"));
        assert!(!p.matches("é"));
    }

    #[test]
    fn unsupported_constructs_are_errors_not_guesses() {
        assert!(translate(r"\p{L}+").is_err());
        assert!(translate(r"[^\S]").is_err());
        assert!(translate("[abc").is_err());
        assert!(translate("abc\\").is_err());
    }
}
