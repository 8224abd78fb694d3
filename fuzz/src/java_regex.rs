//! An independent matcher for the subset of Java regular expressions AWS writes its constraints
//! in, with `java.util.regex` semantics (no flags) and `String.matches` (whole-value) matching.
//!
//! It shares nothing with `addperm::contract::translate` on purpose: it parses the Java syntax
//! itself (following `java.util.regex.Pattern`'s own parsing rules, e.g. for `-` inside a class)
//! and matches by plain backtracking over code points, so a translation mistake cannot hide in a
//! shared helper. It is only as fast as it needs to be for short fuzz inputs; a step budget makes
//! pathological pattern/input pairs report "unknown" instead of hanging.
//!
//! Supported: literals; escapes of any non-alphanumeric character; `\t \n \r \f \a \e`;
//! `\d \D \s \S \w \W` (ASCII, as Java without `UNICODE_CHARACTER_CLASS`); `.` (not `\n`, `\r`,
//! U+0085, U+2028, U+2029); `^`, `$` (Java's: also before a final line terminator); classes
//! with ranges, negation, shorthands and a leading `]`; capturing and `(?:...)` groups;
//! alternation; `? * + {n} {n,} {n,m}`, greedy, lazy (`?`) and possessive (`+`).
//! Everything else (`\p{..}`, back references, `&&`, nested classes, look-around, inline flags,
//! `\Q..\E`, ...) is [`ParseError::Unsupported`].

use std::cell::Cell;

/// A parsed pattern.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Empty,
    Literal(char),
    /// `.`
    Dot,
    Class(Class),
    /// `^`
    Begin,
    /// `$`
    End,
    Group(Box<Node>),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
        kind: RepeatKind,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RepeatKind {
    Greedy,
    Lazy,
    Possessive,
}

