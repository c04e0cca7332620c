//! The parser never panics: every prefix of every conformance program, and assorted garbage,
//! gives `Ok` or an error with a real position. Also: the conformance programs parse, and
//! the syntax-error one fails where it should.

use std::fs;
use std::path::PathBuf;

use ruff_core::parser::parse;

fn conformance_programs() -> Vec<(String, String)> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../conformance"));
    let mut programs: Vec<(String, String)> = fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "ruff"))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, fs::read_to_string(&path).unwrap())
        })
        .collect();
    programs.sort();
    assert!(programs.len() >= 5, "conformance programs not found");
    programs
}

fn assert_no_panic(bytes: &[u8]) {
    if let Err(err) = parse(bytes) {
        assert!(
            err.span.line >= 1 && err.span.col >= 1,
            "bad position {:?} for {:?}",
            err.span,
            String::from_utf8_lossy(bytes)
        );
    }
}

#[test]
fn conformance_programs_parse() {
    for (name, source) in conformance_programs() {
        let result = parse(source.as_bytes());
        if name == "err_syntax.ruff" {
            let err = result.expect_err("err_syntax.ruff must not parse");
            assert_eq!(err.span.line, 3, "{err}");
        } else {
            assert!(result.is_ok(), "{name}: {}", result.unwrap_err());
        }
    }
}

#[test]
fn every_prefix_of_every_conformance_program() {
    for (_, source) in conformance_programs() {
        let boundaries = source.char_indices().map(|(i, _)| i).chain([source.len()]);
        for end in boundaries {
            assert_no_panic(&source.as_bytes()[..end]);
        }
    }
}

#[test]
fn garbage_inputs() {
    let samples: &[&[u8]] = &[
        b"",
        b"\xff\xfe",
        b"\"\xc3",
        b"}}}",
        b"))(",
        b"func",
        b"struct",
        b"\"${",
        b"\"${\"${\"${",
        b"\"${}}\"",
        b"{:}",
        b"-",
        b"- -9223372036854775808",
        b"x := --9223372036854775808",
        b"a.b.c.d(",
        b"if else { } }",
        b"/*",
        b"0x",
        b"1e+",
        b"let",
        b"for",
        b"return return",
        b"struct S { func }",
        b"S { a: }",
        b"\r\r\n\t;",
        b"\0\x01\x02",
    ];
    for sample in samples {
        assert_no_panic(sample);
    }
    // Every byte value, alone and after a valid statement.
    for byte in 0..=255u8 {
        assert_no_panic(&[byte]);
        assert_no_panic(&[b'x', b' ', b':', b'=', b' ', byte]);
    }
}
