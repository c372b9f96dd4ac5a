//! Lexical structure of the compact syntax (RELAX NG Compact Syntax,
//! Appendix A.2): BOM stripping, newline normalization, escape
//! interpretation, then tokenization.
//!
//! Escapes (`\x{N}`) are replaced before tokenizing, as A.2.4 says, so they
//! can spell any part of a token. Each decoded character remembers the byte
//! range it came from, so token spans point into the original text. Two
//! things still tell an escaped character from a literal one: an escaped
//! newline may appear inside a single-quoted literal (A.2.5 forbids only a
//! real one), and an escaped carriage return is not whitespace (real ones
//! were normalized to newlines before escapes were interpreted).
//!
//! Comments and documentation comments (`#`, `##`) are dropped here: the tree
//! keeps no annotations.

use std::fmt;

use crate::xml::is_xml_char;

/// One character after newline normalization and escape interpretation.
#[derive(Clone, Copy, Debug)]
struct Ch {
    c: char,
    /// Byte range in the original text.
    start: usize,
    end: usize,
    /// Whether it was written as an `\x{N}` escape.
    escaped: bool,
}

/// The compact syntax's keywords (A.2.5 `keyword`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Keyword {
    Attribute,
    Default,
    Datatypes,
    Div,
    Element,
    Empty,
    External,
    Grammar,
    Include,
    Inherit,
    List,
    Mixed,
    Namespace,
    NotAllowed,
    Parent,
    Start,
    String,
    Text,
    Token,
}

impl Keyword {
    const ALL: [Keyword; 19] = [
        Keyword::Attribute,
        Keyword::Default,
        Keyword::Datatypes,
        Keyword::Div,
        Keyword::Element,
        Keyword::Empty,
        Keyword::External,
        Keyword::Grammar,
        Keyword::Include,
        Keyword::Inherit,
        Keyword::List,
        Keyword::Mixed,
        Keyword::Namespace,
        Keyword::NotAllowed,
        Keyword::Parent,
        Keyword::Start,
        Keyword::String,
        Keyword::Text,
        Keyword::Token,
    ];

    /// The keyword as written.
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Keyword::Attribute => "attribute",
            Keyword::Default => "default",
            Keyword::Datatypes => "datatypes",
            Keyword::Div => "div",
            Keyword::Element => "element",
            Keyword::Empty => "empty",
            Keyword::External => "external",
            Keyword::Grammar => "grammar",
            Keyword::Include => "include",
            Keyword::Inherit => "inherit",
            Keyword::List => "list",
            Keyword::Mixed => "mixed",
            Keyword::Namespace => "namespace",
            Keyword::NotAllowed => "notAllowed",
            Keyword::Parent => "parent",
            Keyword::Start => "start",
            Keyword::String => "string",
            Keyword::Text => "text",
            Keyword::Token => "token",
        }
    }

    fn from_name(name: &str) -> Option<Keyword> {
        Keyword::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// What a token is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum TokenKind {
    /// End of the input.
    Eof,
    /// A keyword written without a backslash.
    Keyword(Keyword),
    /// An NCName that is not a keyword.
    Identifier(String),
    /// `\name`: an identifier even if `name` is a keyword.
    QuotedIdentifier(String),
    /// `prefix:local`.
    CName(String, String),
    /// `prefix:*`.
    NsName(String),
    /// One literal segment (concatenation with `~` is the parser's job).
    Literal(String),
    /// `=`
    Equals,
    /// `|=`
    OrEquals,
    /// `&=`
    AndEquals,
    /// `,`
    Comma,
    /// `|`
    Pipe,
    /// `&`
    Amp,
    /// `?`
    Question,
    /// `*`
    Star,
    /// `+`
    Plus,
    /// `-`
    Minus,
    /// `~`
    Tilde,
    /// `{`
    LBrace,
    /// `}`
    RBrace,
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `[`
    LBracket,
    /// `]`
    RBracket,
    /// `>>`
    Follow,
}

