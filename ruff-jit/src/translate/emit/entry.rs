//! The entry of compiled code: the dispatch on `entry_pc` (function start, direct call from
//! compiled code, OSR at a loop header) and the code of each entry edge.

use cranelift_codegen::ir::{condcodes::IntCC, Block, InstBuilder};
use ruff_core::abi::bytecode::Reg;
use ruff_core::abi::helpers::Helper;
use ruff_core::abi::shape::instance_layout;
use ruff_core::abi::{DeoptReason, DIRECT_ENTRY};

use super::fields::OnFail;
use super::Emitter;
use crate::translate::plan::state::{Kind, RegState, State};

/// The most guards all OSR entries of one function may emit together. Each entry checks
/// every register its loop header keeps unboxed, so entries at every header of deep loop
/// nests cost headers x live registers: 75 nested loops made 536 KB of code and a 1.2 s
/// compile (issue 14, "compile storms"). Past the budget, headers are left without an entry
/// (the interpreter keeps running that loop); the header whose heat asked for the compile
/// always gets one.
const MAX_OSR_ENTRY_GUARDS: usize = 1024;

impl Emitter<'_, '_> {
    /// Emits the entry block and the dispatch on `entry_pc`; returns the pcs the code may be
    /// entered at (0 and every reachable loop header).
    ///
    /// 0 starts the function, `DIRECT_ENTRY` is a fresh frame set up by a direct call from
    /// compiled code (its locals are made unbound first, as the VM's `enter_closure` does for
    /// the calls it makes), anything else is an OSR header. A chain of compares rather than
    /// `Switch`: there are few entries (usually one or two), and `Switch` adds a range check
    /// and jump-only blocks that every compile then pays for in the optimizer and register
    /// allocator. An unknown `entry_pc` starts the function, as `Switch`'s default did.
    ///
    /// For the same reason the function entry edge gets a block of its own only if it has
    /// code (hoisted guards), else the dispatch and the direct entry go straight to pc 0's
    /// block; and the direct entry gets a case only if it has locals to unbind (else it is
    /// the function entry).
    ///
    /// `osr_header` is the loop header whose back-edge count asked for this compile, if any:
    /// it is always an entry, other headers only within [`MAX_OSR_ENTRY_GUARDS`].
    pub fn emit_entries(&mut self, entry: &State, osr_header: Option<u32>) -> Vec<u32> {
        // The entry block takes the three arguments of the calling convention; they dominate
        // every other block, so they are used directly instead of through variables.
        let entry_block = self.b.create_block();
        self.b.append_block_params_for_function_params(entry_block);
        self.b.switch_to_block(entry_block);
        self.b.seal_block(entry_block);
        let params = self.b.block_params(entry_block).to_vec();
        self.set_frame(params[0], params[1]);

        let start = self.entry_block(entry);
        let direct = self.direct_entry_has_code().then(|| self.b.create_block());
        let mut entry_pcs = vec![0u32];
        let mut cases: Vec<(u32, Block)> = direct.map(|d| (DIRECT_ENTRY, d)).into_iter().collect();
        for h in self.osr_entry_headers(osr_header) {
            let blk = self.b.create_block();
            entry_pcs.push(h);
            cases.push((h, blk));
        }
        for (i, &(pc, blk)) in cases.iter().enumerate() {
            let is = self
                .b
                .ins()
                .icmp_imm_s(IntCC::Equal, params[2], pc as i32 as i64);
            if i + 1 == cases.len() {
                self.b.ins().brif(is, blk, &[], start, &[]);
            } else {
                let next = self.b.create_block();
                self.b.ins().brif(is, blk, &[], next, &[]);
                // `next` has one predecessor, this compare: seal it at once.
                self.b.switch_to_block(next);
                self.b.seal_block(next);
            }
        }
        if cases.is_empty() {
            self.b.ins().jump(start, &[]);
        }

        // `start` is not sealed yet: the direct-call entry may jump to it too.
        if start != self.block_of(0).1 {
            self.b.switch_to_block(start);
            self.emit_function_entry(entry);
        }
        if let Some(direct) = direct {
            self.b.switch_to_block(direct);
            self.b.seal_block(direct);
            self.emit_direct_entry(start);
        }
        for &(h, blk) in &cases[direct.is_some() as usize..] {
            self.b.switch_to_block(blk);
            self.b.seal_block(blk);
            self.emit_osr_entry(h);
        }
        entry_pcs
    }

