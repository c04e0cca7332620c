//! The self-operand shapes: one operand used twice (`x op x`, `x op= x`, `x := x op x`,
//! `x = x op x`) for every binary operator and every value type of `oracle::samples`, with
//! `x` a local, a parameter, an upvalue (a closure's captured local), a global, a struct
//! field, an array element or a dict entry. Both operands then live in the same register (or
//! slot), which is where an in-place fast path can read an operand it has just moved out.
//!
//! Each shape asserts the exact `to_string` text the oracle predicts, so a wrong result fails
//! even when every config agrees on it. A combination the language rejects (`true + true`,
//! `0 / 0`, `64 << 64` ...) is only generated as the program's one deliberate runtime error
//! (`# risky`); then every config must report the same error.

use super::oracle::{self, Val, BINARY_OPS, COMPOUND_OPS};
use super::{Body, Gen, RISKY_MARK};

/// Where the operand lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    Local,
    Param,
    Upvalue,
    Global,
    Field,
    Element,
    Entry,
}

const PLACES: &[Place] = &[
    Place::Local,
    Place::Param,
    Place::Upvalue,
    Place::Global,
    Place::Field,
    Place::Element,
    Place::Entry,
];

/// How the operand is used twice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    /// `r := x op x`
    Expr,
    /// `x op= x`
    Compound,
    /// `x := x op x`
    Declare,
    /// `x = x op x`
    Assign,
}

/// The globals the shapes may use, declared `null` at the top of every program: a function
/// can only assign (`=`) a global that a top-level statement binds.
pub const SELF_GLOBALS: &[&str] = &["gself_a", "gself_b"];

impl Gen {
    /// One self-operand shape, sometimes repeated in a loop that runs long enough for the
    /// JIT configs to compile it.
    pub(super) fn self_operand(&mut self) {
        let samples = oracle::samples();
        let risky = self.risky_left > 0 && self.rng.chance(25);
        // Draw until the combination fits what is wanted: a valid one (its result is
        // asserted) or, for the deliberate error, one the language rejects.
        let mut choice = None;
        for _ in 0..40 {
            // A type first (each as likely), then one of its sample values.
            let mut kinds = Vec::new();
            for v in &samples {
                if !kinds.contains(&std::mem::discriminant(v)) {
                    kinds.push(std::mem::discriminant(v));
                }
            }
            let kind = *self.rng.pick(&kinds);
            let of_kind: Vec<&Val> = samples
                .iter()
                .filter(|v| std::mem::discriminant(*v) == kind)
                .collect();
            let value = (*self.rng.pick(&of_kind)).clone();
            let form = *self
                .rng
                .pick(&[Form::Expr, Form::Compound, Form::Declare, Form::Assign]);
            // `+` (the in-place append path) a third of the time, else any operator.
            let op = if self.rng.chance(33) {
                "+"
            } else if form == Form::Compound {
                *self.rng.pick(COMPOUND_OPS)
            } else {
                *self.rng.pick(BINARY_OPS)
            };
            let result = oracle::self_binary(op, &value);
            if result.is_some() != risky {
                choice = Some((value, form, op, result));
                break;
            }
        }
        let Some((value, form, op, result)) = choice else {
            return self.assignment();
        };
        let place = *self.rng.pick(PLACES);
        let trips = *self.rng.pick(&[1, 1, 3, 120, 300]);
        let looped = trips > 1 && self.mult * trips <= self.limit && result.is_some();
        let counter = self.fresh("i");
        if looped {
            self.open(&format!("for {counter} in range({trips}) {{"));
        }
        let mark = if result.is_some() {
            String::new()
        } else {
            format!(" {RISKY_MARK}")
        };
        let checked = self.self_shape(place, form, op, &value, &mark);
        match result {
            Some(expected) => {
                let want = oracle::literal(&expected.display());
                let what = oracle::literal(&format!("{place:?} {form:?} {op} on "));
                self.line(&format!(
                    "assert(to_string({checked}) == {want}, {what} + to_string({checked}))"
                ));
            }
            None => {
                // The shape itself raised the error (its line carries the mark).
                self.risky_left -= 1;
                self.line(&format!("print({checked})"));
            }
        }
        if looped {
            self.close();
        }
    }

