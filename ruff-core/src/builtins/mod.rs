//! The builtin functions (LANGUAGE.md "Builtins", LANGUAGE-DETAILS §5) as pure functions of
//! their arguments; `print` appends to the output buffer it is given.
//!
//! The order of `NAMES` fixes the global slot of each builtin (slot i holds builtin i), and
//! `id` names those slots; aliases (`append`, `str`) are entries of their own so `<func
//! append>` prints the name as looked up and `str == to_string` is false. Errors are the
//! message texts of DETAILS §6; the VM points them at the call.

mod collections;
mod misc;
mod numbers;
mod strings;

use crate::value::Value;

pub use collections::{range_args, range_count};
pub use misc::init_clock;

/// Builtin names in global-slot order.
pub const NAMES: &[&str] = &[
    "print",
    "len",
    "range",
    "push",
    "append",
    "pop",
    "keys",
    "values",
    "contains",
    "to_string",
    "str",
    "to_int",
    "to_float",
    "type_of",
    "abs",
    "min",
    "max",
    "sqrt",
    "pow",
    "floor",
    "ceil",
    "round",
    "to_upper",
    "to_lower",
    "trim",
    "replace",
    "split",
    "join",
    "substring",
    "sort",
    "performance_now",
    "time_ms",
    "time_ns",
    "assert",
];

/// Id of `range` (the VM iterates `for x in range(..)` without allocating while the global
/// `range` still holds this builtin).
pub const RANGE: u8 = id::RANGE;

/// The id (= global slot) of each builtin, in `NAMES` order.
pub mod id {
    pub const PRINT: u8 = 0;
    pub const LEN: u8 = 1;
    pub const RANGE: u8 = 2;
    pub const PUSH: u8 = 3;
    pub const APPEND: u8 = 4;
    pub const POP: u8 = 5;
    pub const KEYS: u8 = 6;
    pub const VALUES: u8 = 7;
    pub const CONTAINS: u8 = 8;
    pub const TO_STRING: u8 = 9;
    pub const STR: u8 = 10;
    pub const TO_INT: u8 = 11;
    pub const TO_FLOAT: u8 = 12;
    pub const TYPE_OF: u8 = 13;
    pub const ABS: u8 = 14;
    pub const MIN: u8 = 15;
    pub const MAX: u8 = 16;
    pub const SQRT: u8 = 17;
    pub const POW: u8 = 18;
    pub const FLOOR: u8 = 19;
    pub const CEIL: u8 = 20;
    pub const ROUND: u8 = 21;
    pub const TO_UPPER: u8 = 22;
    pub const TO_LOWER: u8 = 23;
    pub const TRIM: u8 = 24;
    pub const REPLACE: u8 = 25;
    pub const SPLIT: u8 = 26;
    pub const JOIN: u8 = 27;
    pub const SUBSTRING: u8 = 28;
    pub const SORT: u8 = 29;
    pub const PERFORMANCE_NOW: u8 = 30;
    pub const TIME_MS: u8 = 31;
    pub const TIME_NS: u8 = 32;
    pub const ASSERT: u8 = 33;
}

/// The name `<func NAME>` shows for builtin `id`: the name it is looked up by.
pub fn display_name(id: u8) -> &'static str {
    NAMES.get(id as usize).copied().unwrap_or("builtin")
}

/// The id of the builtin called `name`, if any.
pub fn lookup(name: &str) -> Option<u8> {
    NAMES.iter().position(|n| *n == name).map(|i| i as u8)
}

/// Calls builtin `id` with `args`; `print` appends its text to `out`.
pub fn call(id: u8, args: &[Value], out: &mut Vec<u8>) -> Result<Value, String> {
    match id {
        id::PRINT => misc::print(args, out),
        id::LEN => collections::len(args),
        id::RANGE => collections::range(args),
        id::PUSH | id::APPEND => collections::push(id, args),
        id::POP => collections::pop(args),
        id::KEYS => collections::keys(args),
        id::VALUES => collections::values(args),
        id::CONTAINS => collections::contains(args),
        id::TO_STRING | id::STR => misc::to_string(id, args),
        id::TO_INT => numbers::to_int(args),
        id::TO_FLOAT => numbers::to_float(args),
        id::TYPE_OF => misc::type_of(args),
        id::ABS => numbers::abs(args),
        id::MIN | id::MAX => numbers::min_max(id, args),
        id::SQRT | id::FLOOR | id::CEIL | id::ROUND => numbers::float_fn(id, args),
        id::POW => numbers::pow(args),
        id::TO_UPPER | id::TO_LOWER | id::TRIM => strings::case_trim(id, args),
        id::REPLACE => strings::replace(args),
        id::SPLIT => strings::split(args),
        id::JOIN => strings::join(args),
        id::SUBSTRING => strings::substring(args),
        id::SORT => collections::sort(args),
        id::PERFORMANCE_NOW | id::TIME_MS | id::TIME_NS => misc::clock(id, args),
        id::ASSERT => misc::assert(args),
        _ => Err(format!(
            "cannot call a value of type function (builtin {id})"
        )),
    }
}

/// Checks that builtin `id` got exactly `n` arguments.
#[inline]
fn expect_args(id: u8, args: &[Value], n: usize) -> Result<(), String> {
    if args.len() == n {
        Ok(())
    } else {
        Err(format!(
            "{}() expects {n} argument(s), got {}",
            display_name(id),
            args.len()
        ))
    }
}

/// Checks that builtin `id` got `min..=max` arguments (`max` None: no upper bound).
fn expect_arg_range(id: u8, args: &[Value], min: usize, max: Option<usize>) -> Result<(), String> {
    let k = args.len();
    match max {
        Some(max) if k < min || k > max => Err(format!(
            "{}() expects {min} to {max} argument(s), got {k}",
            display_name(id)
        )),
        None if k < min => Err(format!(
            "{}() expects at least {min} argument(s), got {k}",
            display_name(id)
        )),
        _ => Ok(()),
    }
}

/// `name() expects TYPES, got T`.
fn type_error(name: &str, types: &str, got: &Value) -> String {
    format!(
        "{name}() expects {types}, got {}",
        crate::values::type_name(got)
    )
}
