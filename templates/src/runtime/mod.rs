//! Hand-written runtime shared by every generated client: copied verbatim from the
//! generator's `templates/` crate, where it is compiled and tested on its own.

pub mod model;
