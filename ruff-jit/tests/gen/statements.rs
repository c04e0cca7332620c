//! Statement generation for the random program generator (see `mod.rs` for the rules that
//! keep programs well-formed): declarations, assignments, branches, loops (including the hot
//! loops that change a variable's type part-way), container updates, closures, prints and
//! the deliberate runtime errors marked `# risky`.

use super::{Body, Class, Gen, Var, RISKY_MARK};

impl Gen {
    pub(super) fn statement(&mut self) {
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
            82..=85 => self.self_operand(),
            86 => self.flat_chain(),
            87 => self.deep_nesting(),
            88 | 89 => self.mixed_loop(),
            _ => self.assignment(),
        }
    }

    pub(super) fn declaration(&mut self) {
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

    pub(super) fn assignment(&mut self) {
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
            Class::Int | Class::Num if self.rng.chance(10) => {
                // An accumulating chain; the operands may read the variable.
                let a = self.expr(class, 1);
                let b = self.expr(class, 1);
                self.line(&format!("{name} = {name} + {a} + {b}"));
            }
            Class::Str => {
                // Strings only grow by short pieces, so loops keep them small.
                let piece = self.short_str(1);
                if self.mult > 400 {
                    self.line(&format!("{name} = {piece}"));
                } else if self.rng.chance(50) {
                    self.line(&format!("{name} = {name} + {piece}"));
                } else if self.rng.chance(40) {
                    // An accumulating chain (compiler/accumulate.rs); the last piece
                    // sometimes reads the variable, which keeps the sum in a temporary.
                    let last = if self.rng.chance(30) {
                        format!("to_string(len({name}) % 10)")
                    } else {
                        self.short_str(1)
                    };
                    let op = self.assign_op(&name, 50);
                    self.line(&format!("{name} {op} {name} + {piece} + {last}"));
                } else if self.rng.chance(50) {
                    self.line(&format!("{name} += {piece}"));
                } else {
                    self.line(&format!("{name} = {piece}"));
                }
            }
            Class::Pt => {
                let value = self.expr(Class::Num, 2);
                if self.rng.chance(25) {
                    // A method returning a fresh instance, replacing the one held.
                    self.line(&format!("{name} = {name}.moved({value})"));
                } else {
                    let field = self.rng.pick(&["x", "y"]);
                    self.line(&format!("{name}.{field} = {value}"));
                }
            }
            _ => {
                let value = self.expr(class, 2);
                let op = self.assign_op(&name, 20);
                self.line(&format!("{name} {op} {value}"));
            }
        }
    }

    /// `:=` (`percent` of the time) or `=` to update `name`: never `:=` on a global from
    /// inside a function, where it would declare a local shadowing the global.
    fn assign_op(&mut self, name: &str, percent: u64) -> &'static str {
        let global = self.scope.iter().any(|v| v.name == name && v.global);
        let local = !global || self.body == Body::TopLevel;
        if local && self.rng.chance(percent) {
            ":="
        } else {
            "="
        }
    }

    pub(super) fn if_statement(&mut self) {
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

    pub(super) fn trip_count(&mut self) -> Option<u64> {
        let choices: &[u64] = if self.mult == 1 && self.rng.chance(15) {
            &[1100, 1500]
        } else {
            &[0, 1, 2, 3, 7, 20, 60, 150, 400]
        };
        let trips = *self.rng.pick(choices);
        (self.mult * trips.max(1) <= self.limit).then_some(trips)
    }

    pub(super) fn loop_statement(&mut self) {
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
                // The array may have grown past `trips` elements (appends in earlier loops):
                // a hidden count keeps the work within the bound `mult` assumes.
                let seen = self.fresh("n");
                self.line(&format!("{seen} := 0"));
                self.open(&format!("for {counter} in {arr} {{"));
                self.line(&format!("{seen} += 1"));
                self.line(&format!("if {seen} > {} {{ break }}", trips.max(1)));
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
    pub(super) fn hot_loop(&mut self) {
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
    pub(super) fn enter_loop(&mut self, counter: &str, class: Class, trips: u64) {
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
    pub(super) fn type_switch(&mut self) {
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

    pub(super) fn container_update(&mut self) {
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

    pub(super) fn break_or_continue(&mut self) {
        let cond = self.expr(Class::Bool, 1);
        let word = if self.rng.chance(50) {
            "break"
        } else {
            "continue"
        };
        self.line(&format!("if {cond} {{ {word} }}"));
    }

    pub(super) fn print_statement(&mut self) {
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

    pub(super) fn closure(&mut self) {
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
    pub(super) fn risky(&mut self) {
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
}
