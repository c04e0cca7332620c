//! The builtin functions (being written). The order of `NAMES` fixes the global slot of
//! each builtin (slot i holds builtin i); aliases are entries of their own.

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
pub const RANGE: u8 = 2;