/// A character class `[...]` (or a shorthand like `\d` outside a class).
#[derive(Debug, Clone, PartialEq)]
pub struct Class {
    pub negated: bool,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Char(char),
    Range(char, char),
    Shorthand(Shorthand),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shorthand {
    Digit,
    NotDigit,
    Space,
    NotSpace,
    Word,
    NotWord,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// Valid Java (or possibly valid) but outside the subset this matcher implements.
    Unsupported(String),
    /// Java's `Pattern.compile` would throw.
    Invalid(String),
}

/// Java's line terminators (`.` matches none of them; `$` may match before a final one).
pub fn is_line_terminator(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

impl Shorthand {
    pub fn contains(self, c: char) -> bool {
        let digit = c.is_ascii_digit();
        // Java's \s without UNICODE_CHARACTER_CLASS: [ \t\n\x0B\f\r].
        let space = matches!(c, ' ' | '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r');
        let word = c.is_ascii_alphanumeric() || c == '_';
        match self {
            Shorthand::Digit => digit,
            Shorthand::NotDigit => !digit,
            Shorthand::Space => space,
            Shorthand::NotSpace => !space,
            Shorthand::Word => word,
            Shorthand::NotWord => !word,
        }
    }
}

impl Class {
    pub fn contains(&self, c: char) -> bool {
        let hit = self.items.iter().any(|i| match *i {
            Item::Char(x) => x == c,
            Item::Range(lo, hi) => lo <= c && c <= hi,
            Item::Shorthand(s) => s.contains(c),
        });
        hit != self.negated
    }
}

/// Parses a Java pattern.
pub fn parse(pattern: &str) -> Result<Node, ParseError> {
    let mut p = Parser {
        s: pattern.chars().collect(),
        i: 0,
    };
    let node = p.alt()?;
    if p.i < p.s.len() {
        // Only an unmatched ')' stops `alt` early.
        return Err(ParseError::Invalid("unmatched ')'".into()));
    }
    Ok(node)
}

struct Parser {
    s: Vec<char>,
    i: usize,
}

fn unsupported<T>(what: impl Into<String>) -> Result<T, ParseError> {
    Err(ParseError::Unsupported(what.into()))
}

fn invalid<T>(what: impl Into<String>) -> Result<T, ParseError> {
    Err(ParseError::Invalid(what.into()))
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.s.get(self.i).copied()
    }

    fn peek_at(&self, k: usize) -> Option<char> {
        self.s.get(self.i + k).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.i += 1;
        Some(c)
    }

    fn alt(&mut self) -> Result<Node, ParseError> {
        let mut branches = vec![self.concat()?];
        while self.peek() == Some('|') {
            self.i += 1;
            branches.push(self.concat()?);
        }
        Ok(if branches.len() == 1 {
            branches.pop().unwrap_or(Node::Empty)
        } else {
            Node::Alt(branches)
        })
    }

    fn concat(&mut self) -> Result<Node, ParseError> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom()?;
            let atom = self.quantified(atom)?;
            items.push(atom);
        }
        Ok(match items.len() {
            0 => Node::Empty,
            1 => items.pop().unwrap_or(Node::Empty),
            _ => Node::Concat(items),
        })
    }

    fn atom(&mut self) -> Result<Node, ParseError> {
        let Some(c) = self.bump() else {
            return invalid("unexpected end");
        };
        match c {
            '(' => {
                if self.peek() == Some('?') {
                    if self.peek_at(1) == Some(':') {
                        self.i += 2;
                    } else {
                        return unsupported("(? group or flags");
                    }
                }
                let inner = self.alt()?;
                if self.bump() != Some(')') {
                    return invalid("unclosed group");
                }
                Ok(Node::Group(Box::new(inner)))
            }
            '[' => self.class(),
            '.' => Ok(Node::Dot),
            '^' => Ok(Node::Begin),
            '$' => Ok(Node::End),
            '\\' => match self.escape()? {
                Escaped::Char(c) => Ok(Node::Literal(c)),
                Escaped::Shorthand(s) => Ok(Node::Class(Class {
                    negated: false,
                    items: vec![Item::Shorthand(s)],
                })),
            },
            '*' | '+' | '?' => invalid(format!("dangling meta character {c:?}")),
            '{' => unsupported("'{' outside a quantifier"),
            c => Ok(Node::Literal(c)),
        }
    }

    fn quantified(&mut self, atom: Node) -> Result<Node, ParseError> {
        let (min, max) = match self.peek() {
            Some('?') => (0, Some(1)),
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('{') => {
                self.i += 1;
                let min = self.number()?;
                let max = match self.bump() {
                    Some('}') => Some(min),
                    Some(',') => {
                        if self.peek() == Some('}') {
                            self.i += 1;
                            None
                        } else {
                            let m = self.number()?;
                            if self.bump() != Some('}') {
                                return invalid("unclosed counted repetition");
                            }
                            if m < min {
                                return invalid("illegal repetition range");
                            }
                            Some(m)
                        }
                    }
                    _ => return invalid("illegal repetition"),
                };
                // `number` and the braces are consumed; step back one so the shared `+= 1`
                // below lands on the character after the quantifier.
                self.i -= 1;
                (min, max)
            }
            _ => return Ok(atom),
        };
        self.i += 1;
        if matches!(atom, Node::Begin | Node::End) {
            return unsupported("quantified anchor");
        }
        let kind = match self.peek() {
            Some('?') => {
                self.i += 1;
                RepeatKind::Lazy
            }
            Some('+') => {
                self.i += 1;
                RepeatKind::Possessive
            }
            _ => RepeatKind::Greedy,
        };
        if matches!(self.peek(), Some('?' | '*' | '+')) {
            return invalid("dangling meta character after a quantifier");
        }
        if self.peek() == Some('{') {
            return unsupported("stacked counted repetition");
        }
        Ok(Node::Repeat {
            node: Box::new(atom),
            min,
            max,
            kind,
        })
    }

    fn number(&mut self) -> Result<u32, ParseError> {
        let start = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        if self.i == start {
            return invalid("illegal repetition");
        }
        let text: String = self.s[start..self.i].iter().collect();
        match text.parse::<u32>() {
            Ok(n) if n <= 1000 => Ok(n),
            _ => unsupported("huge repetition count"),
        }
    }

    /// After a backslash.
    fn escape(&mut self) -> Result<Escaped, ParseError> {
        let Some(e) = self.bump() else {
            return invalid("trailing backslash");
        };
        Ok(match e {
            'd' => Escaped::Shorthand(Shorthand::Digit),
            'D' => Escaped::Shorthand(Shorthand::NotDigit),
            's' => Escaped::Shorthand(Shorthand::Space),
            'S' => Escaped::Shorthand(Shorthand::NotSpace),
            'w' => Escaped::Shorthand(Shorthand::Word),
            'W' => Escaped::Shorthand(Shorthand::NotWord),
            't' => Escaped::Char('\t'),
            'n' => Escaped::Char('\n'),
            'r' => Escaped::Char('\r'),
            'f' => Escaped::Char('\u{0C}'),
            'a' => Escaped::Char('\u{07}'),
            'e' => Escaped::Char('\u{1B}'),
            e if e.is_ascii_alphanumeric() => return unsupported(format!("escape \\{e}")),
            // Java: "a backslash may be used prior to a non-alphabetic character regardless of
            // whether that character is part of an unescaped construct".
            e => Escaped::Char(e),
        })
    }

    /// After `[`: `java.util.regex.Pattern.clazz` and `range`, without `&&` and nesting.
    fn class(&mut self) -> Result<Node, ParseError> {
        let mut negated = false;
        if self.peek() == Some('^') {
            self.i += 1;
            negated = true;
        }
        let mut items = Vec::new();
        loop {
            let Some(c) = self.peek() else {
                return invalid("unclosed character class");
            };
            match c {
                '[' => return unsupported("nested class"),
                '&' if self.peek_at(1) == Some('&') => return unsupported("class intersection"),
                // A `]` with nothing before it in the class is a literal.
                ']' if !items.is_empty() => {
                    self.i += 1;
                    break;
                }
                _ => items.push(self.range()?),
            }
        }
        Ok(Node::Class(Class { negated, items }))
    }

    /// One class member: `Pattern.range`.
    fn range(&mut self) -> Result<Item, ParseError> {
        let ch = match self.bump() {
            Some('\\') => match self.escape()? {
                Escaped::Char(c) => c,
                Escaped::Shorthand(s) => return Ok(Item::Shorthand(s)),
            },
            Some(c) => c,
            None => return invalid("unclosed character class"),
        };
        if self.peek() == Some('-') {
            match self.peek_at(1) {
                Some('[') => return unsupported("nested class after '-'"),
                Some(']') | None => {}
                Some(_) => {
                    self.i += 1;
                    let hi = match self.bump() {
                        Some('\\') => match self.escape()? {
                            Escaped::Char(c) => c,
                            Escaped::Shorthand(_) => return invalid("illegal character range"),
                        },
                        Some(c) => c,
                        None => return invalid("unclosed character class"),
                    };
                    if hi < ch {
                        return invalid("illegal character range");
                    }
                    return Ok(Item::Range(ch, hi));
                }
            }
        }
        Ok(Item::Char(ch))
    }
}

