//! Recursion over a schema's nesting. The schema reader, include
//! resolution and lowering recurse once per nesting level (bounded by
//! `syntax::rng::MAX_SCHEMA_DEPTH`), and so do the derivatives over a
//! compiled pattern that the arena could not flatten; within that bound
//! the depth can still exceed the stack of whatever thread an embedding
//! program calls us on. Each recursive step goes through [`deeper`] (the
//! derivatives only for patterns the arena marks deep), which continues on
//! a new heap-allocated stack segment when the current one runs low.

/// Stack that must remain for one more level; generous, because debug
/// builds give the reader's and the lowering's frames several kilobytes.
const RED_ZONE: usize = 256 * 1024;

/// Size of each new segment when the stack runs low.
const SEGMENT: usize = 4 * 1024 * 1024;

/// Runs `f`, one nesting level deeper, on enough stack.
pub(crate) fn deeper<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(RED_ZONE, SEGMENT, f)
}
