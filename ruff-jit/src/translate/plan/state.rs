//! The abstract register state the translator tracks at every program point.
//!
//! A register is either in its frame slot (`Boxed`: the slot is the truth, type unknown),
//! unboxed in a Cranelift `Variable` of a known scalar type (`Int`/`Float`/`Bool`; if
//! `dirty`, the slot is stale and must be written back before anything else reads the
//! frame), or `Dead` at a block start (no later read; its variable is meaningless).
//!
//! `scalar` records that the frame slot holds no heap value, so compiled code may overwrite
//! it with plain stores without leaking a reference count. Invariant: every unboxed register
//! is `scalar` (its slot holds either its value or an older scalar).
//!
//! `shape` records that a boxed register holds an instance of a known struct definition
//! (the address of its `Rc`) whose fields are stored as that definition's are and are not
//! borrowed, as a field guard checked (`plan/fields.rs`). It holds until the register is
//! written: every write makes a new `RegState`, which knows no shape. The borrow part holds
//! because a `RefCell` borrow lives only inside the runtime call that took it, so none
//! starts or ends while compiled code runs.

use ruff_core::abi::bytecode::Scalar;
use ruff_core::abi::tag;

/// A scalar type that compiled code keeps unboxed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ty {
    Int,
    Float,
    Bool,
}

impl Ty {
    pub fn tag(self) -> u8 {
        match self {
            Ty::Int => tag::INT,
            Ty::Float => tag::FLOAT,
            Ty::Bool => tag::BOOL,
        }
    }

    /// The type of a scalar constant.
    pub fn of_scalar(c: Scalar) -> Ty {
        match c {
            Scalar::Int(_) => Ty::Int,
            Scalar::Float(_) => Ty::Float,
            Scalar::Bool(_) => Ty::Bool,
        }
    }

    pub fn from_tag(t: u8) -> Option<Ty> {
        match t {
            tag::INT => Some(Ty::Int),
            tag::FLOAT => Some(Ty::Float),
            tag::BOOL => Some(Ty::Bool),
            _ => None,
        }
    }

    /// Index of the variable that holds a register of this type.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// A struct definition as a field guard checks it: the address of its `Rc` allocation and
/// its field count (which decides where an instance keeps its fields).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    pub def_rc: usize,
    pub count: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Dead,
    Boxed,
    Unboxed(Ty),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RegState {
    pub kind: Kind,
    pub dirty: bool,
    pub scalar: bool,
    /// The struct definition the (boxed) register's instance is known to have.
    pub shape: Option<Shape>,
}

impl RegState {
    pub const BOXED: RegState = RegState {
        kind: Kind::Boxed,
        dirty: false,
        scalar: false,
        shape: None,
    };

    pub fn dead(scalar: bool) -> RegState {
        RegState {
            kind: Kind::Dead,
            dirty: false,
            scalar,
            shape: None,
        }
    }

    /// Unboxed after a successful tag check (the slot holds a scalar of that type).
    pub fn unboxed(ty: Ty, dirty: bool) -> RegState {
        RegState {
            kind: Kind::Unboxed(ty),
            dirty,
            scalar: true,
            shape: None,
        }
    }

    /// Newly defined as an unboxed value; the slot keeps whatever it held.
    pub fn defined(ty: Ty, scalar: bool) -> RegState {
        RegState {
            kind: Kind::Unboxed(ty),
            dirty: true,
            scalar,
            shape: None,
        }
    }

    pub fn ty(&self) -> Option<Ty> {
        match self.kind {
            Kind::Unboxed(t) => Some(t),
            _ => None,
        }
    }
}

/// The state of every register of the frame.
pub type State = Vec<RegState>;

/// Merges the state flowing along one more edge into a block's entry state.
///
/// `live` is the block's live-in set and `hoisted` the type a register is forced to at this
/// block (a hoisted guard on each incoming edge that does not already have it unboxed).
pub fn merge(into: &mut Option<State>, from: &State, live: &[bool], hoisted: &[Option<Ty>]) {
    let incoming: State = from
        .iter()
        .enumerate()
        .map(|(r, s)| edge_state(*s, live[r], hoisted[r]))
        .collect();
    match into {
        None => *into = Some(incoming),
        Some(cur) => {
            for (c, i) in cur.iter_mut().zip(incoming) {
                *c = join(*c, i);
            }
        }
    }
}

/// What one register looks like at the target after the edge's own code (write-backs and
/// hoisted guards) ran.
fn edge_state(s: RegState, live: bool, hoisted: Option<Ty>) -> RegState {
    if !live {
        return RegState::dead(s.scalar);
    }
    match (hoisted, s.kind) {
        (Some(t), Kind::Unboxed(u)) if t == u => s,
        (Some(t), _) => RegState::unboxed(t, false),
        (None, Kind::Dead) => RegState {
            kind: Kind::Boxed,
            ..s
        },
        // A write-back on the edge leaves a scalar in the slot.
        (None, Kind::Boxed) => s,
        (None, Kind::Unboxed(_)) => s,
    }
}

fn join(a: RegState, b: RegState) -> RegState {
    match (a.kind, b.kind) {
        (Kind::Dead, Kind::Dead) => RegState::dead(a.scalar && b.scalar),
        (Kind::Unboxed(x), Kind::Unboxed(y)) if x == y => RegState {
            kind: Kind::Unboxed(x),
            dirty: a.dirty || b.dirty,
            scalar: a.scalar && b.scalar,
            shape: None,
        },
        _ => RegState {
            kind: Kind::Boxed,
            dirty: false,
            scalar: a.scalar && b.scalar,
            shape: if a.shape == b.shape { a.shape } else { None },
        },
    }
}
