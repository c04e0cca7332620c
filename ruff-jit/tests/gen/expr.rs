//! Expression generation for the random program generator: one function per value class,
//! each using only operations that cannot fail for any value of the class (divisors made
//! odd with `| 1`, shift counts masked with `& 63`, indexes reduced modulo the length of a
//! never-empty array), plus the literal tables with Ints at the edges of i64.

use super::{Class, Gen, CHEAP_LIMIT};

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

impl Gen {
    pub(super) fn expr(&mut self, class: Class, depth: u32) -> String {
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
                let lit = match self.rng.below(6) {
                    0 => format!("Pq {{ tag: 0, y: {y}, w: \"w\", x: {x}, z: null }}"),
                    1 => format!("Pq {{ x: {x}, y: {y}, tag: 1, w: \"v\" }}"),
                    _ => format!("Pt {{ x: {x}, y: {y} }}"),
                };
                match self.rng.below(10) {
                    0 | 1 => {
                        let k = self.int_literal();
                        format!("{lit}.scale({k})")
                    }
                    2 => {
                        let d = self.num_expr(1);
                        format!("{lit}.moved({d})")
                    }
                    _ => lit,
                }
            }
            Class::Fn => {
                let x = self.fresh("x");
                format!("func({x}) {{ return {x} * 2 }}")
            }
            Class::Any => self.any_expr(depth),
        }
    }

    pub(super) fn int_literal(&mut self) -> String {
        let lit = self.rng.pick(INT_LITERALS).to_string();
        if lit.starts_with('-') {
            format!("({lit})")
        } else {
            lit
        }
    }

    pub(super) fn int_expr(&mut self, depth: u32) -> String {
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

    pub(super) fn float_literal(&mut self) -> String {
        let lit = self.rng.pick(FLOAT_LITERALS).to_string();
        if lit.starts_with('-') {
            format!("({lit})")
        } else {
            lit
        }
    }

    /// An expression that is always a Float.
    pub(super) fn float_expr(&mut self, depth: u32) -> String {
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
    pub(super) fn num_expr(&mut self, depth: u32) -> String {
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
                Some(p) => match self.rng.below(6) {
                    0..=2 => format!("{p}.sum()"),
                    3 => format!("{p}.moved(1).{}", self.rng.pick(&["x", "y"])),
                    _ => format!("{p}.{}", self.rng.pick(&["x", "y"])),
                },
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

    pub(super) fn bool_expr(&mut self, depth: u32) -> String {
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
    pub(super) fn short_str(&mut self, depth: u32) -> String {
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

    pub(super) fn arr_expr(&mut self, depth: u32) -> String {
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

    pub(super) fn dict_expr(&mut self) -> String {
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
    pub(super) fn dict_key(&mut self) -> String {
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

    pub(super) fn any_expr(&mut self, depth: u32) -> String {
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
    pub(super) fn safe_index(&mut self, a: &str) -> String {
        let k = self.int_expr(1);
        format!("({k}) % len({a})")
    }

    /// A call of a generated helper returning `want` (any class if None), with arguments of
    /// the parameter classes; None if no helper fits or the work budget forbids it.
    pub(super) fn call_expr(&mut self, want: Option<Class>) -> Option<String> {
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