impl fmt::Display for TokenKind {
    /// How messages name the token: quoted as written, or in words.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let punct = match self {
            TokenKind::Eof => return f.write_str("end of file"),
            TokenKind::Keyword(k) => return write!(f, "\"{}\"", k.as_str()),
            TokenKind::Identifier(name) => return write!(f, "\"{}\"", shorten(name)),
            TokenKind::QuotedIdentifier(name) => return write!(f, "\"\\{}\"", shorten(name)),
            TokenKind::CName(prefix, local) => {
                return write!(f, "\"{}:{}\"", shorten(prefix), shorten(local))
            }
            TokenKind::NsName(prefix) => return write!(f, "\"{}:*\"", shorten(prefix)),
            TokenKind::Literal(_) => return f.write_str("a literal"),
            TokenKind::Equals => "=",
            TokenKind::OrEquals => "|=",
            TokenKind::AndEquals => "&=",
            TokenKind::Comma => ",",
            TokenKind::Pipe => "|",
            TokenKind::Amp => "&",
            TokenKind::Question => "?",
            TokenKind::Star => "*",
            TokenKind::Plus => "+",
            TokenKind::Minus => "-",
            TokenKind::Tilde => "~",
            TokenKind::LBrace => "{",
            TokenKind::RBrace => "}",
            TokenKind::LParen => "(",
            TokenKind::RParen => ")",
            TokenKind::LBracket => "[",
            TokenKind::RBracket => "]",
            TokenKind::Follow => ">>",
        };
        write!(f, "\"{punct}\"")
    }
}

/// Long names are cut in messages.
fn shorten(name: &str) -> String {
    const MAX: usize = 40;
    if name.chars().count() <= MAX {
        name.to_owned()
    } else {
        let mut short: String = name.chars().take(MAX).collect();
        short.push('…');
        short
    }
}

/// A token and the byte range of the original text it was read from.
#[derive(Clone, Debug)]
pub(super) struct Token {
    pub(super) kind: TokenKind,
    pub(super) start: usize,
    pub(super) end: usize,
}

/// A lexical error: what is wrong, and where in the original text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct LexError {
    pub(super) message: String,
    pub(super) start: usize,
    pub(super) end: usize,
}

/// Splits `text` into tokens; the last one is always [`TokenKind::Eof`].
pub(super) fn tokenize(text: &str) -> Result<Vec<Token>, LexError> {
    let chars = decode(text)?;
    Lexer {
        chars: &chars,
        pos: 0,
        text_len: text.len(),
        tokens: Vec::new(),
    }
    .run()
}

/// XML 1.0 (fifth edition) `NameStartChar`, without `:`.
fn is_name_start_char(c: char) -> bool {
    matches!(c,
        'A'..='Z' | '_' | 'a'..='z'
        | '\u{C0}'..='\u{D6}'
        | '\u{D8}'..='\u{F6}'
        | '\u{F8}'..='\u{2FF}'
        | '\u{370}'..='\u{37D}'
        | '\u{37F}'..='\u{1FFF}'
        | '\u{200C}'..='\u{200D}'
        | '\u{2070}'..='\u{218F}'
        | '\u{2C00}'..='\u{2FEF}'
        | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}'
        | '\u{FDF0}'..='\u{FFFD}'
        | '\u{10000}'..='\u{EFFFF}')
}

/// XML 1.0 (fifth edition) `NameChar`, without `:`.
fn is_name_char(c: char) -> bool {
    is_name_start_char(c)
        || matches!(c,
            '-' | '.' | '0'..='9' | '\u{B7}'
            | '\u{300}'..='\u{36F}'
            | '\u{203F}'..='\u{2040}')
}

