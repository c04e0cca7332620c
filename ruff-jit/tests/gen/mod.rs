//! A seeded generator of random, well-formed Ruff programs for differential testing: every
//! program must print the same bytes and fail with the same error under the interpreter and
//! every JIT configuration (see `../differential.rs`).
//!
//! The programs aim at what JITs get wrong: Ints near overflow (wrapping `+ - * << -`),
//! Int/Float mixes, variables whose type changes in the middle of a hot loop (guard failures
//! and deopts), nested loops with `break`/`continue`, helper calls, bounded recursion,
//! closures capturing and mutating locals, arrays, dicts, strings, structs and methods, and
//! now and then a runtime error (division by zero, index out of range, a type error, stack
//! overflow ...) raised from inside a hot loop after it has been compiled.
//!
//! How programs stay well-formed without an interpreter in the loop:
//! - Every variable has a fixed *class* for its whole life (`Class`): `Int` variables only
//!   ever hold Ints, `Num` ones Ints or Floats (this is where types change), `Any` anything
//!   printable. Expressions are generated for a class, so only operations that are valid for
//!   every value of the class are used, except on purpose (`risky`).
//! - Names are unique per program, so Ruff's scope rules (a `:=` inside a closure binds the
//!   enclosing function's local of that name) never surprise us; a variable declared inside a
//!   block is forgotten at the block's end (it may be unbound at run time after it).
//! - Work is bounded: `mult` is the product of the trip counts of the enclosing loops, and
//!   loops, calls and costly operations are only generated while it stays under `WORK_LIMIT`;
//!   strings only grow by short pieces, arrays never shrink (so `a[k % len(a)]` is safe),
//!   recursion depth is bounded, and arrays being iterated are never pushed to.
//!
//! The random source is SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom
//! number generators", OOPSLA 2014): tiny, and the same seed gives the same program on every
//! platform, which is what makes a printed failing seed replayable.

use std::fmt::Write as _;

/// SplitMix64: a 64-bit state advanced by a Weyl sequence and scrambled by a mixing function.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0); the modulo bias is irrelevant here.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// The set of values a variable or expression may have (fixed for a variable's lifetime).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    /// Always an Int.
    Int,
    /// An Int or a Float (a variable of this class may change between the two at any time).
    Num,
    Bool,
    /// A Str.
    Str,
    /// An array of numbers (Int or Float), never empty.
    Arr,
    /// A dict with Str, Int or Bool keys and number values.
    Dict,
    /// An instance of the struct `Pt` (fields `x`, `y` are numbers).
    Pt,
    /// A closure taking one number and returning a number.
    Fn,
    /// Any of the scalar classes, a small literal array or dict, null or a function.
    Any,
}

struct Var {
    name: String,
    class: Class,
    /// False for loop counters (changing one could make a `while` loop run forever).
    assignable: bool,
    /// A global: inside a function, `name := e` would declare a new local instead.
    global: bool,
}

/// A generated helper function: `func NAME(params...)` returning `ret`.
struct Helper {
    name: String,
    params: Vec<Class>,
    ret: Class,
    /// A bound on the loop iterations one call runs (for the work budget of callers).
    cost: u64,
    /// `rec` helpers are `f(n, acc)`, recursing `n` times; `n` must be passed small.
    recursive: bool,
}

/// What kind of function body is being generated (decides `return` and what may be pushed).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Body {
    TopLevel,
    Function,
}

/// An upper bound on loop-body executions per statement: keeps each program in the
/// millisecond range under the interpreter, so thousands run in a test.
const WORK_LIMIT: u64 = 3000;
/// The loop-body executions allowed inside one helper function (calls not counted).
const HELPER_LIMIT: u64 = 60;
/// Operations that are linear in a container's size (sort, ==, contains, a + [x]) are only
/// generated where the enclosing loops run at most this many times.
const CHEAP_LIMIT: u64 = 30;

const INT_LITERALS: &[&str] = &[
    "0",
    "1",
    "2",
    "3",
    "7",
    "-1",
    "-5",
    "10",
    "100",
    "255",
    "1_000_003",
    "0x7fff_ffff",
    "4611686018427387904",
    "9223372036854775807",
    "9223372036854775806",
    "-9223372036854775807",
    "-9223372036854775808",
    "0xffffffff",
    "3037000499",
];

const FLOAT_LITERALS: &[&str] = &[
    "0.5",
    "1.5",
    "-2.25",
    "0.1",
    "3.0",
    "0.0",
    "-0.0",
    "1e300",
    "1e-300",
    "2.5e-3",
    "1e400",
    "123456.789",
    "1e16",
    "-7.75",
];

const STR_LITERALS: &[&str] = &[
    "\"\"",
    "\"a\"",
    "\"xy\"",
    "\"héllo\"",
    "\"日本\"",
    "\"a,b\"",
    "\" sp \"",
    "\"tab\\t\"",
    "\"Z\"",
    "\"straße\"",
    "\"\\u{1F600}\"",
];

/// Ends every line that may raise a runtime error on purpose.
pub const RISKY_MARK: &str = "# risky";

/// Generates the program for `seed`. The same seed always gives the same text.
pub fn generate(seed: u64) -> String {
    let mut g = Gen {
        rng: Rng::new(seed),
        out: String::new(),
        indent: 0,
        scope: Vec::new(),
        helpers: Vec::new(),
        next_id: 0,
        mult: 1,
        limit: WORK_LIMIT,
        call_work: 0,
        allow_calls: true,
        loop_counters: Vec::new(),
        frozen: Vec::new(),
        loop_depth: 0,
        body: Body::TopLevel,
        risky_left: 0,
    };
    g.program(seed);
    g.out
}

