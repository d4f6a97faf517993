//! Loads a spec and prints what the loader found: `cargo run -p openapi --example load -- FILE [N]`
//! prints the first N warnings (default 20).

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: load FILE [N]");
        std::process::exit(2);
    };
    let shown = args.next().and_then(|n| n.parse().ok()).unwrap_or(20);
    let started = std::time::Instant::now();
    match openapi::load(std::path::Path::new(&path)) {
        Ok(doc) => {
            let elapsed = started.elapsed();
            let schemas = doc.api.components.as_ref().map_or(0, |c| c.schemas.len());
            println!(
                "{:?}: {} paths, {} schemas, {} warnings in {elapsed:?}",
                doc.version,
                doc.api.paths.paths.len(),
                schemas,
                doc.warnings.len()
            );
            for w in doc.warnings.iter().take(shown) {
                println!("  {w}");
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1)
        }
    }
}
