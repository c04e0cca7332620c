//! Inline array access in specialized code (`translate/index.rs`): every case the inline
//! paths do not handle themselves (negative and out-of-range indexes, other object types at
//! a site profiled as Array, element type changes, heap elements, aliasing of the
//! destination and the object, `push` on anything but an array) must behave exactly as in
//! the interpreter, under every JIT config.

mod jit_common;

use jit_common::{assert_same_as_interp, run};

#[test]
fn negative_and_in_range_indexes_after_warm_up() {
    assert_same_as_interp(
        r#"
func get(a, i) { return a[i] }
func set(a, i, v) { a[i] = v }
a := [1, 2, 3, 4, 5]
t := 0
for k in range(50) { t += get(a, k % 5) }
print(t, get(a, -1), get(a, -5))
set(a, -2, 40)
for k in range(50) { set(a, k % 5, k) }
set(a, -1, 99)
print(a)
"#,
    );
}

#[test]
fn out_of_range_read_raises_the_interpreters_error() {
    assert_same_as_interp(
        r#"
func get(a, i) { return a[i] }
a := [1, 2, 3]
t := 0
for k in range(60) { t += get(a, k % 3) }
print(t)
print(get(a, 3))
"#,
    );
    assert_same_as_interp(
        r#"
a := [1, 2, 3]
t := 0
i := 0
while i < 100 { t += a[i % 3]; i += 1 }
print(t)
print(a[-4])
"#,
    );
}

#[test]
fn out_of_range_write_raises_the_interpreters_error() {
    assert_same_as_interp(
        r#"
flags := [true, true, true, true]
m := 0
while m < 200 { flags[m % 4] = false; m += 1 }
print(flags)
m = 0
while m < 10 { flags[m] = true; m += 1 }
"#,
    );
    assert_same_as_interp(
        r#"
func set(a, i) { a[i] = 1 }
a := [0, 0]
for k in range(40) { set(a, k % 2) }
set(a, -3)
"#,
    );
}

#[test]
fn dicts_and_strings_at_a_site_profiled_as_array() {
    assert_same_as_interp(
        r#"
func get(a, i) { return a[i] }
func set(a, i, v) { a[i] = v }
a := [10, 20, 30]
t := 0
for k in range(60) { t += get(a, k % 3); set(a, k % 3, k) }
d := {"x": 1, 0: 5}
print(t, get(d, 0), get("hello", 1), get("hello", -1))
set(d, 0, 7)
set(d, "y", 8)
print(d)
print(get(a, "x"))
"#,
    );
    assert_same_as_interp(
        r#"
func set(a, i, v) { a[i] = v }
a := [1, 2]
for k in range(30) { set(a, 0, k) }
set("abc", 0, "z")
"#,
    );
    assert_same_as_interp(
        r#"
func get(a, i) { return a[i] }
a := [1, 2]
for k in range(30) { get(a, 1) }
print(get(a, 1.5))
"#,
    );
}

#[test]
fn element_type_changes_mid_loop() {
    // A Bool array whose reads were always Bool gets an Int and then a string.
    assert_same_as_interp(
        r#"
flags := []
for i in range(100) { push(flags, true) }
count := 0
for p in range(100) {
  if p == 50 { flags[60] = 7 }
  if p == 70 { flags[80] = "s" }
  if p == 90 { flags[95] = [1] }
  if flags[p] { count += 1 }
}
print(count, flags[60], flags[80], flags[95])
"#,
    );
    // Int reads feeding an addition, then Floats, strings and null.
    assert_same_as_interp(
        r#"
a := []
for i in range(100) { push(a, i) }
t := 0
for i in range(100) {
  if i == 40 { a[41] = 0.5 }
  if i == 60 { a[61] = null }
  if a[i] == null { t += 1000 } else { t += a[i] }
}
print(t)
a[99] = "x"
s := 0
for i in range(99) { s += a[i] }
print(s)
print(a[98] + a[99])
"#,
    );
    // Stores of heap values over scalars and of scalars over heap values.
    assert_same_as_interp(
        r#"
a := [0, 0, 0, 0]
for i in range(200) {
  if i % 3 == 0 { a[i % 4] = "s" + str(i) } else { a[i % 4] = i }
}
print(a)
b := [[1], [2], [3]]
for i in range(100) { b[i % 3] = b[(i + 1) % 3] }
print(b)
"#,
    );
}

#[test]
fn destination_aliases_the_object() {
    assert_same_as_interp(
        r#"
x := 0
for i in range(100) {
  x = [[[i, i + 1]]]
  x = x[0]
  x = x[0]
  x = x[1]
}
print(x)
a := [1, 2]
for i in range(50) { a[i % 2] = a }
print(len(a), len(a[0]))
b := [0]
for i in range(50) {
  b = [b, i]
  b = b[0]
}
print(b)
"#,
    );
    assert_same_as_interp(
        r#"
func pick(a, i) {
  a = a[i]
  return a
}
t := 0
for k in range(100) { t += pick([k, k * 2], k % 2) }
print(t)
print(pick(["a", "b"], 1), pick([[1, 2]], 0))
"#,
    );
}

#[test]
fn push_and_append_in_compiled_loops() {
    assert_same_as_interp(
        r#"
a := []
b := []
for i in range(300) {
  push(a, i)
  append(b, "v" + str(i % 7))
  if i % 50 == 0 { push(a, a[0]) }
}
print(len(a), a[0], a[299], len(b), b[299])
c := []
for i in range(100) { r := push(c, [i]); if i == 99 { print(len(r), r[99]) } }
t := 0
for x in c { t += x[0] }
print(t)
"#,
    );
    // The result of `push` used later; an array that holds itself; a temporary array.
    assert_same_as_interp(
        r#"
a := [1]
for i in range(40) { a = push(a, i) }
print(len(a))
d := []
for i in range(20) { push(d, d) }
print(len(d), len(d[5]))
for i in range(30) { push([i], i) }
print(push([], 1))
"#,
    );
}

#[test]
fn push_on_other_values_and_rebound_names() {
    assert_same_as_interp(
        r#"
a := []
for i in range(60) { push(a, i) }
push("abc", 1)
"#,
    );
    assert_same_as_interp(
        r#"
func f(x, y) { return x + y }
a := []
t := 0
for i in range(60) {
  g := push
  if i > 30 { g = f }
  r := g(a, i)
  if i > 30 { t += r }
}
print(t, len(a))
"#,
    );
    assert_same_as_interp(
        r#"
func grow(a, n) {
  for i in range(n) { push(a, i * 2) }
  return a
}
a := []
for k in range(30) { grow(a, 10) }
print(len(a), a[299])
grow(null, 1)
"#,
    );
}

#[test]
fn sieve_is_correct_and_compiled() {
    let src = r#"
func main() {
  n := 20000
  flags := []
  for i in range(n + 1) { push(flags, true) }
  count := 0
  for p in range(2, n + 1) {
    if flags[p] {
      count += 1
      m := p * p
      while m <= n { flags[m] = false; m += p }
    }
  }
  return count
}
print(main())
"#;
    assert_same_as_interp(src);
    let (out, stats) = run(src, "jit-spec");
    assert_eq!(out.stdout, "2262\n");
    assert!(
        stats.loops_compiled + stats.functions_compiled > 0,
        "{stats:?}"
    );
    // At most the one exit of the first OSR compile at the not-yet-run second loop.
    assert!(stats.deopts <= 1, "{stats:?}");
}