/// A.2.2–A.2.4: strips a BOM, turns CR LF and lone CR into LF, and replaces
/// `\x{N}` escapes (any number of `x`s) by the character they name.
fn decode(text: &str) -> Result<Vec<Ch>, LexError> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |i: usize| chars.get(i).map_or(text.len(), |&(offset, _)| offset);
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    if let Some(&(_, '\u{FEFF}')) = chars.first() {
        i = 1;
    }
    while let Some(&(start, c)) = chars.get(i) {
        match c {
            '\r' => {
                let next = if matches!(chars.get(i + 1), Some(&(_, '\n'))) {
                    i + 2
                } else {
                    i + 1
                };
                out.push(Ch {
                    c: '\n',
                    start,
                    end: end_of(next),
                    escaped: false,
                });
                i = next;
            }
            '\\' => {
                // An escape is a backslash, one or more `x`, then `{`.
                let mut j = i + 1;
                while matches!(chars.get(j), Some(&(_, 'x'))) {
                    j += 1;
                }
                if j > i + 1 && matches!(chars.get(j), Some(&(_, '{'))) {
                    let (decoded, next) = decode_escape(&chars, i, j + 1, text.len())?;
                    out.push(Ch {
                        c: decoded,
                        start,
                        end: end_of(next),
                        escaped: true,
                    });
                    i = next;
                } else {
                    out.push(Ch {
                        c,
                        start,
                        end: end_of(i + 1),
                        escaped: false,
                    });
                    i += 1;
                }
            }
            _ => {
                if !is_xml_char(c) {
                    return Err(LexError {
                        message: format!(
                            "the character U+{:04X} is not allowed in a schema",
                            u32::from(c)
                        ),
                        start,
                        end: end_of(i + 1),
                    });
                }
                out.push(Ch {
                    c,
                    start,
                    end: end_of(i + 1),
                    escaped: false,
                });
                i += 1;
            }
        }
    }
    Ok(out)
}

/// Reads the hex digits and `}` of an escape whose `\` is at `chars[begin]`
/// and whose digits start at `chars[digits]`. Returns the character and the
/// index after the `}`.
fn decode_escape(
    chars: &[(usize, char)],
    begin: usize,
    digits: usize,
    text_len: usize,
) -> Result<(char, usize), LexError> {
    let start = chars.get(begin).map_or(text_len, |&(offset, _)| offset);
    let mut value: u32 = 0;
    let mut count = 0usize;
    let mut j = digits;
    loop {
        match chars.get(j) {
            Some(&(_, '}')) => break,
            Some(&(_, c)) if c.is_ascii_hexdigit() => {
                let digit = c.to_digit(16).unwrap_or(0);
                // Saturate: anything above 0x10FFFF is rejected below.
                value = value.saturating_mul(16).saturating_add(digit);
                count += 1;
                j += 1;
            }
            Some(&(offset, c)) => {
                return Err(LexError {
                    message: format!(
                        "expected a hexadecimal digit or \"}}\" in the escape \"\\x{{\", found {}",
                        describe_char(c)
                    ),
                    start,
                    end: offset + c.len_utf8(),
                })
            }
            None => {
                return Err(LexError {
                    message:
                        "the escape \"\\x{\" is not closed with \"}\" before the end of the file"
                            .to_owned(),
                    start,
                    end: text_len,
                })
            }
        }
    }
    let end = chars.get(j + 1).map_or(text_len, |&(offset, _)| offset);
    if count == 0 {
        return Err(LexError {
            message: "the escape \"\\x{}\" has no hexadecimal digits".to_owned(),
            start,
            end,
        });
    }
    match char::from_u32(value) {
        Some(c) if is_xml_char(c) => Ok((c, j + 1)),
        _ => Err(LexError {
            message: if value > 0x10FFFF {
                "the escape names a code point above U+10FFFF".to_owned()
            } else {
                format!("the escape names U+{value:04X}, which is not an XML character")
            },
            start,
            end,
        }),
    }
}

