#!/usr/bin/env python3
"""Independent Python models of every suite program (suites/*/NAME.ruff).

Why: the expected results in the suite manifests must not come from the implementation they
are meant to check. Each model below re-implements one program's algorithm in Python, with
Ruff's semantics made explicit where Python differs: Int `+ - *` wrap around as i64
(`wrap`), and values print as Ruff's `to_string` does (`show`: Rust's f64 Display, i.e. no
exponent and no `.0` on whole numbers).

Usage:
  scripts/suite-models.py            print `suite/name: <stdout>` for every model
  scripts/suite-models.py --check    also compare with each suite.toml's expected output
                                     (exit 1 on any difference)
"""

import math
import sys
from decimal import Decimal
from pathlib import Path

M64 = 1 << 64


def wrap(x):
    """Reduce a Python int to the i64 two's-complement value Ruff's wrapping ops give."""
    x %= M64
    return x - M64 if x >= 1 << 63 else x


def tmod(a, b):
    """Ruff's Int `%`: the remainder takes the sign of the dividend (Python's `%` floors)."""
    r = abs(a) % abs(b)
    return -r if a < 0 else r


def show(v):
    """Ruff's to_string for the value types the suite programs print."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        if v == int(v):
            return ("-" if math.copysign(1, v) < 0 and v == 0 else "") + str(int(v))
        # repr is the shortest round-trip text; Rust prints the same digits positionally.
        return format(Decimal(repr(v)), "f")
    return str(v)


def result(*values):
    return "Result: " + " ".join(show(v) for v in values) + "\n"


# ---- suites/jit ----------------------------------------------------------------------


def arithmetic_intensive():
    def f(n):
        s, p = 0, 1
        for i in range(n):
            s = wrap(s + i)
            p = wrap(p * 2)
            temp = wrap(s - p)
            r = wrap(temp + wrap(i * 3))
            s = wrap(s + r)
        return s

    return result(f(10000))


def variable_heavy():
    def mix(n):
        a, b, c, d, e, f, g, h = range(8)
        for _ in range(n):
            a = wrap(a + b); b = wrap(b + c); c = wrap(c + d); d = wrap(d + e)
            e = wrap(e + f); f = wrap(f + g); g = wrap(g + h); h = wrap(h + a)
            t1, t2, t3, t4 = wrap(a * 2), wrap(b * 3), wrap(c * 4), wrap(d * 5)
            a, b, c, d = wrap(t1 - t2), wrap(t2 + t3), wrap(t3 - t4), wrap(t4 + t1)
        return wrap(a + b + c + d + e + f + g + h)

    return result(mix(5000))


def loop_nested():
    return result(sum(i * j for i in range(100) for j in range(500)))


def comparison_specialized():
    a, b, c, s = 10, 20, 30, 0
    for i in range(10000):
        s += (a + b) * c - i
        a, b, c = a + 1, b + 2, c + 3
    return result(s)


def comparison_generic():
    mixed = sum(range(10000))
    truly = sum(int(float(i) * 1.5) if i % 10 == 0 else i for i in range(10000))
    return result(mixed, truly)


def fib_recursive():
    def fib(n):
        return n if n < 2 else fib(n - 1) + fib(n - 2)

    return result(fib(26))


def sieve_array():
    limit = 200000
    flags = [True] * (limit + 1)
    flags[0] = flags[1] = False
    p = 2
    while p * p <= limit:
        if flags[p]:
            for m in range(p * p, limit + 1, p):
                flags[m] = False
        p += 1
    primes = [i for i, f in enumerate(flags) if f]
    return result(len(primes), sum(primes))


def nbody_float():
    pi = 3.141592653589793
    solar = 4.0 * pi * pi
    dpy = 365.24
    xs = [0.0, 4.841431442464721, 8.34336671824458, 12.894369562139131, 15.379697114850917]
    ys = [0.0, -1.1603200440274284, 4.124798564124305, -15.111151401698631, -25.919314609987964]
    zs = [0.0, -0.10362204447112311, -0.4035234171143214, -0.22330757889265573, 0.17925877295037118]
    vxs = [0.0, 0.001660076642744037, -0.002767425107268624, 0.002964601375647616, 0.0026806777249038932]
    vys = [0.0, 0.007699011184197404, 0.004998528012349172, 0.0023784717395948095, 0.001628241700382423]
    vzs = [0.0, -6.90460016972063e-05, 2.3041729757376393e-05, -2.9658956854023756e-05, -9.515922545197159e-05]
    ms = [1.0, 0.0009547919384243266, 0.0002858859806661308, 4.366244043351563e-05, 5.1513890204661145e-05]
    for i in range(5):
        vxs[i] *= dpy
        vys[i] *= dpy
        vzs[i] *= dpy
        ms[i] *= solar
    # The Ruff program starts these sums at 0.0 and adds in index order; so does this.
    px = py = pz = 0.0
    for i in range(5):
        px += vxs[i] * ms[i]
        py += vys[i] * ms[i]
        pz += vzs[i] * ms[i]
    vxs[0], vys[0], vzs[0] = -px / solar, -py / solar, -pz / solar

    def energy():
        e = 0.0
        for i in range(5):
            e += 0.5 * ms[i] * (vxs[i] * vxs[i] + vys[i] * vys[i] + vzs[i] * vzs[i])
            for j in range(i + 1, 5):
                dx, dy, dz = xs[i] - xs[j], ys[i] - ys[j], zs[i] - zs[j]
                e -= ms[i] * ms[j] / math.sqrt(dx * dx + dy * dy + dz * dz)
        return e

    before = energy()
    dt = 0.01
    for _ in range(4000):
        for i in range(5):
            for j in range(i + 1, 5):
                dx, dy, dz = xs[i] - xs[j], ys[i] - ys[j], zs[i] - zs[j]
                d2 = dx * dx + dy * dy + dz * dz
                mag = dt / (d2 * math.sqrt(d2))
                mi, mj = ms[i] * mag, ms[j] * mag
                vxs[i] -= dx * mj
                vys[i] -= dy * mj
                vzs[i] -= dz * mj
                vxs[j] += dx * mi
                vys[j] += dy * mi
                vzs[j] += dz * mi
        for i in range(5):
            xs[i] += dt * vxs[i]
            ys[i] += dt * vys[i]
            zs[i] += dt * vzs[i]
    return result(before, energy())


def string_building():
    s = "".join(str(i % 97) + "," for i in range(15000))
    parts = s.split(",")
    total = sum(int(p) for p in parts if p)
    return result(f"{len(s)}/{len(parts)}/{total}")


def dict_counting():
    words = {}
    for i in range(50000):
        k = "w" + str((i * 7919) % 1009)
        words[k] = words.get(k, 0) + 1
    ints = {}
    for i in range(50000):
        k = (i * i) % 251
        ints[k] = ints.get(k, 0) + 1
    check, pos = 0, 1
    for k in words:
        check = (check + words[k] * pos) % 1000003
        pos += 1
    for k in ints:
        check = (check + ints[k] * pos * (k + 1)) % 1000003
        pos += 1
    return result(len(words), len(ints), words["w0"], check)


def struct_methods():
    ax = ay = 0
    n = dots = 0
    for i in range(40000):
        vx, vy = i % 13, i % 7 - 3
        ax, ay = ax + vx, ay + vy
        dots = tmod(dots + vx * ax + vy * ay, 1000003)
        n += i % 3
    return result(ax, ay, dots, n)


def tdiv(a, b):
    """Ruff's Int `/`: truncates toward zero (Python's `//` floors)."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def particles():
    ps = []
    seed = 12345
    for _ in range(300):
        vals = []
        for m in (100000, 100000, 2001, 2001):
            seed = (seed * 1103515245 + 12345) % 2147483648
            vals.append(seed % m)
        x, y, vx, vy = vals[0], vals[1], vals[2] - 1000, vals[3] - 1000
        ps.append([x, y, vx, vy, 0])
    size, gravity = 100000, -15
    for _ in range(150):
        for p in ps:
            p[3] += gravity
            p[0] += p[2]
            p[1] += p[3]
            if p[0] < 0:
                p[0], p[2], p[4] = -p[0], -p[2], p[4] + 1
            elif p[0] > size:
                p[0], p[2], p[4] = 2 * size - p[0], -p[2], p[4] + 1
            if p[1] < 0:
                p[1], p[3], p[4] = -p[1], tdiv(-p[3] * 9, 10), p[4] + 1
            elif p[1] > size:
                p[1], p[3], p[4] = 2 * size - p[1], -p[3], p[4] + 1
    energy = 0
    for p in ps:
        energy = tmod(energy + p[2] * p[2] + p[3] * p[3], 1000000007)
    return result(sum(p[0] for p in ps), sum(p[1] for p in ps), energy, sum(p[4] for p in ps))