struct Gen {
    rng: Rng,
    out: String,
    indent: usize,
    /// Visible variables, innermost last; blocks truncate it back on exit.
    scope: Vec<Var>,
    helpers: Vec<Helper>,
    next_id: u32,
    mult: u64,
    /// The most loop-body executions one statement of the current function may cause.
    limit: u64,
    /// Work of the helper calls generated so far in the current function (for its cost).
    call_work: u64,
    /// False inside closure bodies: their cost per call must stay tiny.
    allow_calls: bool,
    /// Counters of the enclosing loops of the current function, innermost last.
    loop_counters: Vec<String>,
    /// Arrays that must not be pushed to (being iterated, or owned by a caller).
    frozen: Vec<String>,
    /// Loops around the current statement in the current function (for break/continue).
    loop_depth: usize,
    body: Body,
    /// Deliberate runtime errors still allowed in this program.
    risky_left: u32,
}

impl Gen {
    fn fresh(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        format!("{prefix}{}", self.next_id)
    }

    fn line(&mut self, text: &str) {
        for _ in 0..self.indent {
            self.out.push_str("    ");
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn open(&mut self, text: &str) {
        self.line(text);
        self.indent += 1;
    }

    fn close(&mut self) {
        self.indent -= 1;
        self.line("}");
    }

    fn declare(&mut self, name: &str, class: Class) {
        let global = self.body == Body::TopLevel;
        self.scope.push(Var {
            name: name.to_string(),
            class,
            assignable: true,
            global,
        });
    }

    /// A visible variable whose class is one of `classes`.
    fn pick_var(&mut self, classes: &[Class], assignable: bool) -> Option<String> {
        let found: Vec<&Var> = self
            .scope
            .iter()
            .filter(|v| classes.contains(&v.class) && (v.assignable || !assignable))
            .collect();
        if found.is_empty() {
            return None;
        }
        let i = self.rng.below(found.len() as u64) as usize;
        Some(found[i].name.clone())
    }

    // ---- program structure ------------------------------------------------------------

    fn program(&mut self, seed: u64) {
        let _ = writeln!(self.out, "# generated by ruff-jit/tests/gen, seed {seed}");
        self.risky_left = if self.rng.chance(35) { 1 } else { 0 };
        self.line("struct Pt {");
        self.line("    x, y");
        self.line("    func sum(self) { return self.x + self.y }");
        self.line("    func scale(self, k) {");
        self.line("        self.x = self.x * k");
        self.line("        return self");
        self.line("    }");
        self.line("}");
        // Globals: helpers read and update them, so they are declared first.
        for _ in 0..self.rng.below(3) {
            let class = *self.rng.pick(&[Class::Int, Class::Num, Class::Str]);
            let name = self.fresh("g");
            let value = self.expr(class, 1);
            self.line(&format!("{name} := {value}"));
            self.declare(&name, class);
        }
        if self.rng.chance(40) {
            let name = self.fresh("C");
            let value = self.int_literal();
            self.line(&format!("const {name} := {value}"));
            self.scope.push(Var {
                name,
                class: Class::Int,
                assignable: false,
                global: true,
            });
        }
        let globals = self.scope.len();
        if self.rng.chance(50) {
            self.recursive_helper();
        }
        for _ in 0..self.rng.below(4) {
            self.helper();
        }
        // `run` holds most of the work; its hot loops are where tiers switch.
        self.body = Body::Function;
        self.open("func run() {");
        // A few variables first, so the loops that follow have numbers to work on (and to
        // change the type of); then statements whose variables stay visible for the print.
        for _ in 0..2 + self.rng.below(4) {
            self.declaration();
        }
        for _ in 0..4 + self.rng.below(6) {
            if self.rng.chance(15) {
                self.hot_loop();
            } else {
                self.statement();
            }
        }
        if self.rng.chance(60) {
            self.hot_loop();
        }
        self.print_scope(globals);
        self.close();
        self.body = Body::TopLevel;
        self.scope.truncate(globals);
        self.line("run()");
        // Top-level code: globals in a loop (OSR of the main function), then a last print.
        if self.rng.chance(50) {
            self.block_of(1, 3);
        }
        self.print_scope(0);
    }

    /// `func fN(n, acc) { if n <= 0 { return acc } return fN(n - 1, <acc op ...>) }`
    fn recursive_helper(&mut self) {
        let name = self.fresh("rec");
        let n = self.fresh("n");
        let acc = self.fresh("acc");
        let class = *self.rng.pick(&[Class::Int, Class::Num]);
        let mark = self.scope.len();
        self.body = Body::Function;
        self.scope.push(Var {
            name: n.clone(),
            class: Class::Int,
            assignable: false,
            global: false,
        });
        self.declare(&acc, class);
        self.open(&format!("func {name}({n}, {acc}) {{"));
        self.line(&format!("if {n} <= 0 {{ return {acc} }}"));
        let step = self.expr(class, 2);
        let op = self.rng.pick(&["+", "-", "*"]);
        self.line(&format!("return {name}({n} - 1, ({acc} {op} {step}))"));
        self.close();
        self.body = Body::TopLevel;
        self.scope.truncate(mark);
        self.helpers.push(Helper {
            name,
            params: vec![Class::Int, class],
            ret: class,
            cost: 25,
            recursive: true,
        });
    }

    fn helper(&mut self) {
        let name = self.fresh("f");
        let count = self.rng.below(4) as usize;
        let mut params = Vec::new();
        let mut names = Vec::new();
        let mark = self.scope.len();
        let frozen_mark = self.frozen.len();
        self.body = Body::Function;
        for _ in 0..count {
            let class = *self.rng.pick(&[
                Class::Int,
                Class::Num,
                Class::Num,
                Class::Str,
                Class::Arr,
                Class::Any,
            ]);
            let p = self.fresh("p");
            if class == Class::Arr {
                // The caller owns it and may be iterating it: never push to a parameter.
                self.frozen.push(p.clone());
            }
            self.declare(&p, class);
            params.push(class);
            names.push(p);
        }
        let ret = *self
            .rng
            .pick(&[Class::Int, Class::Num, Class::Num, Class::Str, Class::Bool]);
        self.open(&format!("func {name}({}) {{", names.join(", ")));
        // A helper's body is measured on its own (its cost is what one call may do); callers
        // multiply that by their loops.
        self.mult = 1;
        self.limit = HELPER_LIMIT;
        self.call_work = 0;
        self.block_of(1, 4);
        let value = self.expr(ret, 2);
        self.line(&format!("return {value}"));
        self.close();
        let cost = HELPER_LIMIT + self.call_work;
        self.limit = WORK_LIMIT;
        self.body = Body::TopLevel;
        self.scope.truncate(mark);
        self.frozen.truncate(frozen_mark);
        self.helpers.push(Helper {
            name,
            params,
            ret,
            cost,
            recursive: false,
        });
    }

    /// A block of `min` to `min + extra - 1` statements.
    fn block_of(&mut self, min: usize, extra: u64) {
        let n = min + self.rng.below(extra) as usize;
        self.block(n);
    }

    fn block(&mut self, statements: usize) {
        let mark = self.scope.len();
        for _ in 0..statements {
            self.statement();
        }
        self.scope.truncate(mark);
    }

    /// Prints every variable declared after `from` in a way whose size is bounded.
    fn print_scope(&mut self, from: usize) {
        let mut parts = Vec::new();
        for v in &self.scope[from..] {
            parts.push(match v.class {
                Class::Str => format!("len({0}), substring({0}, 0, 24)", v.name),
                Class::Arr => format!("len({0}), {0}[0], {0}[-1]", v.name),
                Class::Pt => format!("{0}.x, {0}.y", v.name),
                Class::Fn => format!("{}(3)", v.name),
                _ => v.name.clone(),
            });
        }
        if parts.is_empty() {
            parts.push("\"done\"".to_string());
        }
        for chunk in parts.chunks(4) {
            let text = format!("print({})", chunk.join(", "));
            self.line(&text);
        }
    }

    // ---- statements -------------------------------------------------------------------

    fn statement(&mut self) {
        let in_loop = self.loop_depth > 0;
        let roll = self.rng.below(100);
        match roll {
            0..=17 => self.declaration(),
            18..=37 => self.assignment(),
            38..=45 => self.if_statement(),
            46..=57 => self.loop_statement(),
            58..=62 if in_loop => self.type_switch(),
            63..=66 => self.container_update(),
            67..=69 if in_loop => self.break_or_continue(),
            70..=72 => self.print_statement(),
            73..=75 => self.closure(),
            76..=78 => {
                let call = self.call_expr(None);
                if let Some(call) = call {
                    self.line(&call);
                } else {
                    self.assignment();
                }
            }
            79..=81 if self.risky_left > 0 => self.risky(),
            _ => self.assignment(),
        }
    }

    fn declaration(&mut self) {
        let class = *self.rng.pick(&[
            Class::Int,
            Class::Int,
            Class::Num,
            Class::Num,
            Class::Num,
            Class::Bool,
            Class::Str,
            Class::Arr,
            Class::Dict,
            Class::Pt,
            Class::Any,
        ]);
        let name = self.fresh("v");
        let value = self.expr(class, 2);
        let keyword = self.rng.pick(&["", "", "let ", "mut "]);
        self.line(&format!("{keyword}{name} := {value}"));
        self.declare(&name, class);
    }

    fn assignment(&mut self) {
        let classes = [
            Class::Int,
            Class::Num,
            Class::Str,
            Class::Bool,
            Class::Any,
            Class::Pt,
        ];
        let Some(name) = self.pick_var(&classes, true) else {
            return self.declaration();
        };
        let class = self.scope.iter().find(|v| v.name == name).unwrap().class;
        match class {
            Class::Int | Class::Num if self.rng.chance(40) => {
                let op = self.rng.pick(&["+=", "-=", "*="]);
                let value = self.expr(class, 2);
                self.line(&format!("{name} {op} {value}"));
            }
            Class::Str => {
                // Strings only grow by short pieces, so loops keep them small.
                let piece = self.short_str(1);
                if self.mult > 400 {
                    self.line(&format!("{name} = {piece}"));
                } else if self.rng.chance(50) {
                    self.line(&format!("{name} = {name} + {piece}"));
                } else if self.rng.chance(50) {
                    self.line(&format!("{name} += {piece}"));
                } else {
                    self.line(&format!("{name} = {piece}"));
                }
            }
            Class::Pt => {
                let value = self.expr(Class::Num, 2);
                let field = self.rng.pick(&["x", "y"]);
                self.line(&format!("{name}.{field} = {value}"));
            }
            _ => {
                let value = self.expr(class, 2);
                let global = self.scope.iter().any(|v| v.name == name && v.global);
                let local = !global || self.body == Body::TopLevel;
                let op = if local && self.rng.chance(20) {
                    ":="
                } else {
                    "="
                };
                self.line(&format!("{name} {op} {value}"));
            }
        }
    }

    fn if_statement(&mut self) {
        let cond = self.expr(Class::Bool, 2);
        self.open(&format!("if {cond} {{"));
        self.block_of(1, 3);
        if self.rng.chance(50) {
            self.indent -= 1;
            if self.rng.chance(30) {
                let cond = self.expr(Class::Bool, 1);
                self.open(&format!("}} else if {cond} {{"));
            } else {
                self.open("} else {");
            }
            self.block_of(1, 3);
        }
        self.close();
    }

    fn trip_count(&mut self) -> Option<u64> {
        let choices: &[u64] = if self.mult == 1 && self.rng.chance(15) {
            &[1100, 1500]
        } else {
            &[0, 1, 2, 3, 7, 20, 60, 150, 400]
        };
        let trips = *self.rng.pick(choices);
        (self.mult * trips.max(1) <= self.limit).then_some(trips)
    }

    fn loop_statement(&mut self) {
        let Some(trips) = self.trip_count() else {
            return self.assignment();
        };
        let counter = self.fresh("i");
        let frozen_mark = self.frozen.len();
        match self.rng.below(6) {
            0 => {
                let w = counter.clone();
                self.line(&format!("{w} := 0"));
                self.open(&format!("while {w} < {trips} {{"));
                self.line(&format!("{w} += 1"));
            }
            1 => {
                self.line(&format!("{counter} := 0"));
                self.open("loop {");
                self.line(&format!("{counter} += 1"));
                self.line(&format!("if {counter} > {trips} {{ break }}"));
            }
            2 if self.mult * trips <= self.limit / 4 => {
                // Iterate an array (never pushed to while iterated); the counter is an element.
                let Some(arr) = self.pick_var(&[Class::Arr], false) else {
                    return self.assignment();
                };
                self.frozen.push(arr.clone());
                self.open(&format!("for {counter} in {arr} {{"));
                self.enter_loop(&counter, Class::Num, trips);
                self.frozen.truncate(frozen_mark);
                return;
            }
            3 => {
                let start = self.rng.below(5) as i64 - 2;
                let step = *self.rng.pick(&[1, 2, 3]);
                let stop = start + (trips as i64) * step;
                self.open(&format!(
                    "for {counter} in range({start}, {stop}, {step}) {{"
                ));
            }
            4 => self.open(&format!("for {counter} in {trips} {{")),
            _ => self.open(&format!("for {counter} in range({trips}) {{")),
        }
        self.enter_loop(&counter, Class::Int, trips);
        self.frozen.truncate(frozen_mark);
    }

    /// A loop long enough to pass the default compile thresholds, doing arithmetic on the
    /// function's numbers, usually with a type change part-way through.
    fn hot_loop(&mut self) {
        let trips = *self.rng.pick(&[120, 300, 1100, 1500]);
        if self.mult * trips > self.limit {
            return self.assignment();
        }
        let counter = self.fresh("i");
        self.open(&format!("for {counter} in range({trips}) {{"));
        let mark = self.scope.len();
        self.scope.push(Var {
            name: counter.clone(),
            class: Class::Int,
            assignable: false,
            global: false,
        });
        self.loop_counters.push(counter);
        let saved_mult = self.mult;
        self.mult *= trips;
        self.loop_depth += 1;
        let switch_at = self.rng.below(4);
        for k in 0..2 + self.rng.below(4) {
            if k == switch_at && self.rng.chance(75) {
                self.type_switch();
            } else if self.rng.chance(50) {
                self.assignment();
            } else {
                self.statement();
            }
        }
        self.loop_depth -= 1;
        self.mult = saved_mult;
        self.loop_counters.pop();
        self.scope.truncate(mark);
        self.close();
    }

    /// Generates a loop body with `counter` visible (read-only), then closes the loop.
    fn enter_loop(&mut self, counter: &str, class: Class, trips: u64) {
        let mark = self.scope.len();
        let global = self.body == Body::TopLevel;
        self.scope.push(Var {
            name: counter.to_string(),
            class,
            assignable: false,
            global,
        });
        if class == Class::Int {
            self.loop_counters.push(counter.to_string());
        }
        let saved_mult = self.mult;
        self.mult *= trips.max(1);
        self.loop_depth += 1;
        self.block_of(1, 5);
        self.loop_depth -= 1;
        self.mult = saved_mult;
        if class == Class::Int {
            self.loop_counters.pop();
        }
        self.scope.truncate(mark);
        self.close();
    }

    /// Changes a variable's type part-way through the loop: the deopt case.
    fn type_switch(&mut self) {
        let Some(counter) = self.loop_counters.last().cloned() else {
            return self.assignment();
        };
        let at = *self.rng.pick(&[0, 1, 2, 5, 50, 120, 300, 1000]);
        if let Some(v) = self.pick_var(&[Class::Num], true) {
            let value = if self.rng.chance(70) {
                self.float_expr(1)
            } else {
                self.int_expr(1)
            };
            self.line(&format!("if {counter} == {at} {{ {v} = {value} }}"));
        } else if let Some(v) = self.pick_var(&[Class::Any], true) {
            let a = self.expr(Class::Any, 1);
            let b = self.expr(Class::Any, 1);
            self.line(&format!(
                "if {counter} % 3 == {} {{ {v} = {a} }} else {{ {v} = {b} }}",
                at % 3
            ));
        } else {
            self.assignment();
        }
    }

    fn container_update(&mut self) {
        match self.rng.below(5) {
            0 | 1 => {
                let Some(arr) = self.pick_var(&[Class::Arr], false) else {
                    return self.declaration();
                };
                if self.rng.chance(50) && !self.frozen.contains(&arr) {
                    let value = self.expr(Class::Num, 2);
                    let f = self.rng.pick(&["push", "append"]);
                    self.line(&format!("{f}({arr}, {value})"));
                } else {
                    let index = self.safe_index(&arr);
                    let value = self.expr(Class::Num, 2);
                    let op = self.rng.pick(&["=", ":=", "+="]);
                    self.line(&format!("{arr}[{index}] {op} {value}"));
                }
            }
            2 | 3 => {
                let Some(dict) = self.pick_var(&[Class::Dict], false) else {
                    return self.declaration();
                };
                let key = self.dict_key();
                let value = self.expr(Class::Num, 2);
                if self.rng.chance(50) {
                    self.line(&format!("{dict}[{key}] := {value}"));
                } else {
                    // `+=` on a missing key would add to null: only update present keys.
                    self.line(&format!(
                        "if contains({dict}, {key}) {{ {dict}[{key}] += {value} }} else {{ {dict}[{key}] := 0 }}"
                    ));
                }
            }
            4 if self.rng.chance(50) => {
                // Reads every value through the keys: dict iteration order is insertion order.
                let (Some(dict), Some(acc)) = (
                    self.pick_var(&[Class::Dict], false),
                    self.pick_var(&[Class::Num], true),
                ) else {
                    return self.declaration();
                };
                let k = self.fresh("k");
                self.line(&format!(
                    "for {k} in {dict} {{ {acc} = {acc} + {dict}[{k}] }}"
                ));
            }
            _ => {
                let Some(pt) = self.pick_var(&[Class::Pt], false) else {
                    return self.declaration();
                };
                let k = self.int_expr(1);
                self.line(&format!("{pt}.scale({k})"));
            }
        }
    }

    fn break_or_continue(&mut self) {
        let cond = self.expr(Class::Bool, 1);
        let word = if self.rng.chance(50) {
            "break"
        } else {
            "continue"
        };
        self.line(&format!("if {cond} {{ {word} }}"));
    }

    fn print_statement(&mut self) {
        let mut args = Vec::new();
        for _ in 0..1 + self.rng.below(3) {
            let class =
                *self
                    .rng
                    .pick(&[Class::Int, Class::Num, Class::Bool, Class::Str, Class::Any]);
            args.push(self.expr(class, 1));
        }
        let text = format!("print({})", args.join(", "));
        // In hot loops print only now and then: the point is output order, not volume.
        match self.loop_counters.last().cloned() {
            Some(c) if self.mult > 20 => self.line(&format!("if {c} % 97 == 3 {{ {text} }}")),
            _ => self.line(&text),
        }
    }

    fn closure(&mut self) {
        let name = self.fresh("c");
        let param = self.fresh("x");
        let mark = self.scope.len();
        self.scope.push(Var {
            name: param.clone(),
            class: Class::Num,
            assignable: true,
            global: false,
        });
        self.open(&format!("{name} := func({param}) {{"));
        // A closure body is a new function: loops around it do not enclose its statements.
        let saved_depth = std::mem::replace(&mut self.loop_depth, 0);
        let saved_counters = std::mem::take(&mut self.loop_counters);
        let saved_body = std::mem::replace(&mut self.body, Body::Function);
        let saved_calls = std::mem::replace(&mut self.allow_calls, false);
        let captured = self.pick_var(&[Class::Int, Class::Num], true);
        if let Some(v) = captured.filter(|_| self.rng.chance(50)) {
            // Mutates the enclosing function's variable through the capture (`:=` binds the
            // enclosing local; for a global only `=` does).
            let var = self.scope.iter().find(|x| x.name == v).unwrap();
            let (class, global) = (var.class, var.global);
            let op = if !global && self.rng.chance(50) {
                ":="
            } else {
                "="
            };
            let value = self.expr(class, 1);
            self.line(&format!("{v} {op} {v} + {value}"));
        }
        let value = self.expr(Class::Num, 2);
        self.line(&format!("return {value}"));
        self.loop_depth = saved_depth;
        self.loop_counters = saved_counters;
        self.body = saved_body;
        self.allow_calls = saved_calls;
        self.scope.truncate(mark);
        self.close();
        self.declare(&name, Class::Fn);
    }

    /// One deliberate runtime error, usually in a loop after some iterations (so compiled
    /// code raises it), or a statement that fails at once.
    fn risky(&mut self) {
        self.risky_left -= 1;
        let counter = self.loop_counters.last().cloned();
        let at = *self.rng.pick(&[0, 3, 40, 101, 130]);
        let guard = |text: String| match &counter {
            Some(c) => format!("if {c} == {at} {{ {text} }}"),
            None => text,
        };
        let kind = self.rng.below(11);
        let text = match kind {
            0 => {
                let v = self.int_expr(1);
                match &counter {
                    // Divides by zero exactly when the counter reaches `at`, with no `if`.
                    Some(c) => format!("print({v} / ({c} - {at}))"),
                    None => format!("print({v} % 0)"),
                }
            }
            1 => match self.pick_var(&[Class::Arr], false) {
                Some(a) => guard(format!("print({a}[len({a}) + {at}])")),
                None => guard("print([1, 2][2])".to_string()),
            },
            2 => {
                let v = self.expr(Class::Num, 1);
                guard(format!("print({v} + \"s\")"))
            }
            3 => guard("print(undefined_name_zz)".to_string()),
            4 => match self.helpers.iter().find(|h| !h.params.is_empty()) {
                Some(h) => guard(format!("{}()", h.name)),
                None => guard("print((func(a) { return a })(1, 2))".to_string()),
            },
            5 => {
                self.line("func deep_zz(n) { return deep_zz(n + 1) + 1 }");
                guard("print(deep_zz(0))".to_string())
            }
            6 => guard("print(to_int(0.0 / 0.0))".to_string()),
            7 => {
                let cond = self.expr(Class::Bool, 1);
                guard(format!("assert({cond} && false, \"boom\")"))
            }
            8 => match &counter {
                Some(c) => format!("print(1 << ({c} - {at}))"),
                None => "print(1 << 64)".to_string(),
            },
            9 => guard("print(pop([]))".to_string()),
            _ => {
                let v = self.expr(Class::Int, 1);
                guard(format!("print(({v})(1))"))
            }
        };
        // The mark lets the differential test tell deliberate failures from generator bugs.
        self.line(&format!("{text} {RISKY_MARK}"));
    }

    // ---- expressions ------------------------------------------------------------------

    fn expr(&mut self, class: Class, depth: u32) -> String {
        match class {
            Class::Int => self.int_expr(depth),
            Class::Num => self.num_expr(depth),
            Class::Bool => self.bool_expr(depth),
            Class::Str => self.short_str(depth),
            Class::Arr => self.arr_expr(depth),
            Class::Dict => self.dict_expr(),
            Class::Pt => {
                let x = self.num_expr(1);
                let y = self.num_expr(1);
                if self.rng.chance(20) {
                    let k = self.int_literal();
                    format!("Pt {{ x: {x}, y: {y} }}.scale({k})")
                } else {
                    format!("Pt {{ x: {x}, y: {y} }}")
                }
            }
            Class::Fn => {
                let x = self.fresh("x");
                format!("func({x}) {{ return {x} * 2 }}")
            }
            Class::Any => self.any_expr(depth),
        }
    }

    fn int_literal(&mut self) -> String {
        let lit = self.rng.pick(INT_LITERALS).to_string();
        if lit.starts_with('-') {
            format!("({lit})")
        } else {
            lit
        }
    }

    fn int_expr(&mut self, depth: u32) -> String {
        if depth == 0 || self.rng.chance(30) {
            if self.rng.chance(65) {
                if let Some(v) = self.pick_var(&[Class::Int], false) {
                    return v;
                }
            }
            return self.int_literal();
        }
        let d = depth - 1;
        match self.rng.below(18) {
            0..=2 => {
                let (a, b) = (self.int_expr(d), self.int_expr(d));
                let op = self.rng.pick(&["+", "-", "*"]);
                format!("({a} {op} {b})")
            }
            3 => {
                // `| 1` makes the divisor odd, hence never zero.
                let (a, b) = (self.int_expr(d), self.int_expr(d));
                let op = self.rng.pick(&["/", "%"]);
                format!("({a} {op} ({b} | 1))")
            }
            4 => {
                let (a, b) = (self.int_expr(d), self.int_expr(d));
                let op = self.rng.pick(&["&", "|", "^"]);
                format!("({a} {op} {b})")
            }
            5 => {
                let (a, b) = (self.int_expr(d), self.int_expr(d));
                let op = self.rng.pick(&["<<", ">>"]);
                format!("({a} {op} ({b} & 63))")
            }
            6 => {
                let a = self.int_expr(d);
                let op = self.rng.pick(&["-", "~"]);
                format!("({op}{a})")
            }
            7 => {
                let s = self.short_str(d);
                format!("len({s})")
            }
            8 => match self.pick_var(&[Class::Arr, Class::Dict, Class::Str], false) {
                Some(c) => format!("len({c})"),
                None => self.int_literal(),
            },
            9 => {
                let (a, b) = (self.int_expr(d), self.int_expr(d));
                let f = self.rng.pick(&["min", "max"]);
                format!("{f}({a}, {b})")
            }
            10 => {
                let a = self.int_expr(d);
                format!("abs({a})")
            }
            11 => {
                // Str round trip: to_int(to_string(Int)) never fails.
                let a = self.int_expr(d);
                format!("to_int(to_string({a}))")
            }
            12 => {
                let b = self.bool_expr(d);
                format!("to_int({b})")
            }
            13 | 14 => self
                .call_expr(Some(Class::Int))
                .unwrap_or_else(|| self.int_literal()),
            15 => match self.loop_counters.last().cloned() {
                Some(c) => format!("({c} * {})", self.int_literal()),
                None => self.int_literal(),
            },
            16 => {
                let a = self.int_expr(d);
                format!("(({a}) % 1000)")
            }
            _ => {
                let lit = self.int_literal();
                let a = self.int_expr(d);
                format!("({a} + {lit})")
            }
        }
    }

    fn float_literal(&mut self) -> String {
        let lit = self.rng.pick(FLOAT_LITERALS).to_string();
        if lit.starts_with('-') {
            format!("({lit})")
        } else {
            lit
        }
    }

    /// An expression that is always a Float.
    fn float_expr(&mut self, depth: u32) -> String {
        if depth == 0 || self.rng.chance(35) {
            return self.float_literal();
        }
        let d = depth - 1;
        match self.rng.below(7) {
            0 | 1 => {
                let (a, b) = (self.float_expr(d), self.num_expr(d));
                let op = self.rng.pick(&["+", "-", "*", "/", "%"]);
                if self.rng.chance(50) {
                    format!("({a} {op} {b})")
                } else {
                    format!("({b} {op} {a})")
                }
            }
            2 => {
                let a = self.num_expr(d);
                format!("to_float({a})")
            }
            3 => {
                let a = self.num_expr(d);
                let f = self.rng.pick(&["sqrt", "floor", "ceil", "round"]);
                format!("{f}({a})")
            }
            4 => {
                let a = self.num_expr(d);
                let e = self.rng.pick(&["2", "0.5", "-1", "3"]);
                format!("pow({a}, {e})")
            }
            5 => {
                let a = self.num_expr(d);
                format!("({a} / 4.0)")
            }
            _ => {
                let a = self.float_expr(d);
                format!("(-{a})")
            }
        }
    }

    /// An Int or a Float.
    fn num_expr(&mut self, depth: u32) -> String {
        if depth == 0 || self.rng.chance(25) {
            if self.rng.chance(70) {
                if let Some(v) = self.pick_var(&[Class::Int, Class::Num], false) {
                    return v;
                }
            }
            return if self.rng.chance(50) {
                self.int_literal()
            } else {
                self.float_literal()
            };
        }
        let d = depth - 1;
        match self.rng.below(16) {
            0..=3 => {
                let (a, b) = (self.num_expr(d), self.num_expr(d));
                let op = self.rng.pick(&["+", "-", "*"]);
                format!("({a} {op} {b})")
            }
            4 => {
                // A non-zero literal divisor: Int / Int must not divide by zero here.
                let a = self.num_expr(d);
                let op = self.rng.pick(&["/", "%"]);
                let lit = self.rng.pick(&["3", "-7", "0.5", "2.5", "1000"]);
                format!("({a} {op} {lit})")
            }
            5 => self.int_expr(depth),
            6 => self.float_expr(depth),
            7 => match self.pick_var(&[Class::Arr], false) {
                Some(a) => {
                    let i = self.safe_index(&a);
                    format!("{a}[{i}]")
                }
                None => self.int_literal(),
            },
            8 => match self.pick_var(&[Class::Pt], false) {
                Some(p) => {
                    if self.rng.chance(50) {
                        format!("{p}.sum()")
                    } else {
                        format!("{p}.{}", self.rng.pick(&["x", "y"]))
                    }
                }
                None => self.float_literal(),
            },
            9 => match self.pick_var(&[Class::Fn], false) {
                Some(f) => {
                    let a = self.num_expr(d);
                    format!("{f}({a})")
                }
                None => self.int_literal(),
            },
            10 | 11 => self
                .call_expr(Some(Class::Num))
                .unwrap_or_else(|| self.float_literal()),
            12 => {
                let (a, b) = (self.num_expr(d), self.num_expr(d));
                let f = self.rng.pick(&["min", "max"]);
                format!("{f}({a}, {b})")
            }
            13 => {
                let a = self.num_expr(d);
                let f = self.rng.pick(&["abs", "-"]);
                format!("{f}({a})")
            }
            14 => match self.pick_var(&[Class::Dict], false) {
                Some(m) => {
                    let k = self.dict_key();
                    format!("(len(keys({m})) + to_int(contains({m}, {k})))")
                }
                None => self.int_literal(),
            },
            _ => {
                let (c, a) = (self.bool_expr(d), self.num_expr(d));
                format!("({a} * to_int({c}))")
            }
        }
    }

    fn bool_expr(&mut self, depth: u32) -> String {
        if depth == 0 || self.rng.chance(20) {
            if self.rng.chance(40) {
                if let Some(v) = self.pick_var(&[Class::Bool], false) {
                    return v;
                }
            }
            if let Some(c) = self.loop_counters.last().cloned() {
                if self.rng.chance(60) {
                    let m = self.rng.pick(&["2", "3", "7", "50"]);
                    return format!("({c} % {m} == 0)");
                }
            }
            return self.rng.pick(&["true", "false"]).to_string();
        }
        let d = depth - 1;
        match self.rng.below(10) {
            0..=2 => {
                let (a, b) = (self.num_expr(d), self.num_expr(d));
                let op = self.rng.pick(&["<", "<=", ">", ">=", "==", "!="]);
                format!("({a} {op} {b})")
            }
            3 => {
                let (a, b) = (self.short_str(d), self.short_str(d));
                let op = self.rng.pick(&["<", "==", "!=", ">="]);
                format!("({a} {op} {b})")
            }
            4 => {
                let (a, b) = (self.any_expr(d), self.any_expr(d));
                let op = self.rng.pick(&["==", "!="]);
                format!("({a} {op} {b})")
            }
            5 => {
                let (a, b) = (self.bool_expr(d), self.bool_expr(d));
                let op = self.rng.pick(&["&&", "||", "and", "or"]);
                format!("({a} {op} {b})")
            }
            6 => {
                let a = self.any_expr(d);
                let op = self.rng.pick(&["!", "not "]);
                format!("({op}{a})")
            }
            7 => match self.pick_var(&[Class::Dict], false) {
                Some(m) => {
                    let k = self.dict_key();
                    format!("contains({m}, {k})")
                }
                None => {
                    let (a, b) = (self.short_str(d), self.short_str(d));
                    format!("contains({a}, {b})")
                }
            },
            8 if self.mult <= CHEAP_LIMIT => match self.pick_var(&[Class::Arr], false) {
                Some(a) => {
                    let x = self.num_expr(d);
                    format!("contains({a}, {x})")
                }
                None => "true".to_string(),
            },
            _ => {
                let a = self.num_expr(d);
                format!("({a} > 0)")
            }
        }
    }

    /// A Str of bounded length (it never contains a whole Str variable).
    fn short_str(&mut self, depth: u32) -> String {
        if depth == 0 || self.rng.chance(35) {
            return self.rng.pick(STR_LITERALS).to_string();
        }
        let d = depth - 1;
        match self.rng.below(10) {
            0 | 1 => {
                let a = self.num_expr(d);
                format!("to_string({a})")
            }
            2 => {
                let (a, b) = (self.short_str(d), self.short_str(d));
                format!("({a} + {b})")
            }
            3 => match self.pick_var(&[Class::Str], false) {
                Some(s) => {
                    let a = self.rng.below(4);
                    let b = a + self.rng.below(8);
                    format!("substring({s}, {a}, {b})")
                }
                None => "\"s\"".to_string(),
            },
            4 => {
                let a = self.any_expr(d);
                format!("type_of({a})")
            }
            5 => {
                let a = self.short_str(d);
                let f = self.rng.pick(&["to_upper", "to_lower", "trim"]);
                format!("{f}({a})")
            }
            6 => {
                let a = self.short_str(d);
                format!("({a} * {})", self.rng.below(3))
            }
            7 => {
                let a = self.short_str(d);
                format!("replace({a}, \"a\", \"b\")")
            }
            8 => {
                let a = self.num_expr(d);
                format!("\"n=${{{a}}};\"")
            }
            _ => {
                let b = self.bool_expr(d);
                format!("to_string({b})")
            }
        }
    }

    fn arr_expr(&mut self, depth: u32) -> String {
        if self.mult <= CHEAP_LIMIT && self.rng.chance(30) {
            if let Some(a) = self.pick_var(&[Class::Arr], false) {
                // Always a new array: an alias could be pushed to while the original is iterated.
                return if self.rng.chance(50) {
                    format!("sort({a})")
                } else {
                    let x = self.num_expr(1);
                    format!("({a} + [{x}])")
                };
            }
        }
        let n = 1 + self.rng.below(4);
        let items: Vec<String> = (0..n)
            .map(|_| self.num_expr(depth.saturating_sub(1)))
            .collect();
        format!("[{}]", items.join(", "))
    }

    fn dict_expr(&mut self) -> String {
        let n = self.rng.below(3);
        let mut items = Vec::new();
        for _ in 0..n {
            let k = self.dict_key();
            let v = self.num_expr(1);
            items.push(format!("{k}: {v}"));
        }
        format!("{{{}}}", items.join(", "))
    }

    /// A Str, Int or Bool key from a small set, so dicts stay small.
    fn dict_key(&mut self) -> String {
        match self.rng.below(5) {
            0 => format!("\"k{}\"", self.rng.below(6)),
            1 => self.rng.pick(&["true", "false", "0", "-1"]).to_string(),
            2 => match self.loop_counters.last().cloned() {
                Some(c) => format!("{c} % 5"),
                None => "3".to_string(),
            },
            3 => match self.loop_counters.last().cloned() {
                Some(c) => format!("\"k\" + to_string({c} % 4)"),
                None => "\"k1\"".to_string(),
            },
            _ => format!("{}", self.rng.below(8)),
        }
    }

    fn any_expr(&mut self, depth: u32) -> String {
        match self.rng.below(12) {
            0 => "null".to_string(),
            1 => {
                let x = self.num_expr(0);
                format!("[{x}, \"s\", null]")
            }
            2 => {
                let x = self.num_expr(0);
                format!("{{\"a\": {x}, 1: true}}")
            }
            3 => {
                if let Some(v) = self.pick_var(&[Class::Any, Class::Fn], false) {
                    return v;
                }
                "len".to_string()
            }
            4 => self.bool_expr(depth),
            5 | 6 => self.short_str(depth),
            7 => self.expr(Class::Pt, depth),
            _ => self.num_expr(depth),
        }
    }

    /// An index that is in range for the (never empty) array `a`, or negative from the end.
    fn safe_index(&mut self, a: &str) -> String {
        let k = self.int_expr(1);
        format!("({k}) % len({a})")
    }

    /// A call of a generated helper returning `want` (any class if None), with arguments of
    /// the parameter classes; None if no helper fits or the work budget forbids it.
    fn call_expr(&mut self, want: Option<Class>) -> Option<String> {
        let fits: Vec<usize> = (0..self.helpers.len())
            .filter(|&i| {
                let h = &self.helpers[i];
                let ret_ok = match want {
                    None => true,
                    Some(Class::Num) => matches!(h.ret, Class::Int | Class::Num),
                    Some(c) => h.ret == c,
                };
                ret_ok && self.mult * h.cost <= self.limit * 4
            })
            .collect();
        if fits.is_empty() || !self.allow_calls {
            return None;
        }
        let i = *self.rng.pick(&fits);
        let (name, params, recursive) = {
            let h = &self.helpers[i];
            self.call_work += self.mult * h.cost;
            (h.name.clone(), h.params.clone(), h.recursive)
        };
        let mut args = Vec::new();
        for (k, &p) in params.iter().enumerate() {
            if recursive && k == 0 {
                args.push(format!("{}", self.rng.below(20)));
                continue;
            }
            let arg = match p {
                Class::Arr => self
                    .pick_var(&[Class::Arr], false)
                    .unwrap_or_else(|| "[1, 2.5]".to_string()),
                _ => self.expr(p, 1),
            };
            args.push(arg);
        }
        Some(format!("{name}({})", args.join(", ")))
    }
}
