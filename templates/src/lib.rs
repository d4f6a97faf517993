//! The client runtime, compiled and tested on its own. The generator copies
//! `src/runtime/` verbatim into every generated crate, so code in it refers to
//! its siblings as `crate::runtime::…`, which resolves the same way here and there.

pub mod runtime;
