//! Input builders shared by the fuzz targets: the characters AWS's patterns care about, strings
//! biased to match (or nearly match) a pattern, and random patterns in the Java subset of
//! [`crate::java_regex`].

use crate::java_regex::{Class, Node};
use arbitrary::Unstructured;

/// Characters that sit on the edges of the contract's patterns: ASCII letters, digits and
/// punctuation they use, Java's white space and line terminators, and Unicode look-alikes that a
/// Unicode-aware regex would treat differently (digits, spaces, letters, case-folding traps).
pub const ALPHABET: &[char] = &[
    'a',
    'b',
    'f',
    'n',
    'o',
    's',
    'u',
    'w',
    'x',
    'z',
    'A',
    'L',
    'T',
    'Z',
    '0',
    '1',
    '2',
    '9',
    '-',
    '_',
    '.',
    ':',
    '$',
    '*',
    '+',
    '=',
    ',',
    '@',
    '/',
    '#',
    '?',
    '!',
    '~',
    '&',
    '<',
    '>',
    '[',
    ']',
    '^',
    '(',
    ')',
    '{',
    '}',
    '|',
    '\\',
    '"',
    '\'',
    '%',
    ' ',
    '\t',
    '\n',
    '\u{0B}',
    '\u{0C}',
    '\r',
    '\u{0}',
    '\u{1B}',
    '\u{7F}',
    '\u{85}',    // NEL: a Java line terminator, not `\s`
    '\u{A0}',    // NBSP: Unicode space, not Java `\s`
    '\u{1680}',  // OGHAM SPACE MARK
    '\u{2003}',  // EM SPACE
    '\u{2028}',  // LINE SEPARATOR
    '\u{2029}',  // PARAGRAPH SEPARATOR
    '\u{3000}',  // IDEOGRAPHIC SPACE
    '\u{FEFF}',  // BOM
    '\u{661}',   // ARABIC-INDIC DIGIT ONE: Unicode \d
    '\u{966}',   // DEVANAGARI DIGIT ZERO
    '\u{FF11}',  // FULLWIDTH DIGIT ONE
    '\u{1D7CE}', // MATHEMATICAL BOLD DIGIT ZERO (outside the BMP)
    'é',
    'ß',
    'İ',
    'ı',
    '\u{17F}',   // LATIN SMALL LETTER LONG S: folds to 's'
    '\u{212A}',  // KELVIN SIGN: folds to 'k'
    '\u{FF41}',  // FULLWIDTH LATIN SMALL LETTER A
    '\u{1F600}', // an emoji (outside the BMP)
    '\u{10FFFF}',
];

/// Multi-character pieces of the contract's values.
pub const TOKENS: &[&str] = &[
    "arn:",
    "aws",
    "aws-cn",
    "aws-us-gov",
    ":lambda:",
    "lambda:",
    "function:",
    "$LATEST",
    ".PUBLISHED",
    "us-east-1",
    "us-gov-west-1",
    "eusc-de-east-1",
    "us-isob-east-1",
    "123456789012",
    "o-",
    "abcdefghij",
    "InvokeFunction",
    "s3.amazonaws.com",
    "arn:aws:s3:::bucket",
    "arn:aws:iam::123456789012:role/r",
    "\r\n",
];

/// A string of `max_len` pieces at most, each an alphabet character or a token.
pub fn soup(u: &mut Unstructured, max_len: usize) -> String {
    let mut out = String::new();
    let n = u.int_in_range(0..=max_len).unwrap_or(0);
    for _ in 0..n {
        push_piece(u, &mut out);
    }
    out
}

fn push_piece(u: &mut Unstructured, out: &mut String) {
    if u.ratio(1, 6).unwrap_or(false) {
        out.push_str(u.choose(TOKENS).copied().unwrap_or(""));
    } else {
        out.push(u.choose(ALPHABET).copied().unwrap_or('a'));
    }
}

