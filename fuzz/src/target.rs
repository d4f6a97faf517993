//! One execution: text → `openapi::load_str` → `generator::generate`, with panics caught.

use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

/// What became of one input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The loader said no (a located error): the expected answer to most mutations.
    Rejected,
    /// Generation failed with a located error of its own.
    NotGenerated,
    Generated,
    /// A bug: the panic's location (`file:line`) and message.
    Panic {
        location: String,
        message: String,
    },
    /// A bug: the generator emitted code that does not parse.
    BadCode {
        message: String,
    },
}

impl Outcome {
    /// What identifies the bug (for deduplication and minimisation); `None` when no bug.
    pub fn signature(&self) -> Option<String> {
        match self {
            Outcome::Panic { location, .. } => Some(format!("panic at {location}")),
            Outcome::BadCode { message } => Some(format!(
                "bad code: {}",
                message.split(':').next().unwrap_or(message)
            )),
            _ => None,
        }
    }
}

thread_local! {
    static LAST_PANIC: RefCell<Option<(String, String)>> = const { RefCell::new(None) };
}

/// Panics are recorded quietly (the harness reports them), not printed.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let message = info
            .payload()
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| info.payload().downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        LAST_PANIC.with(|p| *p.borrow_mut() = Some((location, message)));
    }));
}

/// Runs the pipeline on `text`, named `file` (its extension picks YAML or JSON).
pub fn run(text: &str, file: &str) -> Outcome {
    let result = catch_unwind(AssertUnwindSafe(|| {
        let Ok(doc) = openapi::load_str(text, Path::new(file)) else {
            return Outcome::Rejected;
        };
        let config = openapi::Config::for_spec(Path::new(file), "fuzz-client");
        match generator::generate(&doc, &config) {
            Ok(_) => Outcome::Generated,
            Err(generator::GenerateError::Emit { file, message }) => Outcome::BadCode {
                message: format!("{file}: {message}"),
            },
            Err(_) => Outcome::NotGenerated,
        }
    }));
    result.unwrap_or_else(|_| {
        let (location, message) = LAST_PANIC
            .with(|p| p.borrow_mut().take())
            .unwrap_or_default();
        Outcome::Panic { location, message }
    })
}
