//! Differential tests: every program prints the same output and reports the same errors
//! (message, position, source line, trace) under every JIT preset, with thresholds low
//! enough that everything compiles, as under the interpreter.

mod jit_common;

use jit_common::assert_same_as_interp;

#[test]
fn int_arithmetic_follows_the_language() {
    assert_same_as_interp(
        r#"
func ops(a, b) {
  return [a + b, a - b, a * b, a / b, a % b, a & b, a | b, a ^ b, -a, ~a, a < b, a <= b, a == b, a != b, a > b, a >= b]
}
for i in range(20) {
  print(ops(i - 7, 3), ops(-7, 2), ops(7, -3), ops(-7, -3))
}
big := 9223372036854775807
for i in range(5) {
  print(big + i, -big - 2 - i, big * (i + 2), (-big - 1) / -1, (-big - 1) % -1, 1 << (60 + i % 3), -16 >> (i + 1))
}
"#,
    );
}

#[test]
fn float_and_mixed_arithmetic() {
    assert_same_as_interp(
        r#"
func f(x, y) { return [x + y, x - y, x * y, x / y, x < y, x == y, x >= y, -x, !x] }
i := 0
while i < 30 {
  print(f(i * 0.5 - 3.0, 1.25), f(i, 0.5), f(0.5, i), f(i * 1.0, 0.0), f(-0.0, 0.0))
  i += 1
}
print(0.1 + 0.2, 1.0 / 0.0, -1.0 / 0.0, 0.0 / 0.0, 7.5 % 2.0)
"#,
    );
}

#[test]
fn loops_ranges_and_iteration() {
    assert_same_as_interp(
        r#"
func sums(n) {
  t := 0
  for i in range(n) { t += i }
  for i in range(n, 0, -3) { t += i * 2 }
  for i in range(2, n, 5) { if i % 3 == 0 { continue }; t -= i }
  for i in n { if i > 7 { break }; t += 100 }
  for x in [1, 2.5, "a", true] { t = to_string(t) + to_string(x); t = len(t) }
  for c in "héllo" { t += len(c) }
  for k in {"a": 1, "b": 2} { t += len(k) }
  return t
}
for n in range(12) { print(sums(n)) }
for i in range(9223372036854775806, 9223372036854775807, 10) { print(i) }
for i in range(-9223372036854775807, -9223372036854775808, -10) { print(i) }
k := 0
loop { k += 1; if k > 50 { break } }
print(k)
"#,
    );
}

#[test]
fn calls_closures_structs_and_recursion() {
    assert_same_as_interp(
        r#"
func fib(n) { if n < 2 { return n }; return fib(n - 1) + fib(n - 2) }
func make_counter() {
  c := 0
  return func() { c += 1; return c }
}
struct Point { x, y
  func norm2(self) { return self.x * self.x + self.y * self.y }
  func add(self, o) { return Point { x: self.x + o.x, y: self.y + o.y } }
}
func apply(f, n) { return f(n) }
counter := make_counter()
p := Point { x: 1, y: 2 }
for i in range(25) {
  counter()
  p = p.add(Point { x: i, y: 1 })
  print(fib(i % 15), apply(func(v) { return v * 3 }, i), p.norm2(), counter())
}
print(p)
"#,
    );
}

#[test]
fn strings_arrays_and_dicts() {
    assert_same_as_interp(
        r#"
func build(n) {
  s := ""
  a := []
  d := {}
  for i in range(n) {
    s = s + to_string(i)
    push(a, i * i)
    d[to_string(i % 4)] = i
  }
  return [s, a, d, len(s), a[n - 1], a[-1]]
}
for n in range(1, 15) { print(build(n)) }
words := split("the quick brown fox", " ")
print(join(sort(words), "-"), "n=${len(words)}", contains(words, "fox"))
"#,
    );
}

