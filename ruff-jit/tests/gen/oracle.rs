//! A small model of Ruff values and binary operators, written from LANGUAGE.md and
//! LANGUAGE-DETAILS.md §3-§4 and §7 independently of the engine: the generator uses it to know
//! what `x op x` must give, so a program can assert the exact result (`to_string` text) and
//! catch a result that is wrong in *every* config, the interpreter included, which a
//! differential comparison cannot see (the `s += s` bug of issue 14 was such a case).
//!
//! Only what the self-operand shapes need is modelled: both operands are the same value, so
//! struct and function equality (identity) is simply true.

/// A Ruff value as the generator writes it in a program.
#[derive(Clone, Debug)]
pub enum Val {
    Int(i64),
    Float(f64),
    Str(String),
    Bool(bool),
    Null,
    Arr(Vec<Val>),
    /// Keys are Str, Int or Bool values, in insertion order.
    Dict(Vec<(Val, Val)>),
    /// An instance of the generator's `struct Cell { v }`.
    Cell(Box<Val>),
    /// A builtin function by name (`len`, `abs`).
    Func(&'static str),
}

/// The binary operators of LANGUAGE.md (`and`/`or` are spelled `&&`/`||`).
pub const BINARY_OPS: &[&str] = &[
    "+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>", "==", "!=", "<", "<=", ">", ">=", "&&",
    "||",
];

/// The operators that have a compound assignment form `x op= e`.
pub const COMPOUND_OPS: &[&str] = &["+", "-", "*", "/", "%"];

impl Val {
    /// The value as Ruff source text (an expression).
    pub fn source(&self) -> String {
        match self {
            Val::Int(i) if *i == i64::MIN => "(-9223372036854775808)".to_string(),
            Val::Int(i) if *i < 0 => format!("({i})"),
            Val::Int(i) => i.to_string(),
            Val::Float(f) if f.is_nan() => "(0.0 / 0.0)".to_string(),
            Val::Float(f) if f.is_infinite() && *f > 0.0 => "1e400".to_string(),
            Val::Float(f) if f.is_infinite() => "(-1e400)".to_string(),
            Val::Float(f) if *f == 0.0 && f.is_sign_negative() => "(-0.0)".to_string(),
            // `{:?}` always has a `.` or an exponent; Ruff needs a digit after the `.`.
            Val::Float(f) => {
                let text = format!("{:?}", f.abs());
                let text = if text.contains(['.', 'e']) {
                    text
                } else {
                    format!("{text}.0")
                };
                if *f < 0.0 {
                    format!("(-{text})")
                } else {
                    text
                }
            }
            Val::Str(s) => literal(s),
            Val::Bool(b) => b.to_string(),
            Val::Null => "null".to_string(),
            Val::Arr(items) => {
                let items: Vec<String> = items.iter().map(Val::source).collect();
                format!("[{}]", items.join(", "))
            }
            Val::Dict(entries) => {
                let items: Vec<String> = entries
                    .iter()
                    .map(|(k, v)| format!("{}: {}", k.source(), v.source()))
                    .collect();
                format!("{{{}}}", items.join(", "))
            }
            Val::Cell(v) => format!("Cell {{ v: {} }}", v.source()),
            Val::Func(name) => name.to_string(),
        }
    }

    /// The text `print` and `to_string` give (LANGUAGE.md, Output; LANGUAGE-DETAILS §7).
    pub fn display(&self) -> String {
        match self {
            Val::Int(i) => i.to_string(),
            // Rust's Display for f64 is the language's Float format.
            Val::Float(f) => format!("{f}"),
            Val::Str(s) => s.clone(),
            Val::Bool(b) => b.to_string(),
            Val::Null => "null".to_string(),
            Val::Arr(items) => {
                let items: Vec<String> = items.iter().map(Val::display).collect();
                format!("[{}]", items.join(", "))
            }
            Val::Dict(entries) => {
                let items: Vec<String> = entries
                    .iter()
                    .map(|(k, v)| {
                        let key = match k {
                            Val::Str(s) => format!("\"{s}\""),
                            other => other.display(),
                        };
                        format!("{key}: {}", v.display())
                    })
                    .collect();
                format!("{{{}}}", items.join(", "))
            }
            Val::Cell(v) => format!("Cell {{ v: {} }}", v.display()),
            Val::Func(name) => format!("<func {name}>"),
        }
    }

