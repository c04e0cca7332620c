//! Struct field access in compiled code (`translate/plan/fields.rs`, `emit/fields.rs`):
//! reads and writes by slot behind a guard on the struct definition, with the inline and
//! spilled field storage, sites that see several definitions, heap values stored and
//! overwritten, `p = p.next` (the destination is the object), errors, and method receivers.
//! Every program must behave exactly as under `interp` in every JIT config.

mod jit_common;

use jit_common::{assert_same_as_interp, run};

/// Structs of 1 to 7 fields (up to 4 inline in the instance, more on the heap): every field
/// read and written in a hot loop, with Int, Float and Bool values.
#[test]
fn fields_of_every_struct_size() {
    let mut src = String::new();
    for n in 1..=7 {
        let names: Vec<String> = (0..n).map(|i| format!("f{i}")).collect();
        src += &format!("struct S{n} {{ {} }}\n", names.join(", "));
        let init: Vec<String> = (0..n).map(|i| format!("f{i}: {i}")).collect();
        src += &format!(
            "func run{n}(k) {{\n  s := S{n} {{ {} }}\n  t := 0\n",
            init.join(", ")
        );
        src += "  for i in range(k) {\n";
        for i in 0..n {
            src += &format!("    s.f{i} = s.f{i} + i * {}\n", i + 1);
            src += &format!("    t = t + s.f{i} % 1000\n");
        }
        src += "  }\n  return t\n}\n";
        src += &format!("print(run{n}(200))\n");
    }
    src += r#"
struct Mixed { a, b, c, d, e }
m := Mixed { a: 1.5, b: true, c: 0, d: 2.0, e: false }
for i in range(300) {
  m.a = m.a * 1.01
  m.b = !m.b
  m.c = m.c + 1
  m.d = m.d + m.a
  m.e = m.b && m.c % 3 == 0
}
print(m.a, m.b, m.c, m.d, m.e)
"#;
    assert_same_as_interp(&src);
}

/// One read site sees two definitions with the field in different slots (the guard on the
/// definition fails), before and after the function is compiled.
#[test]
fn a_site_seeing_two_definitions() {
    assert_same_as_interp(
        r#"
struct A { x, y }
struct B { pad, x, z, w, v, u }
func getx(p) { return p.x }
func setx(p, v) { p.x = v }
a := A { x: 1, y: 2 }
b := B { pad: 0, x: 10, z: 0, w: 0, v: 0, u: 0 }
t := 0
for i in range(300) { setx(a, getx(a) + 1); t = t + getx(a) }
for i in range(300) {
  if i % 3 == 0 { setx(b, getx(b) + 2); t = t + getx(b) } else { t = t + getx(a) }
}
print(t, a.x, b.x)
"#,
    );
}

/// Strings, arrays and instances stored into fields and overwritten (the last reference to
/// the old value is dropped by the helper, others inline), a field read into a register
/// that held a heap value, and an instance that refers to itself.
#[test]
fn heap_values_in_fields() {
    assert_same_as_interp(
        r#"
struct Box { label, items, n, other, e1, e2 }
shared := [1, 2]
b := Box { label: "start", items: shared, n: 0, other: null, e1: 0, e2: 0 }
s := "x"
for i in range(300) {
  b.label = "item " + str(i)
  if i % 2 == 0 { b.items = shared } else { b.items = [i, i + 1] }
  b.n = b.n + len(b.items)
  if i % 50 == 0 { b.label = i }
  s = b.label
  b.other = b
  if i % 7 == 0 { b.other = null }
  b.e1 = b.label
}
push(shared, 3)
print(b.label, b.items, b.n, s, len(shared), b.other == null, b.e1)
b.other = null
c := Box { label: "c", items: [], n: 1, other: null, e1: 0, e2: 0 }
for i in range(200) {
  c.items = c.items + [i]
  c.label = c.label + "."
}
print(len(c.items), len(c.label))
"#,
    );
}

/// `p = p.next` and `v = v.val`: the destination register is the object read from, so the
/// field is copied before the instance (maybe its last reference) is released.
#[test]
fn destination_is_the_object() {
    assert_same_as_interp(
        r#"
struct Node { val, next }
func build(n) {
  head := null
  for i in range(n) { head = Node { val: i, next: head } }
  return head
}
func total(p) {
  t := 0
  while p != null { t = t + p.val; p = p.next }
  return t
}
func last_value(n) {
  p := build(n)
  while p.next != null { p = p.next }
  p = p.val
  return p + 1
}
t := 0
for k in range(100) { t = t + total(build(k)) + last_value(k + 1) }
print(t)
"#,
    );
}