/// A string that matches `node` when the bytes allow it (every choice made from `u`), before
/// [`mutate`] perturbs it.
pub fn matching(node: &Node, u: &mut Unstructured, out: &mut String, depth: usize) {
    if depth > 12 || out.len() > 80 {
        return;
    }
    match node {
        Node::Empty | Node::Begin => {}
        Node::End => {
            // Java's `$` also matches before a final line terminator.
            if u.ratio(1, 8).unwrap_or(false) {
                out.push_str(
                    u.choose(&["\n", "\r\n", "\r", "\u{85}", "\u{2028}"])
                        .unwrap_or(&"\n"),
                );
            }
        }
        Node::Literal(c) => out.push(*c),
        Node::Dot => out.push(pick(u, |c| !crate::java_regex::is_line_terminator(c))),
        Node::Class(cl) => out.push(pick_in(u, cl)),
        Node::Group(g) => matching(g, u, out, depth + 1),
        Node::Concat(v) => v.iter().for_each(|n| matching(n, u, out, depth + 1)),
        Node::Alt(v) => {
            if let Ok(b) = u.choose(v) {
                matching(b, u, out, depth + 1);
            }
        }
        Node::Repeat { node, min, max, .. } => {
            let hi = max.unwrap_or(min + 4).min(min + 12);
            let n = u.int_in_range(*min..=hi).unwrap_or(*min);
            for _ in 0..n {
                matching(node, u, out, depth + 1);
            }
        }
    }
}

fn pick(u: &mut Unstructured, keep: impl Fn(char) -> bool) -> char {
    let candidates: Vec<char> = ALPHABET.iter().copied().filter(|&c| keep(c)).collect();
    u.choose(&candidates)
        .copied()
        .unwrap_or_else(|_| candidates.first().copied().unwrap_or('a'))
}

fn pick_in(u: &mut Unstructured, cl: &Class) -> char {
    // Class members from the alphabet, plus the class's own literal characters and range ends.
    let mut candidates: Vec<char> = ALPHABET
        .iter()
        .copied()
        .filter(|&c| cl.contains(c))
        .collect();
    for item in &cl.items {
        match *item {
            crate::java_regex::Item::Char(c) if cl.contains(c) => candidates.push(c),
            crate::java_regex::Item::Range(lo, hi) => {
                for c in [lo, hi] {
                    if cl.contains(c) {
                        candidates.push(c);
                    }
                }
            }
            _ => {}
        }
    }
    if candidates.is_empty() {
        return u.choose(ALPHABET).copied().unwrap_or('a');
    }
    u.choose(&candidates).copied().unwrap_or(candidates[0])
}

/// Inserts, deletes or replaces a few characters, so the string lands just inside or just
/// outside the pattern.
pub fn mutate(s: &str, u: &mut Unstructured) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    let edits = u.int_in_range(0..=3u8).unwrap_or(0);
    for _ in 0..edits {
        let at = u.int_in_range(0..=chars.len()).unwrap_or(0);
        match u.int_in_range(0..=2u8).unwrap_or(0) {
            0 => {
                let mut piece = String::new();
                push_piece(u, &mut piece);
                chars.splice(at..at, piece.chars());
            }
            1 if at < chars.len() => {
                chars.remove(at);
            }
            _ if at < chars.len() => chars[at] = u.choose(ALPHABET).copied().unwrap_or('a'),
            _ => {}
        }
    }
    chars.into_iter().collect()
}

/// A random pattern in Java syntax, mostly inside the subset [`crate::java_regex`] supports,
/// with the class and escape corner cases where Java and Rust syntax disagree.
pub fn java_pattern(u: &mut Unstructured) -> String {
    let mut out = String::new();
    alt(u, &mut out, 0);
    out
}

fn alt(u: &mut Unstructured, out: &mut String, depth: usize) {
    let branches = if depth < 3 {
        u.int_in_range(1..=3u8).unwrap_or(1)
    } else {
        1
    };
    for b in 0..branches {
        if b > 0 {
            out.push('|');
        }
        let atoms = u.int_in_range(0..=4u8).unwrap_or(0);
        for _ in 0..atoms {
            atom(u, out, depth);
            quantifier(u, out);
        }
    }
}