    fn truthy(&self) -> bool {
        match self {
            Val::Int(i) => *i != 0,
            Val::Float(f) => *f != 0.0,
            Val::Str(s) => !s.is_empty(),
            Val::Bool(b) => *b,
            Val::Null => false,
            Val::Arr(items) => !items.is_empty(),
            Val::Dict(entries) => !entries.is_empty(),
            Val::Cell(_) | Val::Func(_) => true,
        }
    }
}

/// A Ruff string literal whose value is `text`.
pub fn literal(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '$' => out.push_str("\\$"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `a == b` for two operands that are the same value (NaN, also inside containers, is unequal).
fn same_equal(a: &Val) -> bool {
    match a {
        Val::Float(f) => !f.is_nan(),
        Val::Arr(items) => items.iter().all(same_equal),
        Val::Dict(entries) => entries.iter().all(|(_, v)| same_equal(v)),
        _ => true,
    }
}

/// `x op x`: the result, or None where the language raises a runtime error.
// Both operands the same is the point here, not a slip.
#[allow(clippy::eq_op)]
pub fn self_binary(op: &str, x: &Val) -> Option<Val> {
    use Val::*;
    Some(match (op, x) {
        ("==", _) => Bool(same_equal(x)),
        ("!=", _) => Bool(!same_equal(x)),
        ("&&", _) | ("||", _) => Bool(x.truthy()),
        ("+", Int(a)) => Int(a.wrapping_add(*a)),
        ("-", Int(a)) => Int(a.wrapping_sub(*a)),
        ("*", Int(a)) => Int(a.wrapping_mul(*a)),
        ("/", Int(0)) | ("%", Int(0)) => return None,
        // i64::MIN / i64::MIN is 1; wrapping_div only matters for MIN / -1.
        ("/", Int(a)) => Int(a.wrapping_div(*a)),
        ("%", Int(a)) => Int(a.wrapping_rem(*a)),
        ("&", Int(a)) => Int(a & a),
        ("|", Int(a)) => Int(a | a),
        ("^", Int(a)) => Int(a ^ a),
        ("<<", Int(a)) if (0..64).contains(a) => Int(a.wrapping_shl(*a as u32)),
        (">>", Int(a)) if (0..64).contains(a) => Int(a >> a),
        ("+", Float(a)) => Float(a + a),
        ("-", Float(a)) => Float(a - a),
        ("*", Float(a)) => Float(a * a),
        ("/", Float(a)) => Float(a / a),
        ("%", Float(a)) => Float(a % a),
        ("<", Int(a)) => Bool(a < a),
        ("<=", Int(a)) => Bool(a <= a),
        (">", Int(a)) => Bool(a > a),
        (">=", Int(a)) => Bool(a >= a),
        ("<", Float(a)) => Bool(a < a),
        ("<=", Float(a)) => Bool(a <= a),
        (">", Float(a)) => Bool(a > a),
        (">=", Float(a)) => Bool(a >= a),
        ("<" | ">", Str(_)) => Bool(false),
        ("<=" | ">=", Str(_)) => Bool(true),
        ("+", Str(s)) => Str(format!("{s}{s}")),
        ("+", Arr(items)) => Arr(items.iter().chain(items).cloned().collect()),
        _ => return None,
    })
}

/// The sample values of each type the self-operand shapes use: zero, signs, the edges of
/// i64, shift counts either side of 63, NaN, infinities, -0, non-ASCII text, empty and
/// nested containers.
pub fn samples() -> Vec<Val> {
    use Val::*;
    vec![
        Int(0),
        Int(1),
        Int(7),
        Int(-3),
        Int(63),
        Int(64),
        Int(3_037_000_500),
        Int(i64::MAX),
        Int(i64::MIN),
        Int(-1),
        Float(2.5),
        Float(-1.5),
        Float(0.0),
        Float(-0.0),
        Float(0.1),
        Float(1e308),
        Float(f64::INFINITY),
        Float(f64::NAN),
        Float(3.0),
        Str(String::new()),
        Str("ab".to_string()),
        Str("héllo".to_string()),
        Str("日本\u{1F600}".to_string()),
        Str("a\"$b".to_string()),
        Bool(true),
        Bool(false),
        Null,
        Arr(vec![Int(1), Float(2.5)]),
        Arr(vec![]),
        Arr(vec![Str("s".to_string()), Null, Arr(vec![Int(3)])]),
        Arr(vec![Float(f64::NAN)]),
        Dict(vec![(Str("a".to_string()), Int(1))]),
        Dict(vec![]),
        Dict(vec![
            (Int(2), Bool(true)),
            (Bool(false), Arr(vec![Str("x".to_string())])),
        ]),
        Cell(Box::new(Int(5))),
        Cell(Box::new(Str("in".to_string()))),
        Func("len"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_basics() {
        assert_eq!(
            self_binary("+", &Val::Str("ab".into())).unwrap().display(),
            "abab"
        );
        assert!(self_binary("+", &Val::Bool(true)).is_none());
        assert!(self_binary("/", &Val::Int(0)).is_none());
        assert_eq!(
            self_binary("/", &Val::Int(i64::MIN)).unwrap().display(),
            "1"
        );
        assert_eq!(
            self_binary("*", &Val::Float(1e308)).unwrap().display(),
            "inf"
        );
        assert_eq!(self_binary("-", &Val::Float(0.0)).unwrap().display(), "0");
    }
}
