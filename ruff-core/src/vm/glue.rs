//! The one place the VM names the pure value semantics (`values::*`) and the builtin table
//! (`builtins::*`). The interpreter keeps its own inline fast paths for Int/Float and calls
//! these for everything else; errors come back as message strings and get the span of the
//! instruction that failed.

pub(crate) use crate::values::{
    binary, dict_key, get_field, get_index, set_field, set_index, truthy, type_name, write_display,
};

use crate::value::Value;

/// Calls builtin `id`; `print` appends to `out`.
#[inline]
pub(crate) fn call_builtin(id: u8, args: &[Value], out: &mut Vec<u8>) -> Result<Value, String> {
    crate::builtins::call(id, args, out)
}
