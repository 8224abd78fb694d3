//! AWS patterns with AWS semantics.
//!
//! AWS writes its constraints as Java regular expressions and matches them against the *whole*
//! value (`String.matches`). Rust's `regex` differs in three ways that matter here: it finds a
//! match anywhere unless anchored, its `\d`/`\s`/`\w` are Unicode classes, and its `.` only stops
//! at `\n` (Java's also stops at `\r`, U+0085, U+2028 and U+2029). [`AwsPattern`] keeps the pattern
//! verbatim (it is quoted in ValidationException messages) and compiles a translation with Java's
//! meaning.
//!
//! Rust's `regex` has no look-around. The one look-around the Lambda model uses is a leading
//! guard, `(?!^[0-9]+$)` in front of the alias name pattern ("not all digits"); a pattern that
//! starts with `(?!^X$)` is compiled as two whole-value matchers, the rest and the excluded `X`.

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
    /// The whole values a leading `(?!^X$)` excludes.
    excluded: Option<Regex>,
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
        let whole = |java: &str| {
            let translated = translate(java)?;
            Regex::new(&format!("^(?:{translated})$")).map_err(|e| TranslateError {
                pattern: source.to_string(),
                reason: e.to_string(),
            })
        };
        let (excluded, rest) = match leading_guard(source) {
            Some((excluded, rest)) => (Some(whole(excluded)?), rest),
            None => (None, source),
        };
        Ok(Self {
            source,
            matcher: whole(rest)?,
            excluded,
        })
    }

    /// The pattern exactly as AWS writes it (and quotes it in error messages).
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// The anchored Rust regex this pattern compiles to (without a leading guard's exclusion,
    /// which [`AwsPattern::matches`] applies): for reading captures of a value that matches.
    pub fn regex(&self) -> &Regex {
        &self.matcher
    }

    /// Java `String.matches` semantics: the whole value must match.
    pub fn matches(&self, value: &str) -> bool {
        self.matcher.is_match(value) && !self.excluded.as_ref().is_some_and(|x| x.is_match(value))
    }
}

