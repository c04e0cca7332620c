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

/// What a method-call site `obj.name(...)` calls on an instance (`InlineCaches::callee`).
#[derive(Debug)]
pub enum Callee<'d> {
    /// The definition's method.
    Method(&'d Rc<Closure>),
    /// The function held in the field at this slot (called without the receiver).
    Field(usize),
}

impl InlineCaches {
    /// What `obj.name(...)` at `pc` calls on an instance of `def`: its method `name`, else
    /// its field `name` (the order of LANGUAGE-DETAILS' member lookup), by the cached slot
    /// on a hit and by a search that refills the cache on a miss. `None` if `def` has
    /// neither. A site calling a function held in a field (a callback stored in a struct)
    /// hits too, instead of searching the methods and then the fields on every call.
    #[inline(always)]
    pub fn callee<'d>(&self, pc: usize, def: &'d StructDef, name: &str) -> Option<Callee<'d>> {
        // One read of the entry for both kinds (a site only ever caches one of them).
        if let Some(e) = self.0.get(pc) {
            if e.def.get() == def as *const StructDef as usize {
                let slot = e.slot.get();
                let i = (slot & !METHOD_BIT) as usize;
                if slot & METHOD_BIT == 0 {
                    // Filled only once the methods were set and none had this name.
                    return Some(Callee::Field(i));
                }
                if let Some((_, m)) = def.methods.get().and_then(|ms| ms.get(i)) {
                    return Some(Callee::Method(m));
                }
            }
        }
        self.callee_miss(pc, def, name)
    }

    /// `callee` when the site has not cached this definition: search and refill.
    #[cold]
    #[inline(never)]
    fn callee_miss<'d>(&self, pc: usize, def: &'d StructDef, name: &str) -> Option<Callee<'d>> {
        let methods = def.methods.get();
        if let Some(i) = methods.and_then(|ms| ms.iter().position(|(n, _)| &**n == name)) {
            self.fill(pc, def, Member::Method, i);
            return Some(Callee::Method(&methods?[i].1));
        }
        let i = def.field_index(name)?;
        // Only once the methods are set: a method of that name could not appear later.
        if methods.is_some() {
            self.fill(pc, def, Member::Field, i);
        }
        Some(Callee::Field(i))
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

    #[test]
    fn a_called_field_is_cached_once_the_methods_are_set() {
        let d = def("T", &["name", "fn"]);
        let ic = InlineCaches::new(2);
        // Methods not set yet (the definition is being built): found, not cached.
        assert!(matches!(ic.callee(1, &d, "fn"), Some(Callee::Field(1))));
        assert_eq!(ic.cached_field(1), None);
        d.methods.set(Vec::new()).expect("unset");
        assert!(matches!(ic.callee(1, &d, "fn"), Some(Callee::Field(1))));
        let addr = &d as *const StructDef as usize;
        assert_eq!(ic.cached_field(1), Some((addr, 1)));
        assert_eq!(ic.cached_method(1), None);
        // A hit answers from the cache; another definition at the same site refills it.
        assert!(matches!(ic.callee(1, &d, "fn"), Some(Callee::Field(1))));
        let e = def("U", &["fn"]);
        e.methods.set(Vec::new()).expect("unset");
        assert!(matches!(ic.callee(1, &e, "fn"), Some(Callee::Field(0))));
        assert_eq!(
            ic.cached_field(1),
            Some((&e as *const StructDef as usize, 0))
        );
        // Neither a method nor a field (a site names one member, so another site): nothing,
        // and its cache stays empty.
        assert!(ic.callee(0, &e, "nope").is_none());
        assert_eq!(ic.cached_field(0), None);
    }
}
