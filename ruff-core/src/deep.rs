//! A growable native stack for the recursive walks over source code.
//!
//! The lexer (`${ }` in strings), the parser, the scope analysis, the checker, the code
//! generator and the syntax tree's own `Clone`, `PartialEq`, `Debug` and `Drop` recurse once
//! per level of nesting, and a program may nest 100,000 levels deep (docs/LIMITS.md). Each
//! recursive function runs its body through [`guard`], which moves to a fresh stack segment
//! when less than [`RED_ZONE`] of the current one is left (the `stacker` crate, which rustc
//! uses the same way), so the depth is bounded by memory and by the parser's
//! `MAX_NESTING`, never by the size of the calling thread's stack.
//!
//! Flat chains (`1 + 1 + ... + 1`, `a.b.c`, `f(x)(y)`) are not nesting: the parser builds them
//! in a loop and the walks follow their left spine iteratively, so they use no stack per link.

/// Stack that must be left when a guarded function starts: more than any guarded function
/// and the unguarded helpers it calls use before the next guard, with room for unoptimized
/// builds, whose frames are several times larger.
const RED_ZONE: usize = 512 * 1024;

/// Size of each new stack segment.
const SEGMENT: usize = 8 * 1024 * 1024;

/// Runs `f` with at least [`RED_ZONE`] bytes of native stack.
#[inline]
pub fn guard<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(RED_ZONE, SEGMENT, f)
}