    /// The loop headers that get an OSR entry: reachable headers (other than pc 0), the
    /// one that asked for the compile first, then the others in `cfg.loops` order while
    /// their guards fit [`MAX_OSR_ENTRY_GUARDS`].
    fn osr_entry_headers(&self, osr_header: Option<u32>) -> Vec<u32> {
        let reachable = |h: u32| h != 0 && self.states[self.cfg.block_at[h as usize]].is_some();
        let mut order: Vec<u32> = osr_header.into_iter().filter(|&h| reachable(h)).collect();
        for &(h, _) in &self.cfg.loops {
            if reachable(h) && !order.contains(&h) {
                order.push(h);
            }
        }
        let mut spent = 0;
        let mut chosen = Vec::new();
        for h in order {
            let cost = self.osr_entry_guards(h);
            if chosen.is_empty() || spent + cost <= MAX_OSR_ENTRY_GUARDS {
                spent += cost;
                chosen.push(h);
            }
        }
        chosen
    }

    /// The guards `emit_osr_entry(h)` emits: one per register the header assumes unboxed or
    /// scalar.
    fn osr_entry_guards(&self, h: u32) -> usize {
        let state = self.states[self.cfg.block_at[h as usize]]
            .as_ref()
            .expect("only reachable headers are asked");
        state
            .iter()
            .filter(|s| {
                matches!(s.kind, Kind::Unboxed(_))
                    || (s.kind == Kind::Boxed && (s.scalar || s.shape.is_some()))
            })
            .count()
    }

    /// The block the entry dispatch jumps to for pc 0: a new block for the entry edge (to
    /// be filled by `emit_function_entry`) if that edge has code, else pc 0's own block.
    fn entry_block(&mut self, entry: &State) -> Block {
        if self.edge_needs_code(entry, 0) {
            self.b.create_block()
        } else {
            self.block_of(0).1
        }
    }

    /// Function entry: the edge into pc 0 (which may carry guards hoisted to the entry).
    fn emit_function_entry(&mut self, entry: &State) {
        self.jump_edge(entry.clone(), 0);
    }

    /// Does the direct-call entry have locals to unbind (else it is the function entry)?
    fn direct_entry_has_code(&self) -> bool {
        let proto = self.planner.proto;
        (proto.arity..proto.num_regs).any(|r| self.cfg.live_in[0][r as usize])
    }

    /// Entry of a frame set up by a direct call: live locals start unbound.
    fn emit_direct_entry(&mut self, start: Block) {
        let proto = self.planner.proto;
        for r in proto.arity..proto.num_regs {
            if self.cfg.live_in[0][r as usize] {
                let addr = self.slot_addr(r);
                self.call_helper(Helper::SetUndef, &[addr]);
            }
        }
        self.b.ins().jump(start, &[]);
    }

    /// OSR entry at loop header `h`: load and check what the header keeps unboxed, make the
    /// slots it assumes scalar so, then jump into the loop.
    fn emit_osr_entry(&mut self, h: u32) {
        let (bi, blk) = self.block_of(h);
        let target = self.states[bi]
            .clone()
            .expect("entered headers are reachable");
        let boxed: State = vec![RegState::BOXED; target.len()];
        for (r, s) in target.iter().enumerate() {
            let r = r as Reg;
            match s.kind {
                Kind::Dead if s.scalar => self.clear_if_heap(r),
                Kind::Dead => {}
                Kind::Unboxed(ty) => self.guard_load(r, ty, &boxed, h, DeoptReason::OsrEntry),
                Kind::Boxed if s.scalar => {
                    self.guards += 1;
                    let t = self.load_tag(r);
                    let heap = self.heap_bit(t);
                    let ok = self.b.ins().bxor_imm_s(heap, 1);
                    self.deopt_unless(ok, &boxed, h, DeoptReason::OsrEntry);
                }
                // A known shape (`plan/fields.rs`) was checked on the paths from the
                // function entry; entering here skipped them.
                Kind::Boxed => {
                    if let Some(shape) = s.shape {
                        let l = instance_layout().expect("shapes are known only with a layout");
                        let on = OnFail::Deopt(&boxed, h, DeoptReason::OsrEntry);
                        self.check_instance(&l, r, shape, true, &on);
                    }
                }
            }
        }
        self.b.ins().jump(blk, &[]);
    }
}
