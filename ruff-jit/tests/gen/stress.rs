//! The stress shapes of the generator, the ones an adversary found that ordinary random
//! programs never reach (issue 14): long flat operator chains, deeply nested expressions and
//! blocks, functions with thousands of locals, programs with many loops at top level, and
//! strings mixed into numeric loops (a variable's type changes mid-loop, so guards fail and
//! compiled code deoptimizes). Where the result is easy to know, the program asserts it.
//!
//! Sizes are bounded by the front end's nesting limit (`NEST_LIMIT`) and by the work budget,
//! so thousands of programs still run in a CI step.

use ruff_core::parser::MAX_NESTING;

use super::oracle::literal;
use super::{Body, Class, Gen, RISKY_MARK};

/// The nesting the generator may use, in the parser's levels (each parenthesis, block, call
/// ... is one or more): a few thousand, or less while the parser's limit is lower (it was 500
/// before issue 14; `docs/LIMITS.md` states the current one).
pub const NEST_LIMIT: usize = if MAX_NESTING >= 3100 {
    3000
} else {
    MAX_NESTING - 40
};

/// Whether the parser counts each operator of a left-associative chain as a level of
/// nesting: the 500-level parser did, the one taking 100,000 levels takes chains of any
/// length (a chain is not nesting).
const CHAINS_NEST: bool = MAX_NESTING < 10_000;

/// The longest flat chain the generator makes when chains do not nest.
pub const CHAIN_LIMIT: usize = 3000;

/// Pieces of Str chains (their value is known, so the chain's text is asserted).
const PIECES: &[&str] = &["a", "xy", "é", "日本", "", "Z9", " "];

/// The program-level shape marker for a function over the locals limit: such a program must
/// fail to compile (exit 65) under every config.
pub const TOO_MANY_LOCALS_MARK: &str = "# expect: too many locals";

impl Gen {
    /// Levels of nesting still free at the current indentation (each block level is counted
    /// as several, generously).
    fn nest_budget(&self) -> usize {
        NEST_LIMIT.saturating_sub(6 * self.indent + 12)
    }

    /// A length for a chain or a depth for nesting: mostly modest, sometimes the most allowed.
    fn size_up_to(&mut self, most: usize) -> usize {
        let choice = *self.rng.pick(&[3, 10, 30, 100, 300, usize::MAX]);
        choice.min(most).max(2)
    }

    // ---- long flat chains ---------------------------------------------------------------

    /// `v := t op t op t ...` with hundreds of terms: a left-associative chain is no nesting.
    pub(super) fn flat_chain(&mut self) {
        let most = if CHAINS_NEST {
            self.nest_budget()
        } else {
            CHAIN_LIMIT
        };
        let most = most.min((20_000 / self.mult) as usize);
        if most < 4 {
            return self.assignment();
        }
        let n = self.size_up_to(most);
        let name = self.fresh("ch");
        match self.rng.below(7) {
            0 | 1 => {
                // Int literals with + and -: the wrapped sum is known.
                let mut sum = 0i64;
                let mut text = String::new();
                for k in 0..n {
                    let (lit, value) = *self.rng.pick(&[
                        ("1", 1i64),
                        ("7", 7),
                        ("1000", 1000),
                        ("9223372036854775807", i64::MAX),
                    ]);
                    let minus = k > 0 && self.rng.chance(30);
                    if k > 0 {
                        text.push_str(if minus { " - " } else { " + " });
                    }
                    text.push_str(lit);
                    sum = if minus {
                        sum.wrapping_sub(value)
                    } else {
                        sum.wrapping_add(value)
                    };
                }
                self.line(&format!("{name} := {text}"));
                self.line(&format!(
                    "assert({name} == {}, \"int chain\")",
                    int_source(sum)
                ));
                self.declare(&name, Class::Int);
            }
            2 => {
                // One variable used n times: `x + x + ... + x` is `x * n` (both wrap).
                let Some(x) = self.pick_var(&[Class::Int], false) else {
                    return self.assignment();
                };
                let text = vec![x.as_str(); n].join(" + ");
                self.line(&format!("{name} := {text}"));
                self.line(&format!("assert({name} == {x} * {n}, \"self chain\")"));
                self.declare(&name, Class::Int);
            }
            3 => {
                let mut text = String::new();
                let mut value = String::new();
                for k in 0..n {
                    let piece = *self.rng.pick(PIECES);
                    if k > 0 {
                        text.push_str(" + ");
                    }
                    text.push_str(&literal(piece));
                    value.push_str(piece);
                }
                self.line(&format!("{name} := {text}"));
                let want = literal(&value);
                self.line(&format!("assert({name} == {want}, \"str chain\")"));
                self.declare(&name, Class::Str);
            }
            4 => {
                let terms: Vec<String> = (0..n).map(|_| self.bool_expr(0)).collect();
                let mut text = terms[0].clone();
                for t in &terms[1..] {
                    let op = self.rng.pick(&[" && ", " || ", " and ", " or "]);
                    text.push_str(op);
                    text.push_str(t);
                }
                self.line(&format!("{name} := {text}"));
                self.declare(&name, Class::Bool);
            }
            5 => {
                // Bitwise operators of three precedence levels, still flat at each level.
                let terms: Vec<String> = (0..n).map(|_| self.int_expr(0)).collect();
                let mut text = terms[0].clone();
                for t in &terms[1..] {
                    let op = self.rng.pick(&[" & ", " | ", " ^ ", " + ", " - "]);
                    text.push_str(op);
                    text.push_str(t);
                }
                self.line(&format!("{name} := {text}"));
                self.declare(&name, Class::Int);
            }
            _ => {
                // Numbers (Int or Float) with + - and products of two terms.
                let mut text = self.num_expr(0);
                for _ in 1..n {
                    let op = self.rng.pick(&[" + ", " - ", " * "]);
                    text.push_str(op);
                    text.push_str(&self.num_expr(0));
                }
                self.line(&format!("{name} := {text}"));
                self.declare(&name, Class::Num);
            }
        }
    }