/// Reading and writing a field of something that is not an instance, or a field the
/// instance lacks, after the site ran on instances: the same error, position and trace.
#[test]
fn field_errors_after_compiled_accesses() {
    for bad in ["5", "\"text\"", "[1]", "null", "Other { y: 1 }"] {
        for access in ["p.x", "p.x = 3"] {
            let src = format!(
                r#"
struct P {{ x }}
struct Other {{ y }}
func f(p) {{
  {access}
  return 1
}}
t := 0
for i in range(300) {{ t = t + f(P {{ x: i }}) }}
print(t)
f({bad})
print("not reached")
"#
            );
            let (out, _) = run(&src, "interp");
            assert!(out.error.is_some(), "{src}");
            assert_same_as_interp(&src);
        }
    }
}

/// Fields written while an array of the instances is being iterated, and the array stored
/// into a field of one of its elements.
#[test]
fn field_writes_while_iterating() {
    assert_same_as_interp(
        r#"
struct P { x, y, owner }
ps := []
for i in range(40) { push(ps, P { x: i, y: 0, owner: null }) }
for round in range(20) {
  for p in ps {
    p.x = p.x + round
    ps[0].y = ps[0].y + p.x
    p.owner = ps
  }
}
t := 0
for p in ps { t = t + p.x + p.y; p.owner = null }
print(t)
"#,
    );
}

/// Method calls on receivers of two definitions with methods of the same name (the guard of
/// the method check fails), a receiver without the method, and methods reading fields.
#[test]
fn method_receivers_of_several_definitions() {
    for tail in [
        "",
        "call(7)\n",
        "call(Cat { lives: 1 })\n",
        "print(d.speak(1))\n",
    ] {
        let src = format!(
            r#"
struct Dog {{ age
  func speak(self) {{ self.age = self.age + 1; return self.age }}
}}
struct Bird {{ wings, age
  func speak(self) {{ return self.wings * 10 + self.age }}
}}
struct Cat {{ lives }}
func call(a) {{ return a.speak() }}
d := Dog {{ age: 0 }}
b := Bird {{ wings: 2, age: 5 }}
t := 0
for i in range(300) {{ t = t + call(d) }}
for i in range(300) {{ if i % 4 == 0 {{ t = t + call(b) }} else {{ t = t + call(d) }} }}
print(t, d.age)
{tail}"#
        );
        assert_same_as_interp(&src);
    }
}

/// A monomorphic struct loop in specialized code never deoptimizes: the definition guards
/// hold, and the fields it reads stay Ints.
#[test]
fn monomorphic_fields_do_not_deoptimize() {
    let src = r#"
struct V { x, y, z, w, q }
func step(v, k) { v.x = v.x + k; v.y = v.y + v.x % 7; v.q = v.x + v.y }
v := V { x: 0, y: 0, z: 0, w: 0, q: 0 }
for i in range(3000) { step(v, i) }
print(v.x, v.y, v.q)
"#;
    let (expected, _) = run(src, "interp");
    let (got, stats) = run(src, "jit-spec");
    assert_eq!(got, expected);
    assert!(stats.functions_compiled + stats.loops_compiled > 0);
    assert_eq!(stats.deopts, 0, "{stats:?}");
}

/// A loop entered by OSR after the guard before it was skipped: the loop header's state
/// knows the instance's definition from that guard, so the OSR entry checks it again
/// (here the instance is of another definition, with `x` in another slot, and the call
/// that compiled `f` deoptimized at the guard before the loop got hot).
#[test]
fn osr_entry_checks_a_known_shape() {
    let src = r#"
struct A { x, y }
struct B { y, x }
func f(p, n) {
  t := p.x
  for i in range(n) { t = t + p.x }
  return t
}
a := A { x: 1, y: 100 }
b := B { y: 100, x: 2 }
s := 0
for k in range(300) { s = s + f(a, 3) }
print(s)
print(f(b, 5000))
print(f(a, 5000))
"#;
    let (expected, _) = run(src, "interp");
    for config in ["jit-spec", "jit-spec-hoist"] {
        assert_eq!(run(src, config).0, expected, "{config}");
    }
    assert_same_as_interp(src);
}
