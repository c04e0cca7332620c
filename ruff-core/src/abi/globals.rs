//! The VM's global slots as a compile request shows them: compiled code may read a global at
//! a fixed address (the slots are allocated once per program and never move), and a tier
//! may speculate on what a global held when it compiled (checked again at run time).

use std::rc::Rc;

use super::layout::RC_VALUE;
use crate::bytecode::FuncProto;
use crate::value::Value;

/// The global slots of the running VM, borrowed for one compile.
#[derive(Clone, Copy)]
pub struct Globals<'a> {
    slots: &'a [Value],
}

/// The word a closure stores for its prototype (the address of the prototype's `Rc`
/// allocation): what compiled code compares a callee's prototype with. The program keeps
/// every prototype alive, so the word is never reused while the code lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProtoRef(*const u8);

impl ProtoRef {
    /// The word a closure of `proto` stores.
    pub fn of(proto: &Rc<FuncProto>) -> ProtoRef {
        ProtoRef((Rc::as_ptr(proto) as *const u8).wrapping_sub(RC_VALUE as usize))
    }

    /// The word as compiled code sees it.
    pub fn word(self) -> u64 {
        self.0 as u64
    }
}

/// What a global held at compile time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GlobalHint {
    /// Not known (no running VM, or no such slot).
    Unknown,
    /// The builtin with this id.
    Builtin(u8),
    /// A closure of the prototype `proto` (id and arity given).
    Closure {
        proto: ProtoRef,
        id: u32,
        arity: u16,
    },
    /// Anything else (unbound included).
    Other,
}

impl<'a> Globals<'a> {
    pub(crate) fn new(slots: &'a [Value]) -> Globals<'a> {
        Globals { slots }
    }

    /// Address of global slot `g`, valid as long as the VM that compiled lives.
    pub fn slot_addr(&self, g: u32) -> *const Value {
        self.slots.as_ptr().wrapping_add(g as usize)
    }

    /// What global `g` holds now.
    pub fn hint(&self, g: u32) -> GlobalHint {
        match self.slots.get(g as usize) {
            None => GlobalHint::Unknown,
            Some(Value::Builtin(id)) => GlobalHint::Builtin(*id),
            Some(Value::Func(c)) => GlobalHint::Closure {
                proto: ProtoRef::of(&c.proto),
                id: c.proto.id,
                arity: c.proto.arity,
            },
            Some(_) => GlobalHint::Other,
        }
    }
}
