//! Helpers shared by the `values_*` and `builtins_*` test binaries (included with `mod`).
#![allow(dead_code)]

use std::rc::Rc;

use ruff_core::bytecode::FuncProto;
use ruff_core::heap::{Closure, DictKey, DictMap, Instance, StructDef};
use ruff_core::values::{new_array, new_dict, new_str};
use ruff_core::Value;

/// The display text of `v` (these tests set no memory limit, so it cannot run out).
pub fn to_display(v: &Value) -> String {
    ruff_core::values::to_display(v).expect("no memory limit in these tests")
}

pub fn s(text: &str) -> Value {
    new_str(text.to_owned())
}

pub fn arr(items: Vec<Value>) -> Value {
    new_array(items)
}

pub fn ints(xs: &[i64]) -> Value {
    new_array(xs.iter().map(|&i| Value::Int(i)).collect())
}

pub fn dict(entries: Vec<(Value, Value)>) -> Value {
    let mut map = DictMap::default();
    for (k, v) in entries {
        map.insert(ruff_core::values::dict_key(&k).unwrap(), v);
    }
    new_dict(map)
}

pub fn str_key(text: &str) -> DictKey {
    match s(text) {
        Value::Str(rc) => DictKey::Str(rc),
        _ => unreachable!(),
    }
}

pub fn proto(name: &str) -> Rc<FuncProto> {
    Rc::new(FuncProto {
        id: 0,
        trace_name: name.into(),
        display_name: name.into(),
        arity: 1,
        is_method: false,
        is_anonymous: false,
        num_regs: 1,
        code: Vec::new(),
        spans: Vec::new(),
        consts: Vec::new(),
        names: Vec::new(),
        upvals: Vec::new(),
        children: Vec::new(),
        struct_lits: Vec::new(),
        inline_caches: ruff_core::bytecode::inline_cache::InlineCaches::new(0),
        unbound_at_entry: Vec::new(),
    })
}

pub fn closure(name: &str) -> Rc<Closure> {
    Rc::new(Closure {
        proto: proto(name),
        upvals: Box::new([]),
    })
}

pub fn struct_def(name: &str, fields: &[&str], methods: &[&str]) -> Rc<StructDef> {
    Rc::new(StructDef {
        name: name.into(),
        fields: fields.iter().map(|f| (*f).into()).collect(),
        methods: std::cell::OnceCell::from(
            methods
                .iter()
                .map(|m| ((*m).into(), closure(m)))
                .collect::<Vec<_>>(),
        ),
    })
}

pub fn instance(def: &Rc<StructDef>, fields: Vec<Value>) -> Value {
    Value::Struct(Rc::new(Instance {
        def: def.clone(),
        fields: std::cell::RefCell::new(fields.into()),
    }))
}

/// [[[...[leaf]...]]] with `depth` extra levels, built without recursion.
pub fn nested(depth: usize, leaf: Value) -> Value {
    let mut v = arr(vec![leaf]);
    for _ in 0..depth {
        v = arr(vec![v]);
    }
    v
}
