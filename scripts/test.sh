#!/usr/bin/env bash
# The test command (README): everything a change must pass.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== committed client is up to date"
cargo xtask codegen --check

echo "== workspace tests (generator, loader, runtime, snapshots, fixture compile, spec examples)"
# The OpenAI crate's optional helpers are tested too: its structured-output tests, its examples
# (built by this command and run by generated-client/tests/examples.rs) and the README doctests
# need `structured-outputs`; `webhooks` is on by default.
cargo test --workspace --no-fail-fast --features openai-client/structured-outputs

echo "== generated client: clippy and rustdoc with warnings denied"
# Default features plus `structured-outputs`: every module, example and test of the crate. Code
# that the optional features leave out is checked by the `chat`-only line below.
cargo clippy -p openai-client --all-targets --features structured-outputs -- -D warnings
# One resource group on its own, without the optional helpers (the full set is the line above).
cargo clippy -p openai-client --no-default-features --features chat --all-targets -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc -p openai-client --no-deps --features structured-outputs

echo "== generator crates: clippy"
cargo clippy -p generator -p openapi -p client-runtime -p xtask -p generator-tests --all-targets --no-deps -- -D warnings
