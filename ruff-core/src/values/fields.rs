//! Field access on struct instances: `p.f` reads, `p.f := v` writes (LANGUAGE.md
//! "Statements", DETAILS §2 "Structs").
//!
//! Reading a method without calling it makes a new bound method each time, so `p.m == p.m`
//! is false (bound methods compare by identity). Builtin types have no fields or methods.

use std::rc::Rc;

use super::type_name;
use crate::heap::BoundMethod;
use crate::value::Value;

/// `obj.name`: a field's value, or the method `name` bound to `obj`.
pub fn get_field(obj: &Value, name: &str) -> Result<Value, String> {
    let Value::Struct(inst) = obj else {
        return Err(format!(
            "cannot read field '{name}' of a value of type {}",
            type_name(obj)
        ));
    };
    if let Some(i) = inst.def.field_index(name) {
        return Ok(inst.fields.borrow()[i].clone());
    }
    match inst.def.method(name) {
        Some(method) => Ok(Value::Bound(Rc::new(BoundMethod {
            receiver: obj.clone(),
            method: method.clone(),
        }))),
        None => Err(format!("{} has no field or method '{name}'", inst.def.name)),
    }
}

/// `obj.name := v`.
pub fn set_field(obj: &Value, name: &str, v: Value) -> Result<(), String> {
    let Value::Struct(inst) = obj else {
        return Err(format!(
            "cannot set field '{name}' of a value of type {}",
            type_name(obj)
        ));
    };
    let Some(i) = inst.def.field_index(name) else {
        return Err(format!("{} has no field '{name}'", inst.def.name));
    };
    // Drop the old value after the borrow ends (its drop may free other containers).
    let old = std::mem::replace(&mut inst.fields.borrow_mut()[i], v);
    drop(old);
    Ok(())
}
