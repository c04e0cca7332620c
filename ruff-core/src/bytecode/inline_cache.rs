//! Per-instruction inline caches for struct member access: `GetField`, `SetField` and
//! `CallMethod` remember the struct definition they last saw and the slot its member
//! resolved to, so a monomorphic site finds the field or method without searching the
//! definition's names. Both tiers use them: the interpreter loop, and the JIT's generic
//! fallbacks (`exec_generic`), which run the same `vm::ops` code.
//!
//! The key is the definition's address. That is sound because definitions never die while
//! a program's code can run: `Program::structs` owns every definition and the prototypes
//! holding these caches belong to the same program, so an address cannot be reused by
//! another definition while a cache that names it is consulted. A site that sees several
//! definitions keeps the last one (a monomorphic cache refilled on a miss), which is the
//! classic design of Deutsch & Schiffman (POPL 1984) without the code patching.

use std::cell::Cell;
use std::fmt;

use std::rc::Rc;

use crate::heap::{Closure, StructDef};

/// Which kind of member a cache entry resolved to (one site only ever caches one kind:
/// `GetField`/`SetField` cache fields, `CallMethod` caches methods).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Member {
    Field,
    Method,
}

#[derive(Default)]
struct Entry {
    def: Cell<usize>,
    /// The slot, with bit 31 set for a method (fields and methods are both below 2^16).
    slot: Cell<u32>,
}

const METHOD_BIT: u32 = 1 << 31;

/// The caches of one function: one entry per instruction (only member-access instructions
/// use theirs).
pub struct InlineCaches(Box<[Entry]>);

impl InlineCaches {
    /// Empty caches for a function of `len` instructions.
    pub fn new(len: usize) -> Self {
        InlineCaches((0..len).map(|_| Entry::default()).collect())
    }

    /// The slot cached at `pc` for `def` and `kind`, if this site last resolved that member
    /// on that definition.
    #[inline(always)]
    pub fn lookup(&self, pc: usize, def: &StructDef, kind: Member) -> Option<usize> {
        let e = self.0.get(pc)?;
        if e.def.get() != def as *const StructDef as usize {
            return None;
        }
        let slot = e.slot.get();
        match (kind, slot & METHOD_BIT != 0) {
            (Member::Field, false) | (Member::Method, true) => Some((slot & !METHOD_BIT) as usize),
            _ => None,
        }
    }

    /// Records that the site at `pc` resolved `kind` number `slot` on `def`.
    #[inline]
    pub fn fill(&self, pc: usize, def: &StructDef, kind: Member, slot: usize) {
        let Some(e) = self.0.get(pc) else { return };
        let Ok(slot) = u32::try_from(slot) else {
            return;
        };
        if slot & METHOD_BIT != 0 {
            return;
        }
        e.def.set(def as *const StructDef as usize);
        e.slot.set(match kind {
            Member::Field => slot,
            Member::Method => slot | METHOD_BIT,
        });
    }
}

impl InlineCaches {
    /// The field the site at `pc` last resolved: the address of its definition (as
    /// `lookup` compares it) and its slot. `None` for a site that never ran, or last
    /// resolved a method.
    pub fn cached_field(&self, pc: usize) -> Option<(usize, usize)> {
        let e = self.0.get(pc)?;
        let (def, slot) = (e.def.get(), e.slot.get());
        (def != 0 && slot & METHOD_BIT == 0).then_some((def, slot as usize))
    }

    /// The method the `CallMethod`/`CheckMethod` site at `pc` last resolved: the address of
    /// its definition (as `lookup` compares it) and the method's index there.
    pub fn cached_method(&self, pc: usize) -> Option<(usize, usize)> {
        let e = self.0.get(pc)?;
        let (def, slot) = (e.def.get(), e.slot.get());
        (def != 0 && slot & METHOD_BIT != 0).then_some((def, (slot & !METHOD_BIT) as usize))
    }

    /// The method `name` of `def` as the site at `pc` calls it: by the cached index on a
    /// hit, else by a search that refills the cache. `None` if `def` has no such method.
    #[inline]
    pub fn method<'d>(&self, pc: usize, def: &'d StructDef, name: &str) -> Option<&'d Rc<Closure>> {
        let methods = def.methods.get()?;
        if let Some(i) = self.lookup(pc, def, Member::Method) {
            if let Some((_, m)) = methods.get(i) {
                return Some(m);
            }
        }
        let i = methods.iter().position(|(n, _)| &**n == name)?;
        self.fill(pc, def, Member::Method, i);
        Some(&methods[i].1)
    }
}

impl fmt::Debug for InlineCaches {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "InlineCaches({} sites)", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(name: &str, fields: &[&str]) -> StructDef {
        StructDef {
            name: Rc::from(name),
            fields: fields.iter().map(|f| Rc::from(*f)).collect(),
            methods: std::cell::OnceCell::new(),
        }
    }

    #[test]
    fn a_site_hits_only_for_the_definition_and_kind_it_cached() {
        let (p, q) = (def("P", &["x", "y"]), def("Q", &["y", "x"]));
        let ic = InlineCaches::new(4);
        assert_eq!(ic.lookup(2, &p, Member::Field), None);
        ic.fill(2, &p, Member::Field, 1);
        assert_eq!(ic.lookup(2, &p, Member::Field), Some(1));
        assert_eq!(ic.lookup(2, &p, Member::Method), None);
        assert_eq!(ic.lookup(2, &q, Member::Field), None);
        assert_eq!(ic.lookup(1, &p, Member::Field), None);
        // A miss refills: the site now caches Q.
        ic.fill(2, &q, Member::Method, 0);
        assert_eq!(ic.lookup(2, &q, Member::Method), Some(0));
        assert_eq!(ic.lookup(2, &p, Member::Field), None);
    }

    #[test]
    fn cached_entries_report_their_kind() {
        let p = def("P", &["x", "y"]);
        let ic = InlineCaches::new(3);
        assert_eq!(ic.cached_field(0), None);
        ic.fill(0, &p, Member::Field, 1);
        assert_eq!(
            ic.cached_field(0),
            Some((&p as *const StructDef as usize, 1))
        );
        ic.fill(1, &p, Member::Method, 0);
        assert_eq!(ic.cached_field(1), None);
        assert_eq!(
            ic.cached_method(1),
            Some((&p as *const StructDef as usize, 0))
        );
        assert_eq!(ic.cached_method(0), None);
        assert_eq!(ic.cached_field(9), None);
    }

    #[test]
    fn out_of_range_sites_never_hit_nor_panic() {
        let p = def("P", &["x"]);
        let ic = InlineCaches::new(1);
        ic.fill(7, &p, Member::Field, 0);
        assert_eq!(ic.lookup(7, &p, Member::Field), None);
    }
}
