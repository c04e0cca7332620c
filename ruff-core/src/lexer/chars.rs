//! Character classes of the lexer (LANGUAGE-DETAILS §1) and how characters are shown in
//! lexical error messages (§6).

use unicode_general_category::{get_general_category, GeneralCategory};

/// Letters are the categories Lu Ll Lt Lm Lo (deliberately not `char::is_alphabetic`, which
/// also accepts Nl such as `Ⅻ` and some marks).
pub fn is_letter(c: char) -> bool {
    matches!(
        get_general_category(c),
        GeneralCategory::UppercaseLetter
            | GeneralCategory::LowercaseLetter
            | GeneralCategory::TitlecaseLetter
            | GeneralCategory::ModifierLetter
            | GeneralCategory::OtherLetter
    )
}

pub fn is_ident_start(c: char) -> bool {
    c == '_' || is_letter(c)
}

/// Only ASCII digits continue an identifier: `x٣` is `x` then an unexpected character.
pub fn is_ident_continue(c: char) -> bool {
    c == '_' || c.is_ascii_digit() || is_letter(c)
}

/// `\xhh`, `\uhhhh` or `\Uhhhhhhhh`, by the smallest width that holds the code point.
fn hex_escape(c: char) -> String {
    let code = c as u32;
    if code < 0x100 {
        format!("\\x{code:02x}")
    } else if code < 0x10000 {
        format!("\\u{code:04x}")
    } else {
        format!("\\U{code:08x}")
    }
}

/// The quoted character of `unexpected character 'C'`: invisible and separator characters
/// are escaped so that the message is readable; a quote is wrapped in double quotes.
pub fn quote_unexpected(c: char) -> String {
    let invisible = matches!(
        get_general_category(c),
        GeneralCategory::Control
            | GeneralCategory::Format
            | GeneralCategory::Surrogate
            | GeneralCategory::PrivateUse
            | GeneralCategory::Unassigned
            | GeneralCategory::SpaceSeparator
            | GeneralCategory::LineSeparator
            | GeneralCategory::ParagraphSeparator
    );
    match c {
        '\\' => "'\\\\'".to_string(),
        '\'' => "\"'\"".to_string(),
        _ if invisible => format!("'{}'", hex_escape(c)),
        _ => format!("'{c}'"),
    }
}

/// The quoted escape of `invalid escape sequence '\C'`; `None` is the end of the file.
pub fn quote_bad_escape(c: Option<char>) -> String {
    match c {
        None => "''".to_string(),
        Some('\n') => "'\\n'".to_string(),
        Some('\t') => "'\\t'".to_string(),
        Some('\r') => "'\\r'".to_string(),
        Some(c) if (c as u32) < 0x20 => format!("'{}'", hex_escape(c)),
        Some(c) => format!("'\\{c}'"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_follow_unicode_categories() {
        assert!(is_ident_start('π') && is_ident_start('変') && is_ident_start('_'));
        assert!(!is_ident_start('Ⅻ') && !is_ident_start('1'));
        assert!(is_ident_continue('7') && !is_ident_continue('٣'));
    }

    #[test]
    fn unexpected_characters_are_escaped_by_category() {
        assert_eq!(quote_unexpected('@'), "'@'");
        assert_eq!(quote_unexpected('\\'), "'\\\\'");
        assert_eq!(quote_unexpected('\''), "\"'\"");
        assert_eq!(quote_unexpected('\u{a0}'), "'\\xa0'");
        assert_eq!(quote_unexpected('\u{feff}'), "'\\ufeff'");
        assert_eq!(quote_unexpected('\u{2028}'), "'\\u2028'");
        assert_eq!(quote_unexpected('\u{f0000}'), "'\\U000f0000'");
        assert_eq!(quote_unexpected('\u{1}'), "'\\x01'");
    }

    #[test]
    fn bad_escapes_are_shown_readably() {
        assert_eq!(quote_bad_escape(Some('q')), "'\\q'");
        assert_eq!(quote_bad_escape(Some('\n')), "'\\n'");
        assert_eq!(quote_bad_escape(Some('\u{1b}')), "'\\x1b'");
        assert_eq!(quote_bad_escape(None), "''");
    }
}