fn describe_char(c: char) -> String {
    match c {
        '\n' => "a newline".to_owned(),
        ' ' => "a space".to_owned(),
        '\t' => "a tab".to_owned(),
        c if c.is_control() => format!("U+{:04X}", u32::from(c)),
        c => format!("\"{c}\""),
    }
}

struct Lexer<'c> {
    chars: &'c [Ch],
    pos: usize,
    text_len: usize,
    tokens: Vec<Token>,
}

impl Lexer<'_> {
    fn char_at(&self, i: usize) -> Option<char> {
        self.chars.get(i).map(|ch| ch.c)
    }

    /// Original byte offset where character `i` starts (end of text if none).
    fn offset(&self, i: usize) -> usize {
        self.chars.get(i).map_or(self.text_len, |ch| ch.start)
    }

    /// Original byte offset where character `i - 1` ends.
    fn end_offset(&self, i: usize) -> usize {
        match i.checked_sub(1).and_then(|prev| self.chars.get(prev)) {
            Some(ch) => ch.end,
            None => self.offset(i),
        }
    }

    fn error<T>(&self, message: String, from: usize, to: usize) -> Result<T, LexError> {
        Err(LexError {
            message,
            start: self.offset(from),
            end: self.end_offset(to).max(self.offset(from)),
        })
    }

    fn push(&mut self, kind: TokenKind, from: usize, to: usize) {
        self.tokens.push(Token {
            kind,
            start: self.offset(from),
            end: self.end_offset(to),
        });
        self.pos = to;
    }

    fn run(mut self) -> Result<Vec<Token>, LexError> {
        while let Some(ch) = self.chars.get(self.pos).copied() {
            let i = self.pos;
            let next = self.char_at(i + 1);
            match ch.c {
                ' ' | '\t' | '\n' => self.pos += 1,
                '#' => {
                    while let Some(c) = self.char_at(self.pos) {
                        if c == '\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                '"' | '\'' => self.literal(ch.c)?,
                '\\' => self.quoted_identifier()?,
                '=' => self.push(TokenKind::Equals, i, i + 1),
                '|' if next == Some('=') => self.push(TokenKind::OrEquals, i, i + 2),
                '&' if next == Some('=') => self.push(TokenKind::AndEquals, i, i + 2),
                '|' => self.push(TokenKind::Pipe, i, i + 1),
                '&' => self.push(TokenKind::Amp, i, i + 1),
                ',' => self.push(TokenKind::Comma, i, i + 1),
                '?' => self.push(TokenKind::Question, i, i + 1),
                '*' => self.push(TokenKind::Star, i, i + 1),
                '+' => self.push(TokenKind::Plus, i, i + 1),
                '-' => self.push(TokenKind::Minus, i, i + 1),
                '~' => self.push(TokenKind::Tilde, i, i + 1),
                '{' => self.push(TokenKind::LBrace, i, i + 1),
                '}' => self.push(TokenKind::RBrace, i, i + 1),
                '(' => self.push(TokenKind::LParen, i, i + 1),
                ')' => self.push(TokenKind::RParen, i, i + 1),
                '[' => self.push(TokenKind::LBracket, i, i + 1),
                ']' => self.push(TokenKind::RBracket, i, i + 1),
                '>' if next == Some('>') => self.push(TokenKind::Follow, i, i + 2),
                '>' => {
                    return self.error("expected \">>\", found a single \">\"".to_owned(), i, i + 1)
                }
                c if is_name_start_char(c) => self.name()?,
                c => {
                    let what = if ch.escaped {
                        format!("{} (written as an escape)", describe_char(c))
                    } else {
                        describe_char(c)
                    };
                    return self.error(format!("unexpected character {what}"), i, i + 1);
                }
            }
        }
        let end = self.text_len;
        self.tokens.push(Token {
            kind: TokenKind::Eof,
            start: end,
            end,
        });
        Ok(self.tokens)
    }

    /// Reads an NCName starting at `from`; returns it and the index after it.
    fn ncname(&self, from: usize) -> (String, usize) {
        let mut j = from;
        let mut name = String::new();
        while let Some(c) = self.char_at(j) {
            if (j == from && !is_name_start_char(c)) || !is_name_char(c) {
                break;
            }
            name.push(c);
            j += 1;
        }
        (name, j)
    }

    /// An identifier, keyword, `prefix:local` or `prefix:*`.
    fn name(&mut self) -> Result<(), LexError> {
        let i = self.pos;
        let (name, j) = self.ncname(i);
        if self.char_at(j) != Some(':') {
            let kind = match Keyword::from_name(&name) {
                Some(keyword) => TokenKind::Keyword(keyword),
                None => TokenKind::Identifier(name),
            };
            self.push(kind, i, j);
            return Ok(());
        }
        match self.char_at(j + 1) {
            Some('*') => {
                self.push(TokenKind::NsName(name), i, j + 2);
                Ok(())
            }
            Some(c) if is_name_start_char(c) => {
                let (local, k) = self.ncname(j + 1);
                self.push(TokenKind::CName(name, local), i, k);
                Ok(())
            }
            _ => self.error(
                format!("expected a local name or \"*\" after \"{name}:\""),
                i,
                j + 1,
            ),
        }
    }

    /// `\name`: an identifier that may spell a keyword.
    fn quoted_identifier(&mut self) -> Result<(), LexError> {
        let i = self.pos;
        match self.char_at(i + 1) {
            Some(c) if is_name_start_char(c) => {
                let (name, j) = self.ncname(i + 1);
                if self.char_at(j) == Some(':') {
                    return self.error(
                        "a quoted identifier (\"\\name\") can't have a prefix".to_owned(),
                        i,
                        j + 1,
                    );
                }
                self.push(TokenKind::QuotedIdentifier(name), i, j);
                Ok(())
            }
            _ => self.error(
                "expected a name after \"\\\" (a quoted identifier)".to_owned(),
                i,
                i + 1,
            ),
        }
    }

    /// A literal segment in `"`, `'`, `"""` or `'''`.
    fn literal(&mut self, quote: char) -> Result<(), LexError> {
        let i = self.pos;
        let triple = self.char_at(i + 1) == Some(quote) && self.char_at(i + 2) == Some(quote);
        let mut value = String::new();
        if triple {
            let mut j = i + 3;
            loop {
                match self.char_at(j) {
                    Some(c)
                        if c == quote
                            && self.char_at(j + 1) == Some(quote)
                            && self.char_at(j + 2) == Some(quote) =>
                    {
                        self.push(TokenKind::Literal(value), i, j + 3);
                        return Ok(());
                    }
                    Some(c) => {
                        value.push(c);
                        j += 1;
                    }
                    None => {
                        return self.error(
                            format!(
                                "the literal starting with {quote}{quote}{quote} is not closed \
                                 before the end of the file"
                            ),
                            i,
                            i + 3,
                        )
                    }
                }
            }
        }
        let mut j = i + 1;
        loop {
            match self.chars.get(j) {
                Some(ch) if ch.c == quote => {
                    self.push(TokenKind::Literal(value), i, j + 1);
                    return Ok(());
                }
                Some(ch) if ch.c == '\n' && !ch.escaped => {
                    return self.error(
                        format!(
                            "the literal starting with {quote} is not closed before the end of \
                             the line (use {quote}{quote}{quote} for a literal that spans lines, \
                             or \\x{{A}} for a newline)"
                        ),
                        i,
                        j,
                    )
                }
                Some(ch) => {
                    value.push(ch.c);
                    j += 1;
                }
                None => {
                    return self.error(
                        format!(
                            "the literal starting with {quote} is not closed before the end of \
                             the file"
                        ),
                        i,
                        j,
                    )
                }
            }
        }
    }
}
