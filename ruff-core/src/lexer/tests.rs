//! Unit tests of the lexer: tokens, positions, newline folding and number/string decoding.
//! (Every lexical error message is checked through `parse` in tests/parse_errors.rs.)

use super::*;

fn kinds(src: &str) -> Vec<TokenKind> {
    lex(src).unwrap().into_iter().map(|t| t.kind).collect()
}

fn ident(name: &str) -> TokenKind {
    TokenKind::Ident(name.to_string())
}

fn text(s: &str) -> TokenKind {
    TokenKind::Str(vec![StrPart::Text(s.to_string())])
}

#[test]
fn operators_take_the_longest_match() {
    use Punct::*;
    let expected: Vec<TokenKind> = [
        Shl,
        Shr,
        Le,
        Ge,
        Lt,
        Gt,
        EqEq,
        NotEq,
        Walrus,
        Colon,
        Assign,
        PlusAssign,
        Plus,
        AndAnd,
        Amp,
        OrOr,
        Pipe,
        Caret,
        Tilde,
        Bang,
        PercentAssign,
    ]
    .into_iter()
    .map(TokenKind::Punct)
    .chain([TokenKind::Eof])
    .collect();
    assert_eq!(
        kinds("<< >> <= >= < > == != := : = += + && & || | ^ ~ ! %="),
        expected
    );
}

#[test]
fn keywords_are_reserved_and_identifiers_are_unicode() {
    assert_eq!(
        kinds("loop loops _x π1 not"),
        [
            TokenKind::Keyword(Keyword::Loop),
            ident("loops"),
            ident("_x"),
            ident("π1"),
            TokenKind::Keyword(Keyword::Not),
            TokenKind::Eof
        ]
    );
}

#[test]
fn positions_count_characters_and_lines() {
    let tokens = lex("é\tx\n  \"π\" y").unwrap();
    let spans: Vec<(u32, u32)> = tokens.iter().map(|t| (t.span.line, t.span.col)).collect();
    assert_eq!(spans, [(1, 1), (1, 3), (1, 4), (2, 3), (2, 7), (2, 8)]);
}

#[test]
fn line_breaks_fold_and_comments_vanish() {
    assert_eq!(
        kinds("a\n\n# c\n// d\r\nb /* x */ c /* 1\n2\n3 */ d"),
        [
            ident("a"),
            TokenKind::Newline,
            ident("b"),
            ident("c"),
            TokenKind::Newline,
            ident("d"),
            TokenKind::Eof
        ]
    );
    // A multi-line block comment's line break is reported at its first LF.
    let tokens = lex("a /* x\ny */").unwrap();
    assert_eq!(tokens[1].span, Span::new(1, 7));
}

#[test]
fn numbers() {
    assert_eq!(
        kinds("0 007 1_000 0xFf_ff 2.5e-3 1E2 9223372036854775807"),
        [
            TokenKind::Int(0),
            TokenKind::Int(7),
            TokenKind::Int(1000),
            TokenKind::Int(0xffff),
            TokenKind::Float(2.5e-3),
            TokenKind::Float(100.0),
            TokenKind::Int(i64::MAX),
            TokenKind::Eof
        ]
    );
    assert_eq!(
        kinds("9_223_372_036_854_775_808"),
        [
            TokenKind::IntMinMagnitude("9_223_372_036_854_775_808".into()),
            TokenKind::Eof
        ]
    );
    assert_eq!(kinds("1e400")[0], TokenKind::Float(f64::INFINITY));
    assert_eq!(
        kinds("1.e5"),
        [
            TokenKind::Int(1),
            TokenKind::Punct(Punct::Dot),
            ident("e5"),
            TokenKind::Eof
        ]
    );
}

#[test]
fn strings_decode_escapes_and_split_interpolations() {
    assert_eq!(kinds(r#""a\n\t\r\0\\\"\$b""#)[0], text("a\n\t\r\0\\\"$b"));
    assert_eq!(kinds(r#""$x $ \${y}""#)[0], text("$x $ ${y}"));
    assert_eq!(kinds(r#""""#)[0], text(""));
    let TokenKind::Str(parts) = &kinds("\"a${ {1: 2} }\"")[0] else {
        panic!("not a string")
    };
    assert_eq!(parts[0], StrPart::Text("a".into()));
    let StrPart::Interp { dollar, tokens } = &parts[1] else {
        panic!("not an interpolation")
    };
    assert_eq!(*dollar, Span::new(1, 3));
    // `{`, `1`, `:`, `2`, `}`, then the Eof standing for the closing `}` at column 13.
    assert_eq!(tokens.len(), 6);
    assert_eq!(tokens[5].kind, TokenKind::Eof);
    assert_eq!(tokens[5].span, Span::new(1, 13));
}

#[test]
fn end_of_file_is_just_past_the_last_character() {
    assert_eq!(lex("ab").unwrap()[1].span, Span::new(1, 3));
    assert_eq!(lex("ab\n").unwrap()[2].span, Span::new(2, 1));
}

#[test]
fn every_binary_operator_is_spelled_as_its_table_says() {
    // Each operator of `BinOp::ALL` is written by exactly one punctuation token, whose text
    // is the operator's symbol.
    for row in &crate::ast::BinOp::ALL {
        let spellings: Vec<_> = Punct::ALL
            .iter()
            .filter(|(_, p)| p.binary_op() == Some(row.op))
            .map(|(text, _)| *text)
            .collect();
        assert_eq!(spellings, [row.symbol], "{:?}", row.op);
    }
}