/// Characters that are literal outside a class in both Java and Rust without escaping.
const PLAIN: &[char] = &[
    'a',
    'b',
    'z',
    'A',
    'Z',
    '0',
    '9',
    '-',
    '_',
    ':',
    '/',
    '@',
    ',',
    '=',
    '!',
    '#',
    '%',
    '&',
    '~',
    '<',
    '>',
    '"',
    ' ',
    '}',
    ']',
    'é',
    '\u{661}',
    '\u{A0}',
    '\u{2028}',
    '\u{1F600}',
];

/// Characters escaped with a backslash (Java: literal, whatever they are).
const ESCAPABLE: &[char] = &[
    '.', '$', '^', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '\\', '-', '&', '~', '<', '>',
    '#', '@', '/', ':', '!', '"', ' ', '=', '%', ',', '_', 'é',
];

fn atom(u: &mut Unstructured, out: &mut String, depth: usize) {
    match u.int_in_range(0..=11u8).unwrap_or(0) {
        0..=2 => out.push(u.choose(PLAIN).copied().unwrap_or('a')),
        3 => {
            out.push('\\');
            out.push(u.choose(ESCAPABLE).copied().unwrap_or('.'));
        }
        4 => out.push_str(
            u.choose(&[
                r"\d", r"\D", r"\s", r"\S", r"\w", r"\W", r"\t", r"\n", r"\r", r"\f",
            ])
            .unwrap_or(&r"\d"),
        ),
        5 => out.push('.'),
        6 | 7 => class(u, out),
        8 | 9 if depth < 4 => {
            out.push_str(if u.arbitrary().unwrap_or(false) {
                "("
            } else {
                "(?:"
            });
            alt(u, out, depth + 1);
            out.push(')');
        }
        10 => out.push('^'),
        11 => out.push('$'),
        _ => out.push('a'),
    }
}

/// Class members, including the spots where Java and Rust read `-`, `&`, `~` differently.
const CLASS_CHARS: &[char] = &[
    'a', 'c', 'z', 'A', 'Z', '0', '5', '9', '_', '.', '$', '*', '+', '?', '(', ')', '{', '}', '|',
    '/', ':', '@', '=', ',', ' ', '#', '<', '>', '!', '-', '-', '&', '~', '^', 'é', '\u{661}',
    '\u{A0}', '\u{2028}',
];

fn class(u: &mut Unstructured, out: &mut String) {
    out.push('[');
    if u.arbitrary().unwrap_or(false) {
        out.push('^');
    }
    if u.ratio(1, 8).unwrap_or(false) {
        out.push(']');
    }
    let items = u.int_in_range(1..=4u8).unwrap_or(1);
    for _ in 0..items {
        match u.int_in_range(0..=5u8).unwrap_or(0) {
            0 | 1 => out.push(u.choose(CLASS_CHARS).copied().unwrap_or('a')),
            2 => {
                out.push('\\');
                out.push(
                    u.choose(&['-', ']', '[', '\\', '^', '.', '$', '&', '~', '*', ' '])
                        .copied()
                        .unwrap_or('-'),
                );
            }
            3 => out.push_str(
                u.choose(&[r"\d", r"\s", r"\w", r"\D", r"\S", r"\W", r"\t", r"\n"])
                    .unwrap_or(&r"\d"),
            ),
            _ => {
                let lo = u.choose(CLASS_CHARS).copied().unwrap_or('a');
                let hi = u.choose(CLASS_CHARS).copied().unwrap_or('z');
                let (lo, hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
                out.push(lo);
                out.push('-');
                out.push(hi);
            }
        }
    }
    out.push(']');
}

fn quantifier(u: &mut Unstructured, out: &mut String) {
    let q = u.int_in_range(0..=12u8).unwrap_or(0);
    let text = match q {
        0 => "?",
        1 => "*",
        2 => "+",
        3 => "{2}",
        4 => "{0,2}",
        5 => "{1,}",
        6 => "{1,3}",
        _ => return,
    };
    out.push_str(text);
    match u.int_in_range(0..=5u8).unwrap_or(0) {
        0 => out.push('?'),
        1 => out.push('+'),
        _ => {}
    }
}
