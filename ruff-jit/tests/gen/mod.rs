//! A seeded generator of random, well-formed Ruff programs for differential testing: every
//! program must print the same bytes and fail with the same error under the interpreter and
//! every JIT configuration (see `../differential.rs`).
//!
//! The programs aim at what JITs get wrong: Ints near overflow (wrapping `+ - * << -`),
//! Int/Float mixes, variables whose type changes in the middle of a hot loop (guard failures
//! and deopts), nested loops with `break`/`continue`, helper calls, bounded recursion (direct
//! and mutual), closures capturing and mutating locals, arrays, dicts, strings, structs and
//! methods, and now and then a runtime error (division by zero, index out of range, a type
//! error, stack overflow ...) raised from inside a hot loop after it has been compiled.
//! `selfop.rs` and `stress.rs` add the shapes random statements almost never produce (issue
//! 14): operands used twice, with results asserted against `oracle.rs`; long flat chains;
//! deep nesting; thousands of locals; many top-level loops; strings mixed into numeric loops.
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

mod expr;
mod oracle;
mod selfop;
mod statements;
mod stress;

pub use stress::TOO_MANY_LOCALS_MARK;

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
    /// An instance of the struct `Pt` or `Pq` (fields `x`, `y` are numbers; both have the
    /// methods `sum`, `scale` and `moved`).
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
        self.line("    func moved(self, d) { return Pt { x: self.x, y: self.y + d } }");
        self.line("}");
        // A second definition with the same members, its `x` and `y` at other slots and five
        // fields (stored out of line), so member-access sites see two shapes; a string field
        // is copied through `moved`, which returns a fresh instance.
        self.line("struct Pq {");
        self.line("    tag, y, w, x, z");
        self.line("    func sum(self) { return self.x + self.y }");
        self.line("    func scale(self, k) {");
        self.line("        self.x = self.x * k");
        self.line("        return self");
        self.line("    }");
        self.line("    func moved(self, d) {");
        self.line("        return Pq { tag: self.tag + 1, y: self.y + d, w: self.w, x: self.x, z: self.z }");
        self.line("    }");
        self.line("}");
        self.line("struct Cell { v }");
        for g in selfop::SELF_GLOBALS {
            self.line(&format!("{g} := null"));
        }
        // Rare whole-program shapes: a function with thousands of locals (very rarely at the
        // 65,535 limit), many loops at top level (after `run()`).
        let shape = self.rng.below(10_000);
        if shape < 2 {
            self.many_locals(true);
        } else if shape < 40 {
            self.many_locals(false);
        }
        let many_loops = (40..140).contains(&shape);
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
        if self.rng.chance(30) {
            self.mutual_helpers();
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
        if many_loops {
            self.many_top_loops();
        }
        self.print_scope(0);
    }

    /// `func fN(n, acc) { if n <= 0 { return acc } return fN(n - 1, <acc op ...>) }`
    fn recursive_helper(&mut self) {
        let name = self.fresh("rec");
        let class = *self.rng.pick(&[Class::Int, Class::Num]);
        self.recursion_step(&name, &name, class);
        self.helpers.push(Helper {
            name,
            params: vec![Class::Int, class],
            ret: class,
            cost: 25,
            recursive: true,
        });
    }

    /// `func ME(n, acc) { if n <= 0 { return acc } return OTHER(n - 1, <acc op ...>) }`.
    fn recursion_step(&mut self, me: &str, other: &str, class: Class) {
        let n = self.fresh("n");
        let acc = self.fresh("acc");
        let mark = self.scope.len();
        self.body = Body::Function;
        self.scope.push(Var {
            name: n.clone(),
            class: Class::Int,
            assignable: false,
            global: false,
        });
        self.declare(&acc, class);
        self.open(&format!("func {me}({n}, {acc}) {{"));
        self.line(&format!("if {n} <= 0 {{ return {acc} }}"));
        let step = self.expr(class, 2);
        let op = self.rng.pick(&["+", "-", "*"]);
        self.line(&format!("return {other}({n} - 1, ({acc} {op} {step}))"));
        self.close();
        self.body = Body::TopLevel;
        self.scope.truncate(mark);
    }

    /// Two functions recursing through each other (compiled code calls each through the
    /// other's typed entry when their arguments are unboxed):
    /// `func evN(n, acc) { if n <= 0 { return acc } return odM(n - 1, <acc op ...>) }` and
    /// `odM` the same way back; callers call `evN`.
    fn mutual_helpers(&mut self) {
        let even = self.fresh("ev");
        let odd = self.fresh("od");
        let class = *self.rng.pick(&[Class::Int, Class::Num]);
        self.recursion_step(&even, &odd, class);
        self.recursion_step(&odd, &even, class);
        self.helpers.push(Helper {
            name: even,
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
}
