#!/usr/bin/env bash
# The test command (README): everything a change must pass.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== committed client is up to date"
cargo xtask codegen --check

echo "== workspace tests (generator, loader, runtime, snapshots, fixture compile, spec examples)"
cargo test --workspace --no-fail-fast

echo "== generated client: clippy and rustdoc with warnings denied"
cargo clippy -p openai-client --all-targets -- -D warnings
# One resource group on its own (the full set is the line above).
cargo clippy -p openai-client --no-default-features --features chat --all-targets -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc -p openai-client --no-deps

echo "== generator crates: clippy"
cargo clippy -p generator -p openapi -p client-runtime -p xtask -p generator-tests --all-targets --no-deps -- -D warnings