/// A pattern's leading `(?!^X$)` split off: `(X, rest)`. Inside the guard `^` and `$` anchor at
/// the value's edges, so under whole-value matching the guard excludes exactly the values `X`
/// matches whole. `None` when the pattern starts otherwise (then `(?!` anywhere is refused by
/// [`translate`]).
fn leading_guard(source: &str) -> Option<(&str, &str)> {
    let inner = source.strip_prefix("(?!")?;
    let mut depth = 0usize;
    let mut escaped = false;
    let mut in_class = false;
    for (i, c) in inner.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '[' => in_class = true,
            ']' => in_class = false,
            '(' if !in_class => depth += 1,
            ')' if !in_class && depth > 0 => depth -= 1,
            ')' if !in_class => {
                let guard = &inner[..i];
                let guard = guard.strip_prefix('^').unwrap_or(guard);
                let guard = guard.strip_suffix('$').unwrap_or(guard);
                return Some((guard, &inner[i + 1..]));
            }
            _ => {}
        }
    }
    None
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
    // Whether the previous token was a quantifier (`?`, `*`, `+`, `{n,m}`), and whether a counted
    // repetition `{...}` is open.
    let mut after_quantifier = false;
    let mut in_counted = false;
    while let Some(c) = chars.next() {
        let was_after_quantifier = std::mem::take(&mut after_quantifier);
        match c {
            '\\' => {
                let Some(e) = chars.next() else {
                    return Err(err("trailing backslash"));
                };
                match (e, in_class) {
                    ('d', false) => out.push_str("[0-9]"),
                    // Inside a class a shorthand becomes a nested class: Java reads a `-` after
                    // `\d` as a literal, and so does Rust after `[0-9]`, but not after `0-9`.
                    ('d', true) => out.push_str("[0-9]"),
                    ('D', false) => out.push_str("[^0-9]"),
                    ('s', false) => {
                        out.push('[');
                        out.push_str(JAVA_SPACE);
                        out.push(']');
                    }
                    ('s', true) => {
                        out.push('[');
                        out.push_str(JAVA_SPACE);
                        out.push(']');
                    }
                    ('S', false) => {
                        out.push_str("[^");
                        out.push_str(JAVA_SPACE);
                        out.push(']');
                    }
                    ('w', false) => out.push_str("[a-zA-Z0-9_]"),
                    ('w', true) => out.push_str("[a-zA-Z0-9_]"),
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
                    ('t' | 'n' | 'r' | 'f' | 'a' | 'e' | 'x' | '0', _) => {
                        out.push('\\');
                        out.push(e);
                    }
                    // Any other escaped character is a literal in Java. Rust gives some escapes
                    // a meaning of their own (`\<` and `\>` are word boundaries) and rejects
                    // others (`\é`), so write the literal the way Rust reads it.
                    (e, _) => out.push_str(&regex::escape(e.encode_utf8(&mut [0; 4]))),
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
            // Rust's class set operators: `&&` is an intersection in both languages but with
            // other corner cases, `--` a difference only in Rust (Java reads a range), `~~` a
            // symmetric difference only in Rust (Java reads two `~`).
            '&' | '-' if in_class && chars.peek() == Some(&c) => {
                return Err(err(&format!("{c}{c} inside a character class")))
            }
            '&' | '~' if in_class => {
                out.push('\\');
                out.push(c);
            }
            // Java's `$` also matches before a final line terminator, Rust's only at the end: the
            // same under whole-value matching only when nothing follows it.
            '$' if !in_class && chars.clone().any(|n| n != ')') => {
                return Err(err("'$' before the end of the pattern"))
            }
            // `X*+` is possessive in Java; Rust reads it as `(X*)+`.
            '+' if !in_class && was_after_quantifier => return Err(err("possessive quantifier")),
            '?' | '*' | '+' if !in_class => {
                // `?` after a quantifier makes it lazy: same meaning in Rust.
                after_quantifier = !(c == '?' && was_after_quantifier);
                out.push(c);
            }
            '{' if !in_class => {
                in_counted = true;
                out.push(c);
            }
            '}' if !in_class && in_counted => {
                in_counted = false;
                after_quantifier = true;
                out.push(c);
            }
            // Only non-capturing groups: inline flags mean other things in Rust (`(?i)` folds
            // Unicode case, `(?U)` swaps greediness), look-around and atomic groups do not exist.
            '(' if !in_class && chars.peek() == Some(&'?') => {
                let mut ahead = chars.clone();
                ahead.next();
                if ahead.next() != Some(':') {
                    return Err(err("'(?' construct other than a non-capturing group"));
                }
                out.push(c);
            }
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
        assert!(
            !p.matches("١٢٣٤٥٦٧٨٩٠١٢"),
            "Arabic-Indic digits are not Java \\d"
        );
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
        assert!(
            !q.matches("$LATEST!!"),
            "top-level alternation must be wrapped"
        );
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
    fn escaped_punctuation_is_literal() {
        // Rust reads `\<` and `\>` as word boundaries; Java as `<` and `>` (found by aws_regex).
        let p = AwsPattern::new(r"\>{2}|\<a\>");
        assert!(p.matches(">>"));
        assert!(p.matches("<a>"));
        assert!(!p.matches("a"));
        assert!(AwsPattern::new(r"[\<\>]\é").matches(">é"));
    }

    #[test]
    fn dash_after_a_shorthand_in_a_class_is_literal() {
        // Java: `[\s-z]` is white space, `-` and `z`; a bare expansion made `\r-z` a range.
        let p = AwsPattern::new(r"[\s-z]+");
        assert!(p.matches(" -z"));
        assert!(!p.matches("a"));
        let p = AwsPattern::new(r"[\w-~]");
        assert!(p.matches("~") && p.matches("-"));
        assert!(!p.matches("`"), "not a range from '_' to '~'");
        assert!(AwsPattern::new(r"[\d-z]").matches("-"));
    }

    #[test]
    fn class_set_operators_are_literal_or_refused() {
        let p = AwsPattern::new("[a~~&]+");
        assert!(p.matches("a~&"));
        assert!(translate("[a-z&&b]").is_err());
        assert!(translate("[+--]").is_err());
    }

    #[test]
    fn dollar_is_only_accepted_at_the_end() {
        assert!(AwsPattern::new("^o-[a-z0-9]{10,32}$").matches("o-abcdefghij"));
        assert!(AwsPattern::new("(a$)").matches("a"));
        assert!(AwsPattern::new("[$]a").matches("$a"));
        // Java matches "a\n" with `a$\n` (`$` before a final terminator); Rust's `$` cannot.
        assert!(translate(r"a$\n").is_err());
    }

    #[test]
    fn possessive_quantifiers_and_inline_flags_are_refused() {
        // Java `.{0,2}+=` cannot match "=" (the possessive `.` keeps it); Rust's `(.{0,2})+=` can.
        for p in [".{0,2}+=", "a*+a", "a++", "a?+", "(?i)a", "(?=a)a", "(?>a)"] {
            assert!(translate(p).is_err(), "{p}");
        }
        let p = AwsPattern::new("a*?b+?c??(?:d){1,2}?");
        assert!(p.matches("aabbcdd"));
        assert!(AwsPattern::new(r"a+\+[+]").matches("aa++"));
    }

    #[test]
    fn a_leading_guard_excludes_what_it_matches() {
        // The model's alias name: anything of the class, but not all digits.
        let p = AwsPattern::new("(?!^[0-9]+$)([a-zA-Z0-9-_]+)");
        assert!(p.matches("live") && p.matches("v1") && p.matches("1a"));
        assert!(!p.matches("123"), "all digits");
        assert!(!p.matches("١٢"), "not the class at all");
        assert!(!p.matches(""));
        assert_eq!(p.source(), "(?!^[0-9]+$)([a-zA-Z0-9-_]+)");
        // A look-around anywhere else is still refused.
        assert!(AwsPattern::try_new("a(?!b)").is_err());
        assert!(AwsPattern::try_new("(?!a").is_err());
    }

    #[test]
    fn unsupported_constructs_are_errors_not_guesses() {
        assert!(translate(r"\p{L}+").is_err());
        assert!(translate(r"[^\S]").is_err());
        assert!(translate("[abc").is_err());
        assert!(translate("abc\\").is_err());
    }
}