def binary_trees():
    # A complete tree of depth d has 2^(d+1) - 1 nodes; the model counts them the same way
    # the program's check() does, without building the trees.
    def nodes(d):
        return 2 ** (d + 1) - 1

    min_depth, max_depth = 4, 9
    total = 0
    for depth in range(min_depth, max_depth + 1, 2):
        iterations = 2 ** (max_depth - depth + min_depth)
        total += iterations * nodes(depth)
    return result(nodes(max_depth + 1), total, nodes(max_depth))


def mini_interpreter():
    bound = 3000
    total = sum(i * i % 7 for i in range(bound))
    # Steps: 6 set-up instructions, 17 per loop turn (the head's 4, the body's 13) for each
    # of `bound` turns, and the head's 4 once more on the way out.
    steps = 6 + 17 * bound + 4
    return result(total, steps, 0)


def polymorphic_deopt():
    ints = list(range(100))
    isum = 0
    for i in range(1000):
        isum += (i * 2 + 1) + sum(ints)

    def total(items):
        t = 0
        for x in items:
            t = t + x
        return t

    floats = [float(i) + 0.25 for i in range(100)]
    fsum = 0.0
    for i in range(1000):
        fsum = fsum + ((float(i) * 2 + 0.5) + total(floats))
    s = ""
    for i in range(50):
        s = "ab" * 2 + str(i % 10)
    acc = 0
    for i in range(100000):
        if i == 50000:
            acc = float(acc) + 0.5
        acc = acc + i % 7
    alt = 0
    for i in range(60000):
        alt = alt + 1 if i % 2 == 0 else alt + 1.0
    mixed = [1, 2.5, 3, 4.25, 5, 6.125]
    msum = 0
    for _ in range(8000):
        msum = msum + total(mixed)
    return result(isum, fsum, s, acc, alt, msum)