    /// Writes the shape's statements and returns the expression holding its result. `mark`
    /// ends the line that may fail (empty unless the combination is the deliberate error).
    fn self_shape(
        &mut self,
        place: Place,
        form: Form,
        op: &str,
        value: &Val,
        mark: &str,
    ) -> String {
        let v = value.source();
        // The operation on the target `t`, as a statement (`Expr` binds its result to `r`).
        let statement = |t: &str, r: &str| {
            let text = match form {
                Form::Expr => format!("{r} := {t} {op} {t}"),
                Form::Compound => format!("{t} {op}= {t}"),
                Form::Declare => format!("{t} := {t} {op} {t}"),
                Form::Assign => format!("{t} = {t} {op} {t}"),
            };
            format!("{text}{mark}")
        };
        let r = self.fresh("r");
        let result_of = |t: &str| {
            if form == Form::Expr {
                r.clone()
            } else {
                t.to_string()
            }
        };
        match place {
            Place::Local if self.body == Body::Function => {
                let x = self.fresh("x");
                self.line(&format!("{x} := {v}"));
                self.line(&statement(&x, &r));
                result_of(&x)
            }
            // At top level a `:=` name is a global: a function makes it a local.
            Place::Local | Place::Param | Place::Upvalue => {
                let f = self.fresh("sf");
                let x = self.fresh("x");
                let out = self.fresh("r");
                if place == Place::Param {
                    self.open(&format!("func {f}({x}) {{"));
                } else {
                    self.open(&format!("func {f}() {{"));
                    self.line(&format!("{x} := {v}"));
                }
                if place == Place::Upvalue {
                    // `x := x op x` inside the closure binds the enclosing function's `x`.
                    if form == Form::Expr {
                        self.line(&format!("{r} := null"));
                    }
                    let k = self.fresh("k");
                    self.open(&format!("{k} := func() {{"));
                    self.line(&statement(&x, &r));
                    self.close();
                    self.line(&format!("{k}()"));
                } else {
                    self.line(&statement(&x, &r));
                }
                self.line(&format!("return {}", result_of(&x)));
                self.close();
                let arg = if place == Place::Param {
                    v
                } else {
                    String::new()
                };
                self.line(&format!("{out} := {f}({arg})"));
                out
            }
            Place::Global => {
                let g = *self.rng.pick(SELF_GLOBALS);
                self.line(&format!("{g} = {v}"));
                // In a function `g := ...` would declare a local: only `=` and `op=` there.
                let form = if self.body == Body::Function && form == Form::Declare {
                    Form::Assign
                } else {
                    form
                };
                let text = match form {
                    Form::Expr => format!("{r} := {g} {op} {g}"),
                    Form::Compound => format!("{g} {op}= {g}"),
                    Form::Declare => format!("{g} := {g} {op} {g}"),
                    Form::Assign => format!("{g} = {g} {op} {g}"),
                };
                self.line(&format!("{text}{mark}"));
                if form == Form::Expr {
                    r
                } else {
                    g.to_string()
                }
            }
            Place::Field => {
                let c = self.fresh("cell");
                self.line(&format!("{c} := Cell {{ v: {v} }}"));
                let t = format!("{c}.v");
                self.line(&statement(&t, &r));
                result_of(&t)
            }
            Place::Element => {
                let a = self.fresh("arr");
                self.line(&format!("{a} := [0, {v}]"));
                let index = self.rng.pick(&["1", "-1"]);
                let t = format!("{a}[{index}]");
                self.line(&statement(&t, &r));
                result_of(&t)
            }
            Place::Entry => {
                let d = self.fresh("dict");
                let key = *self.rng.pick(&["\"k\"", "1", "true"]);
                self.line(&format!("{d} := {{{key}: {v}}}"));
                let t = format!("{d}[{key}]");
                self.line(&statement(&t, &r));
                result_of(&t)
            }
        }
    }
}