    // ---- deep nesting -------------------------------------------------------------------

    /// One construct nested hundreds of levels deep, its result asserted where it is known.
    pub(super) fn deep_nesting(&mut self) {
        let budget = self.nest_budget();
        if budget < 20 || self.mult > 30 {
            return self.assignment();
        }
        let name = self.fresh("nest");
        let kind = self.rng.below(11);
        // Parser levels per nesting step of each kind (measured generously).
        let weight = match kind {
            0 | 2 | 4 | 8 | 9 => 1,
            1 | 3 | 5 | 10 => 2,
            _ => 4,
        };
        let d = self.size_up_to(budget / weight);
        match kind {
            0 => {
                let x = self.int_expr(0);
                self.line(&format!("{name} := {}{x}{}", "(".repeat(d), ")".repeat(d)));
                self.line(&format!("assert({name} == {x}, \"parens\")"));
                self.declare(&name, Class::Int);
            }
            1 => {
                // -(-(...(x))): negation wraps, so d negations of x are x or -x exactly.
                let x = self.int_expr(0);
                self.line(&format!("{name} := {}{x}{}", "-(".repeat(d), ")".repeat(d)));
                let want = if d.is_multiple_of(2) {
                    x.clone()
                } else {
                    format!("-({x})")
                };
                self.line(&format!("assert({name} == {want}, \"negations\")"));
                self.declare(&name, Class::Int);
            }
            2 => {
                let b = self.rng.pick(&["true", "false"]).to_string();
                let op = self.rng.pick(&["!", "not "]);
                self.line(&format!("{name} := {}{b}", op.repeat(d)));
                let flips = d % 2 == 1;
                let want = (b == "true") != flips;
                self.line(&format!("assert({name} == {want}, \"nots\")"));
                self.declare(&name, Class::Bool);
            }
            3 => {
                // (1 + (1 + (... + x))): right-nested, so really nested.
                let x = self.int_expr(0);
                let op = self.rng.pick(&["+", "-"]);
                self.line(&format!(
                    "{name} := {}{x}{}",
                    format!("(1 {op} ").repeat(d),
                    ")".repeat(d)
                ));
                let want = if *op == "+" {
                    format!("{x} + {d}")
                } else if d.is_multiple_of(2) {
                    x.clone()
                } else {
                    format!("1 - {x}")
                };
                self.line(&format!("assert({name} == {want}, \"right-nested\")"));
                self.declare(&name, Class::Int);
            }
            4 => {
                // [[[...[x]...]]] then back down with d indexes.
                let x = self.int_expr(0);
                self.line(&format!("{name} := {}{x}{}", "[".repeat(d), "]".repeat(d)));
                let len = 2 * d;
                self.line(&format!(
                    "assert(len(to_string({name})) == {len} + len(to_string({x})), \"arrays\")"
                ));
                let down = "[0]".repeat(d);
                self.line(&format!("assert({name}{down} == {x}, \"indexes\")"));
            }
            5 => {
                let f = self.fresh("inc");
                let x = self.int_expr(0);
                self.line(&format!("{f} := func(n) {{ return n + 1 }}"));
                self.line(&format!(
                    "{name} := {}{x}{}",
                    format!("{f}(").repeat(d),
                    ")".repeat(d)
                ));
                self.line(&format!("assert({name} == {x} + {d}, \"calls\")"));
                self.declare(&name, Class::Int);
            }
            6 | 7 => {
                // Nested blocks: ifs and one-trip loops. Every loop header is an OSR entry;
                // with `osr-threshold=1` each one compiles the whole function again (75
                // nested loops take 3 s of compiling), so loops nest less deep for now.
                let most = if kind == 6 { budget / 6 } else { 24 };
                let d = d.min(most);
                self.line(&format!("{name} := 0"));
                for k in 0..d {
                    if kind == 6 {
                        self.open(&format!("if {name} >= 0 {{"));
                    } else {
                        let i = self.fresh("i");
                        self.open(&format!("for {i} in 1 {{"));
                    }
                    if k % 50 == 0 {
                        self.line(&format!("{name} += 1"));
                    }
                }
                for _ in 0..d {
                    self.close();
                }
                let want = d.div_ceil(50);
                self.line(&format!("assert({name} == {want}, \"blocks\")"));
                self.declare(&name, Class::Int);
            }
            8 => {
                self.line(&format!(
                    "{name} := {}1{}",
                    "{\"k\": ".repeat(d),
                    "}".repeat(d)
                ));
                let down = "[\"k\"]".repeat(d);
                self.line(&format!("assert({name}{down} == 1, \"dicts\")"));
            }
            9 => {
                self.line(&format!(
                    "{name} := {}1{}",
                    "Cell { v: ".repeat(d),
                    " }".repeat(d)
                ));
                let down = ".v".repeat(d);
                self.line(&format!("assert({name}{down} == 1, \"structs\")"));
            }
            _ => {
                // func() { return func() { ... return 1 } }, called back down.
                let d = d.min(budget / 6);
                let mut text = "1".to_string();
                for _ in 0..d {
                    text = format!("func() {{ return {text} }}");
                }
                self.line(&format!("{name} := {text}"));
                let calls = "()".repeat(d);
                self.line(&format!("assert({name}{calls} == 1, \"closures\")"));
            }
        }
    }