enum Escaped {
    Char(char),
    Shorthand(Shorthand),
}

/// Whole-value match (`String.matches`). `None` when the step budget ran out.
pub fn matches(node: &Node, value: &str) -> Option<bool> {
    let s: Vec<char> = value.chars().collect();
    let m = Matcher {
        s: &s,
        steps: Cell::new(0),
    };
    let len = s.len();
    let hit = m.node(node, 0, &mut |end| end == len);
    if m.steps.get() > STEP_BUDGET {
        None
    } else {
        Some(hit)
    }
}

const STEP_BUDGET: u64 = 100_000;

struct Matcher<'a> {
    s: &'a [char],
    steps: Cell<u64>,
}

type Cont<'k> = &'k mut dyn FnMut(usize) -> bool;

impl Matcher<'_> {
    fn exhausted(&self) -> bool {
        let n = self.steps.get() + 1;
        self.steps.set(n);
        n > STEP_BUDGET
    }

    fn node(&self, n: &Node, i: usize, k: Cont<'_>) -> bool {
        if self.exhausted() {
            return false;
        }
        let here = self.s.get(i).copied();
        match n {
            Node::Empty => k(i),
            Node::Literal(c) => here == Some(*c) && k(i + 1),
            Node::Dot => here.is_some_and(|c| !is_line_terminator(c)) && k(i + 1),
            Node::Class(cl) => here.is_some_and(|c| cl.contains(c)) && k(i + 1),
            Node::Begin => i == 0 && k(i),
            Node::End => self.dollar(i) && k(i),
            Node::Group(g) => self.node(g, i, k),
            Node::Concat(v) => self.seq(v, i, k),
            Node::Alt(v) => {
                for b in v {
                    if self.node(b, i, k) {
                        return true;
                    }
                }
                false
            }
            Node::Repeat {
                node,
                min,
                max,
                kind: RepeatKind::Possessive,
            } => self.possessive(node, *min, *max, i, k),
            Node::Repeat {
                node,
                min,
                max,
                kind,
            } => self.repeat(node, *min, *max, *kind == RepeatKind::Lazy, 0, i, k),
        }
    }

    /// Java's `$` without MULTILINE (`Pattern.Dollar`): at the end, or before a final line
    /// terminator (`\r\n` counting as one, and never between `\r` and `\n`).
    fn dollar(&self, i: usize) -> bool {
        let n = self.s.len();
        if i == n {
            return true;
        }
        if i + 2 == n {
            return self.s[i] == '\r' && self.s[i + 1] == '\n';
        }
        if i + 1 == n {
            let c = self.s[i];
            if c == '\n' {
                return !(i > 0 && self.s[i - 1] == '\r');
            }
            return is_line_terminator(c);
        }
        false
    }

    fn seq(&self, v: &[Node], i: usize, k: Cont<'_>) -> bool {
        match v.split_first() {
            None => k(i),
            Some((first, rest)) => self.node(first, i, &mut |j| self.seq(rest, j, k)),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn repeat(
        &self,
        n: &Node,
        min: u32,
        max: Option<u32>,
        lazy: bool,
        count: u32,
        i: usize,
        k: Cont<'_>,
    ) -> bool {
        let may_stop = count >= min;
        let may_go_on = max.is_none_or(|m| count < m);
        if lazy && may_stop && k(i) {
            return true;
        }
        if may_go_on
            && self.node(n, i, &mut |j| {
                // An iteration that matched nothing once the minimum is reached ends the loop
                // (otherwise `(a?)*` would loop forever); it does not change the language.
                if j == i && may_stop {
                    return false;
                }
                self.repeat(n, min, max, lazy, count + 1, j, k)
            })
        {
            return true;
        }
        !lazy && may_stop && k(i)
    }

    /// `X{min,max}+` as `Pattern.Curly.match2`/`GroupCurly` do it: every iteration takes the
    /// atom's first match and never gives it back.
    fn possessive(&self, n: &Node, min: u32, max: Option<u32>, mut i: usize, k: Cont<'_>) -> bool {
        let mut count = 0u32;
        while max.is_none_or(|m| count < m) {
            let mut end = None;
            self.node(n, i, &mut |j| {
                end = Some(j);
                true
            });
            match end {
                None => break,
                Some(j) => {
                    count += 1;
                    if j == i && count >= min {
                        break;
                    }
                    i = j;
                }
            }
        }
        count >= min && k(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, s: &str) -> bool {
        matches(&parse(p).unwrap(), s).unwrap()
    }

    #[test]
    fn java_class_quirks() {
        // `-` after a range is a literal in Java.
        assert!(m("[a-zA-Z0-9-_]+", "a-_9"));
        assert!(!m("[a-zA-Z0-9-_]+", "a.b"));
        assert!(m(r"[\d-z]", "-"));
        assert!(m(r"[\d-z]", "z"));
        assert!(!m(r"[\d-z]", "e"));
        assert!(m("[]a]", "]"));
        assert!(m("[^]a]", "b"));
        assert!(!m("[^]a]", "]"));
        assert!(m("[a-]", "-"));
        assert!(m(r"[^\s]+", "a\u{A0}b"));
        assert!(!m(r"[^\s]+", "a\u{0B}b"));
    }

    #[test]
    fn java_shorthands_and_dot() {
        assert!(!m(r"\d", "١"));
        assert!(m(r"\D", "١"));
        assert!(!m(r"\w", "é"));
        assert!(m(".", "\u{1F600}"));
        for t in ["\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"] {
            assert!(!m(".", t), "{t:?}");
        }
        assert!(m(".", "\u{0B}"));
    }

    #[test]
    fn whole_value_and_alternation() {
        assert!(!m("([a-zA-Z0-9-_]+)", "example.com"));
        let q = r"\$(LATEST(\.PUBLISHED)?)|[a-zA-Z0-9-_$]+";
        assert!(m(q, "$LATEST.PUBLISHED"));
        assert!(!m(q, "$LATEST!!"));
        assert!(m("(|[a-z]+)", ""));
    }

    #[test]
    fn quantifiers() {
        assert!(m("a{2,3}", "aaa"));
        assert!(!m("a{2,3}", "aaaa"));
        assert!(m("a{2,}", "aaaaa"));
        assert!(m("(a?){3}", "a"));
        assert!(m("a*?b", "aab"));
        assert!(!m("a*+a", "aa"), "possessive gives nothing back");
        assert!(m("(a|ab)*+c", "ac"));
        assert!(!m("(a|ab)*+c", "abc"), "the first alternative is kept");
    }

    #[test]
    fn dollar_before_a_final_terminator() {
        assert!(m(r"a$\n", "a\n"));
        assert!(m(r"a$\r\n", "a\r\n"));
        assert!(!m(r"a\r$\n", "a\r\n"), "never between \\r and \\n");
        assert!(!m("a$", "a\n"), "matches() still needs the whole value");
        assert!(m("^a$", "a"));
    }

    #[test]
    fn unsupported_and_invalid() {
        assert!(matches!(parse(r"\p{L}"), Err(ParseError::Unsupported(_))));
        assert!(matches!(parse("[a&&b]"), Err(ParseError::Unsupported(_))));
        assert!(matches!(parse("(?i)a"), Err(ParseError::Unsupported(_))));
        assert!(matches!(parse("[z-a]"), Err(ParseError::Invalid(_))));
        assert!(matches!(parse("a)"), Err(ParseError::Invalid(_))));
        assert!(matches!(parse("*a"), Err(ParseError::Invalid(_))));
    }
}
