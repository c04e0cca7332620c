//! The tokens the lexer produces and how syntax errors name them (LANGUAGE-DETAILS §6 "D").
//!
//! An interpolated string carries the tokens of each `${ … }` as its own token list, ended by
//! an `Eof` token placed at the closing `}`: the parser reads each part with a sub-parser, and
//! the closing `}` is named `end of file` in messages, as the contract asks.

use crate::ast::BinOp;
use crate::span::Span;

#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub kind: TokenKind,
    /// Where the token starts (for `Newline`, its LF; for `Eof`, just past the last character).
    pub span: Span,
}

/// One piece of a string literal.
#[derive(Clone, Debug, PartialEq)]
pub enum StrPart {
    Text(String),
    /// `${ … }`: `dollar` is the `$`; `tokens` ends with an `Eof` at the closing `}`.
    Interp {
        dollar: Span,
        tokens: Vec<Token>,
    },
}

impl Drop for StrPart {
    /// Interpolations nest (`"${"${x}"}"`) up to the parser's limit, and the derived drop
    /// recurses once per level: each level is freed under the growable-stack guard.
    fn drop(&mut self) {
        if let StrPart::Interp { tokens, .. } = self {
            let tokens = std::mem::take(tokens);
            crate::deep::guard(move || drop(tokens));
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keyword {
    Let,
    Mut,
    Const,
    Func,
    Return,
    If,
    Else,
    While,
    Loop,
    For,
    In,
    Break,
    Continue,
    Struct,
    True,
    False,
    Null,
    And,
    Or,
    Not,
}

impl Keyword {
    const ALL: [(&'static str, Keyword); 20] = [
        ("let", Keyword::Let),
        ("mut", Keyword::Mut),
        ("const", Keyword::Const),
        ("func", Keyword::Func),
        ("return", Keyword::Return),
        ("if", Keyword::If),
        ("else", Keyword::Else),
        ("while", Keyword::While),
        ("loop", Keyword::Loop),
        ("for", Keyword::For),
        ("in", Keyword::In),
        ("break", Keyword::Break),
        ("continue", Keyword::Continue),
        ("struct", Keyword::Struct),
        ("true", Keyword::True),
        ("false", Keyword::False),
        ("null", Keyword::Null),
        ("and", Keyword::And),
        ("or", Keyword::Or),
        ("not", Keyword::Not),
    ];

    pub fn from_word(word: &str) -> Option<Keyword> {
        Keyword::ALL
            .iter()
            .find(|(text, _)| *text == word)
            .map(|(_, kw)| *kw)
    }

    pub fn text(self) -> &'static str {
        Keyword::ALL
            .iter()
            .find(|(_, kw)| *kw == self)
            .map(|(text, _)| *text)
            .unwrap_or("?")
    }
}

/// Operators and punctuation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Punct {
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    Comma,
    Semicolon,
    Colon,
    Dot,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Amp,
    Pipe,
    Caret,
    Tilde,
    Bang,
    Shl,
    Shr,
    EqEq,
    NotEq,
    Lt,
    Gt,
    Le,
    Ge,
    AndAnd,
    OrOr,
    Walrus,
    Assign,
    PlusAssign,
    MinusAssign,
    StarAssign,
    SlashAssign,
    PercentAssign,
}

impl Punct {
    /// Longest first, so that the lexer's first match is the maximal munch.
    pub const ALL: [(&'static str, Punct); 37] = [
        ("<<", Punct::Shl),
        (">>", Punct::Shr),
        ("==", Punct::EqEq),
        ("!=", Punct::NotEq),
        ("<=", Punct::Le),
        (">=", Punct::Ge),
        ("&&", Punct::AndAnd),
        ("||", Punct::OrOr),
        (":=", Punct::Walrus),
        ("+=", Punct::PlusAssign),
        ("-=", Punct::MinusAssign),
        ("*=", Punct::StarAssign),
        ("/=", Punct::SlashAssign),
        ("%=", Punct::PercentAssign),
        ("(", Punct::LParen),
        (")", Punct::RParen),
        ("[", Punct::LBracket),
        ("]", Punct::RBracket),
        ("{", Punct::LBrace),
        ("}", Punct::RBrace),
        (",", Punct::Comma),
        (";", Punct::Semicolon),
        (":", Punct::Colon),
        (".", Punct::Dot),
        ("+", Punct::Plus),
        ("-", Punct::Minus),
        ("*", Punct::Star),
        ("/", Punct::Slash),
        ("%", Punct::Percent),
        ("&", Punct::Amp),
        ("|", Punct::Pipe),
        ("^", Punct::Caret),
        ("~", Punct::Tilde),
        ("!", Punct::Bang),
        ("<", Punct::Lt),
        (">", Punct::Gt),
        ("=", Punct::Assign),
    ];

    /// The binary operator this punctuation stands for as an infix operator (`-` also
    /// stands for unary minus, which the parser tells apart by position).
    pub fn binary_op(self) -> Option<BinOp> {
        Some(match self {
            Punct::Plus => BinOp::Add,
            Punct::Minus => BinOp::Sub,
            Punct::Star => BinOp::Mul,
            Punct::Slash => BinOp::Div,
            Punct::Percent => BinOp::Mod,
            Punct::Amp => BinOp::BitAnd,
            Punct::Pipe => BinOp::BitOr,
            Punct::Caret => BinOp::BitXor,
            Punct::Shl => BinOp::Shl,
            Punct::Shr => BinOp::Shr,
            Punct::EqEq => BinOp::Eq,
            Punct::NotEq => BinOp::Ne,
            Punct::Lt => BinOp::Lt,
            Punct::Le => BinOp::Le,
            Punct::Gt => BinOp::Gt,
            Punct::Ge => BinOp::Ge,
            _ => return None,
        })
    }

    pub fn text(self) -> &'static str {
        Punct::ALL
            .iter()
            .find(|(_, p)| *p == self)
            .map(|(text, _)| *text)
            .unwrap_or("?")
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum TokenKind {
    Ident(String),
    Keyword(Keyword),
    Punct(Punct),
    Int(i64),
    /// The literal 2^63 (as written): valid only as the direct operand of unary minus.
    IntMinMagnitude(String),
    Float(f64),
    Str(Vec<StrPart>),
    /// One or more line breaks (a multi-line block comment counts as one).
    Newline,
    Eof,
}

impl TokenKind {
    /// The token as syntax errors name it: `identifier 'x'`, `number`, `'='`, ...
    pub fn describe(&self) -> String {
        match self {
            TokenKind::Ident(name) => format!("identifier '{name}'"),
            TokenKind::Keyword(kw) => format!("'{}'", kw.text()),
            TokenKind::Punct(p) => format!("'{}'", p.text()),
            TokenKind::Int(_) | TokenKind::IntMinMagnitude(_) | TokenKind::Float(_) => {
                "number".to_string()
            }
            TokenKind::Str(_) => "string".to_string(),
            TokenKind::Newline => "newline".to_string(),
            TokenKind::Eof => "end of file".to_string(),
        }
    }
}