    // ---- strings in numeric loops ---------------------------------------------------------

    /// A hot loop over a variable that is a number, then a Str, maybe a number again, used
    /// with operators valid for both (`m + m`, `m * 2`, `==`, `<`): guards fail mid-loop.
    /// Sometimes (the deliberate error) a purely numeric use follows the change.
    pub(super) fn mixed_loop(&mut self) {
        let trips = *self.rng.pick(&[30, 120, 300, 1100]);
        if self.mult * trips > self.limit {
            return self.assignment();
        }
        let m = self.fresh("m");
        let acc = self.fresh("acc");
        let i = self.fresh("i");
        let start = if self.rng.chance(50) {
            self.int_literal()
        } else {
            self.float_literal()
        };
        let to_str = *self.rng.pick(&[0, 1, 5, 99, 101, 200]);
        let back = to_str + *self.rng.pick(&[1, 3, 50, 5000]);
        let piece: &&str = self.rng.pick(PIECES);
        let piece = literal(piece);
        self.line(&format!("{m} := {start}"));
        self.line(&format!("{acc} := 0"));
        self.open(&format!("for {i} in range({trips}) {{"));
        self.line(&format!("if {i} == {to_str} {{ {m} = {piece} }}"));
        let number = self.num_expr(0);
        self.line(&format!("if {i} == {back} {{ {m} = {number} }}"));
        let t = self.fresh("t");
        self.line(&format!("{t} := {m} + {m}"));
        // `t = t + t` on a local: the `s += s` bug of issue 14 once the type is Str.
        let double = *self
            .rng
            .pick(&["{t} = {t} + {t}", "{t} += {t}", "{t} := {t} + {t}"]);
        self.line(&double.replace("{t}", &t));
        self.line(&format!(
            "{acc} = ({acc} + len(to_string({t})) + len(to_string({m} * 2))) % 1000003"
        ));
        self.line(&format!("if {m} == {m} {{ {acc} += 1 }}"));
        self.line(&format!("if {m} <= {m} {{ {acc} += 2 }}"));
        self.line(&format!(
            "if type_of({m}) == \"string\" {{ {acc} += len({m}) }} else {{ {acc} = {acc} + to_int({m} > 0) }}"
        ));
        if self.risky_left > 0 && self.rng.chance(30) {
            self.risky_left -= 1;
            self.line(&format!("{acc} = {acc} + {m} {RISKY_MARK}"));
        }
        self.close();
        self.line(&format!("print({acc}, {m})"));
    }

