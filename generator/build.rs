//! Embeds the runtime (`templates/src/runtime/*.rs`) and its dependency table, so the
//! generator binary carries everything it writes.

use std::path::Path;

fn main() {
    // Read when the script runs, not baked in when it is compiled: a compiled script reused
    // from another checkout of the workspace must still embed this checkout's runtime.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest_dir).join("../templates");
    let runtime = root.join("src/runtime");
    println!("cargo:rerun-if-changed={}", runtime.display());
    println!(
        "cargo:rerun-if-changed={}",
        root.join("Cargo.toml").display()
    );
    let mut files: Vec<String> = std::fs::read_dir(&runtime)
        .expect("templates/src/runtime exists")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".rs"))
        .collect();
    files.sort();
    let mut out = String::from(
        "/// The runtime's files: name and contents.\npub const RUNTIME_FILES: &[(&str, &str)] = &[\n",
    );
    for name in &files {
        println!("cargo:rerun-if-changed={}", runtime.join(name).display());
        out.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            runtime.join(name).display().to_string()
        ));
    }
    out.push_str("];\n");
    out.push_str(&format!(
        "/// The runtime crate's manifest, whose dependencies every generated crate gets.\npub const RUNTIME_MANIFEST: &str = include_str!({:?});\n",
        root.join("Cargo.toml").display().to_string()
    ));
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR is set by cargo"))
        .join("runtime_files.rs");
    // A new file rather than an overwrite: a target folder copied with hard links must not
    // change another copy's output through the shared inode.
    let _ = std::fs::remove_file(&dest);
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}
