//! Snapshot and compile tests of the generator live in `tests/`.