    // ---- whole-program shapes --------------------------------------------------------------

    /// `func bigN(k)` with thousands of locals (rarely just under or over the 65,535 limit;
    /// "just under" leaves room for the temporaries the body needs, which share the limit),
    /// called in a loop so the JIT configs try to compile it. Over the limit the program must
    /// fail to compile under every config (marked `TOO_MANY_LOCALS_MARK`).
    pub(super) fn many_locals(&mut self, huge: bool) {
        let count: usize = if huge {
            *self.rng.pick(&[65_000, 65_500, 65_536, 70_000])
        } else {
            *self.rng.pick(&[300, 1000, 2500, 5000])
        };
        // The parameter is one local of the function.
        if count + 1 > 65_535 {
            self.line(TOO_MANY_LOCALS_MARK);
        }
        let f = self.fresh("big");
        self.open(&format!("func {f}(k) {{"));
        for n in 0..count {
            let text = match n % 4 {
                0 => format!("b{n} := k + {n}"),
                1 => format!("b{n} := \"s{n}\""),
                2 => format!("b{n} := {n}.5"),
                _ => format!("b{n} := b{} * 2", n - 1),
            };
            self.line(&text);
        }
        for _ in 0..self.rng.below(6) {
            let a = 4 * self.rng.below(count as u64 / 4);
            let b = 4 * self.rng.below(count as u64 / 4);
            self.line(&format!("b{a} += b{b}"));
            self.line(&format!("b{} = b{} + b{}", a + 1, b + 1, a + 1));
        }
        let last = 4 * (count / 4 - 1);
        self.line(&format!(
            "return b0 + b{last} + len(b1) + len(b{}) + to_int(b2)",
            last + 1
        ));
        self.close();
        let calls = *self.rng.pick(&[1, 3, 150]);
        let t = self.fresh("t");
        self.line(&format!("{t} := 0"));
        self.line(&format!(
            "for i in range({calls}) {{ {t} = ({t} + {f}(i)) % 1000003 }}"
        ));
        self.line(&format!("print({t})"));
    }

    /// Tens to hundreds of small loops at top level (each a new OSR entry into the main
    /// function), over globals, some changing type part-way.
    pub(super) fn many_top_loops(&mut self) {
        debug_assert!(self.body == Body::TopLevel);
        let loops = *self.rng.pick(&[10, 20, 40, 80, 150, 250]);
        let acc = self.fresh("tl");
        let text = self.fresh("ts");
        let m = self.fresh("tm");
        self.line(&format!("{acc} := 0"));
        self.line(&format!("{text} := \"\""));
        self.line(&format!("{m} := 1"));
        for n in 0..loops {
            let i = self.fresh("i");
            let trips = *self.rng.pick(&[1, 2, 7, 40, 120]);
            self.open(&format!("for {i} in range({trips}) {{"));
            self.line(&format!("{acc} = ({acc} + {i} * {}) % 1000003", n % 13 + 1));
            match self.rng.below(4) {
                0 => self.line(&format!("{text} = substring({text} + \"x{n}\", 0, 12)")),
                1 => self.line(&format!(
                    "if {i} == {} {{ {m} = \"s\" }} else {{ {m} = {i} }}",
                    trips / 2
                )),
                2 => self.line(&format!("{acc} = {acc} + len(to_string({m} + {m}))")),
                _ => {}
            }
            self.close();
        }
        self.line(&format!("print({acc}, {text}, {m})"));
    }
}

/// An Int as Ruff source (i64::MIN has no positive literal).
fn int_source(v: i64) -> String {
    if v == i64::MIN {
        "(-9223372036854775807 - 1)".to_string()
    } else if v < 0 {
        format!("({v})")
    } else {
        v.to_string()
    }
}