#[test]
fn type_changes_deoptimize_with_identical_state() {
    assert_same_as_interp(
        r#"
func combine(a, b) { return a * 2 + b }
func total(items) {
  t := 0
  for x in items { t += x }
  return t
}
s := 0
for i in range(60) { s += combine(i, 1) + total([i, 2, 3]) }
print(s)
print(combine(1.5, 2), combine("ab", "c"), total([1.5, 2]), total(["x", "y"]))
for i in range(30) { print(combine(i, 0.5), total([i, 0.25])) }
x := 1
for i in range(40) { if i == 20 { x = 0.5 }; x = x + i }
print(x)
"#,
    );
}

#[test]
fn runtime_errors_in_compiled_code_match() {
    for body in [
        "return a / b",
        "return a % b",
        "return a << b",
        "return a + \"s\"",
        "return [1, 2][a]",
        "return undefined_thing + a",
        "return a.field",
        "q := 1; while a < 1000 { q = q / (b - a); a += 1 }; return q",
    ] {
        let src = format!(
            "func f(a, b) {{ {body} }}\nfunc g(a, b) {{ return f(a, b) + 1 }}\n\
             for i in range(30) {{ print(g(i, 70 - i)) }}\nprint(g(5, 0))\nprint(g(3, 3))\n"
        );
        assert_same_as_interp(&src);
    }
}

#[test]
fn top_level_loops_and_globals() {
    assert_same_as_interp(
        r#"
total := 0
i := 0
while i < 3000 {
  total = total + i % 13
  if total > 5000 { total = total - 5000 }
  i += 1
}
print(total, i)
arr := []
for j in range(100) { push(arr, j * 2) }
s := 0
for v in arr { s += v }
print(s)
"#,
    );
}

#[test]
fn bool_logic_and_truthiness() {
    assert_same_as_interp(
        r#"
func t(x) { if x { return 1 }; return 0 }
vals := [0, 1, -1, 0.0, -0.0, 0.0 / 0.0, "", "a", [], [1], {}, null, true, false]
for round in range(5) {
  out := []
  for v in vals { push(out, t(v)); push(out, !v); push(out, v && true); push(out, v || false) }
  print(out)
}
a := true
n := 0
for i in range(100) { a = !a; if a { n += 1 }; if a && i % 3 == 0 || i == 50 { n += 10 } }
print(n)
"#,
    );
}

/// A small deterministic generator (LCG), so the test needs no extra dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// Random straight-line arithmetic in a hot loop whose operand types change at a random
/// iteration: every speculation may fail anywhere, and the deopted state must be exact.
#[test]
fn random_kernels_with_type_changes() {
    let mut rng = Lcg(0x5eed);
    let ops = ["+", "-", "*", "/", "%", "+", "-", "*", "^", "<<"];
    for case in 0..16 {
        let mut body = String::new();
        for k in 0..6 {
            let dst = ["a", "b", "c"][rng.next(3) as usize];
            let x = ["a", "b", "c", "i", "k"][rng.next(5) as usize];
            let y = ["a", "b", "i", "3", "-2", "k"][rng.next(6) as usize];
            let op = ops[rng.next(ops.len() as u64) as usize];
            let rhs = match op {
                "/" | "%" => format!("({y} * {y} + 1)"),
                "<<" => format!("(({y}) % 8 + 8) % 8"),
                _ => y.to_string(),
            };
            body.push_str(&format!("    {dst} = ({x} {op} {rhs}) % 100000\n"));
            if k == 2 {
                body.push_str(&format!("    if i == switch {{ {dst} = {dst} + 0.25 }}\n"));
            }
        }
        let src = format!(
            "func kernel(n, switch) {{\n  a := 1\n  b := 2\n  c := 3\n  k := 7\n  for i in range(n) {{\n{body}    if a == 0 {{ a = 1 }}\n    if b == 0 {{ b = 1 }}\n  }}\n  return [a, b, c]\n}}\nfor r in range(6) {{ print(kernel(40 + r, 10 * r + {case})) }}\n"
        );
        assert_same_as_interp(&src);
    }
}
