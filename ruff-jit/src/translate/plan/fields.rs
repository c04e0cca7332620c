//! Planning struct field access: `GetField`/`SetField` by slot in compiled code.
//!
//! The site's inline cache (filled by the interpreter) names the struct definition it saw
//! and the field's slot (`abi::shape::field_site`). When the instance layout is known
//! (`Inputs::inline_fields`), the access is compiled as a check that the object is an
//! instance of that very definition plus a direct load or store (`emit/fields.rs`). A site
//! whose cache is empty (never ran) or holds a method keeps the generic lowering.
//!
//! How the object is checked (`Check`): in specialized code, by a guard that deopts at the
//! instruction; the register is then known to hold such an instance (`RegState::shape`)
//! until it is written, so later accesses through it (a method's many `self.x`) check
//! nothing. Where speculation is not allowed, a failed check takes a slow path through the
//! generic helper, which has the interpreter's semantics and error messages, and nothing is
//! learnt. Like an array read, a field read whose consumer has scalar feedback loads the
//! field unboxed behind a tag check that deopts at the `GetField`.

use ruff_core::abi::bytecode::{Instr, Reg};
use ruff_core::abi::shape::{field_site, method_site, FieldSite};

use super::state::{RegState, Shape, State, Ty};
use super::{Action, Plan, Planner};

/// An inline field access (`Action::Field`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldOp {
    /// `R[dst] = R[obj].field`; `elem`: the field is loaded unboxed as this type.
    Get {
        dst: Reg,
        obj: Reg,
        site: FieldSite,
        check: Check,
        elem: Option<Ty>,
    },
    /// `R[obj].field = R[src]`.
    Set {
        obj: Reg,
        src: Reg,
        site: FieldSite,
        check: Check,
    },
    /// `CheckMethod` on `R[obj]`: an instance of the definition the site found the method on
    /// has it, so a guard on the definition is the whole check (and the following
    /// `CallMethod`'s receiver, and its field accesses, get a known shape).
    Receiver { obj: Reg, site: FieldSite },
}

/// How compiled code makes sure the object is an unborrowed instance of the site's
/// definition, with its fields where that definition's are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    /// Already known from the state (an earlier guard on the same register).
    Known,
    /// Checked, with a deopt at the instruction on failure.
    Guard,
    /// Checked, with the generic helper as the slow path on failure.
    Slow,
}

impl FieldOp {
    pub fn obj(&self) -> Reg {
        match *self {
            FieldOp::Get { obj, .. } | FieldOp::Set { obj, .. } | FieldOp::Receiver { obj, .. } => {
                obj
            }
        }
    }

    pub fn site(&self) -> FieldSite {
        match *self {
            FieldOp::Get { site, .. }
            | FieldOp::Set { site, .. }
            | FieldOp::Receiver { site, .. } => site,
        }
    }

    pub fn check(&self) -> Check {
        match *self {
            FieldOp::Get { check, .. } | FieldOp::Set { check, .. } => check,
            FieldOp::Receiver { .. } => Check::Guard,
        }
    }
}

impl Planner<'_> {
    /// The inline plan of a `GetField`/`SetField` at `pc`, or `None` for the generic lowering.
    pub(super) fn plan_field(
        &self,
        pc: u32,
        st: &State,
        instr: &Instr,
        allow: bool,
    ) -> Option<Plan> {
        if !self.inline_fields {
            return None;
        }
        if let Instr::CheckMethod { obj, .. } = *instr {
            return self.plan_receiver(pc, st, obj, allow);
        }
        let site = field_site(self.proto, pc)?;
        let obj = match *instr {
            Instr::GetField { obj, .. } | Instr::SetField { obj, .. } => obj,
            _ => return None,
        };
        // An unboxed object is a scalar: reading its field is an error the helper reports.
        if st[obj as usize].ty().is_some() {
            return None;
        }
        let check = if st[obj as usize].shape == Some(shape_of(site)) {
            Check::Known
        } else if allow {
            Check::Guard
        } else {
            Check::Slow
        };
        let op = match *instr {
            Instr::GetField { dst, obj, .. } => FieldOp::Get {
                dst,
                obj,
                site,
                check,
                // Unboxing guards (deopt) only in specialized code.
                elem: if allow {
                    self.consumer_type(pc, dst)
                } else {
                    None
                },
            },
            Instr::SetField { obj, src, .. } => FieldOp::Set {
                obj,
                src,
                site,
                check,
            },
            _ => return None,
        };
        Some(Plan {
            guards: vec![],
            action: Action::Field(op),
        })
    }
}

impl Planner<'_> {
    /// `CheckMethod` on `R[obj]`: nothing when `R[obj]`'s shape is the definition the site
    /// found the method on, a guard on it in specialized code, else the generic lowering.
    fn plan_receiver(&self, pc: u32, st: &State, obj: Reg, allow: bool) -> Option<Plan> {
        let site = method_site(self.proto, pc)?;
        if st[obj as usize].ty().is_some() {
            return None;
        }
        let action = if st[obj as usize].shape == Some(shape_of(site)) {
            Action::Nop
        } else if allow {
            Action::Field(FieldOp::Receiver { obj, site })
        } else {
            return None;
        };
        Some(Plan {
            guards: vec![],
            action,
        })
    }
}

/// The shape a guard for `site` checks.
pub fn shape_of(site: FieldSite) -> Shape {
    Shape {
        def_rc: site.def_rc,
        count: site.count,
    }
}

/// The state transfer of an inline field access (the same on its fast and slow paths): a
/// checked object has the site's shape (unless the read overwrote it).
pub fn transfer(op: &FieldOp, s: &mut State) {
    if op.check() != Check::Slow {
        s[op.obj() as usize].shape = Some(shape_of(op.site()));
    }
    if let FieldOp::Get { dst, elem, .. } = *op {
        s[dst as usize] = match elem {
            Some(t) => RegState::defined(t, s[dst as usize].scalar),
            None => RegState::BOXED,
        };
    }
}