# ---- suites/smoke --------------------------------------------------------------------


def sum_small():
    return result(sum(range(1000)))


def fib_small():
    def fib(n):
        return n if n < 2 else fib(n - 1) + fib(n - 2)

    return result(fib(15))


def mixed_small():
    words = "the quick brown fox jumps over the lazy dog".split(" ")
    counts = {}
    for w in words:
        counts[w] = counts.get(w, 0) + 1
    x = 0.0
    for i in range(100):
        x += float(i) * 0.5
    return result(len(words), counts["the"], "-".join(sorted(counts)), x)


# ---- suites/gate ---------------------------------------------------------------------


def sum_loop_n(n):
    s = 0
    for i in range(n):
        s = (s + i * i) % 1000003
    return result(s)


def fib_gate():
    def fib(n):
        return n if n < 2 else fib(n - 1) + fib(n - 2)

    return result(fib(20))


def dict_gate():
    d = {}
    for i in range(5000):
        d["k" + str(i % 500)] = i
    return result(len(d), sum(d.values()))


# ---- suites/validation ---------------------------------------------------------------
# Every program prints work(20000); the planted extra work never reaches the output.


def validation_work():
    return sum_loop_n(20000)


MODELS = {
    "jit": {
        "arithmetic_intensive": arithmetic_intensive,
        "variable_heavy": variable_heavy,
        "loop_nested": loop_nested,
        "comparison_specialized": comparison_specialized,
        "comparison_generic": comparison_generic,
        "fib_recursive": fib_recursive,
        "sieve_array": sieve_array,
        "nbody_float": nbody_float,
        "string_building": string_building,
        "dict_counting": dict_counting,
        "struct_methods": struct_methods,
        "polymorphic_deopt": polymorphic_deopt,
        "particles": particles,
        "binary_trees": binary_trees,
        "mini_interpreter": mini_interpreter,
    },
    "smoke": {"sum_small": sum_small, "fib_small": fib_small, "mixed_small": mixed_small},
    "gate": {
        "sum_loop": lambda: sum_loop_n(200000),
        "sum_loop_plus10": lambda: sum_loop_n(220000),
        "sum_loop_plus5": lambda: sum_loop_n(210000),
        "sum_loop_plus1": lambda: sum_loop_n(202000),
        "fib_gate": fib_gate,
        "dict_gate": dict_gate,
    },
    "validation": {
        name: validation_work
        for name in [
            "flat",
            "warmup_3",
            "warmup_8",
            "step_5",
            "slowdown_10",
            "alternating",
            "cycle_4",
            "drift",
        ]
    },
}


def expected_from_manifest(suite_dir):
    """Maps benchmark name -> expected stdout, read from suite.toml (see suites/README.md)."""
    import tomllib

    manifest = tomllib.loads((suite_dir / "suite.toml").read_text())
    out = {}
    for bench in manifest.get("benchmark", []):
        if "result" in bench:
            out[bench["name"]] = "Result: " + bench["result"] + "\n"
        else:
            out[bench["name"]] = bench.get("stdout")
    return out


def main():
    check = "--check" in sys.argv[1:]
    suites = Path(__file__).resolve().parent.parent / "suites"
    failures = 0
    for suite, models in MODELS.items():
        expected = expected_from_manifest(suites / suite) if check else {}
        for name, model in models.items():
            out = model()
            line = f"{suite}/{name}: {out.rstrip()}"
            if check:
                if expected.get(name) != out:
                    failures += 1
                    line += f"   MISMATCH (manifest: {expected.get(name)!r})"
                if not (suites / suite / f"{name}.ruff").exists():
                    failures += 1
                    line += "   (no .ruff file)"
            print(line)
    if check:
        print(f"{failures} mismatch(es)")
        sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
