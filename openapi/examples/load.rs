fn main() {
    let path = std::env::args().nth(1).expect("usage: load FILE");
    let t = std::time::Instant::now();
    match openapi::load(std::path::Path::new(&path)) {
        Ok(doc) => {
            let schemas = doc.api.components.as_ref().map_or(0, |c| c.schemas.len());
            println!("{:?} {} paths, {} schemas, {} warnings in {:?}", doc.version, doc.api.paths.paths.len(), schemas, doc.warnings.len(), t.elapsed());
            for w in doc.warnings.iter().take(20) { println!("  {w}"); }
        }
        Err(e) => { eprintln!("error: {e}"); std::process::exit(1) }
    }
}
