//! Shrinks a failing document: removes nodes one at a time (biggest first) while the same
//! bug still happens.

use serde_json::Value;

use crate::mutate::pointers;
use crate::target;

/// The smallest document found within `budget` executions that fails with `signature` as
/// JSON; `None` when its JSON form does not fail that way (the bug needs the YAML text).
pub fn minimize(mut doc: Value, signature: &str, budget: usize) -> Option<Value> {
    let mut runs = 0;
    let fails = |doc: &Value| {
        target::run(&doc.to_string(), "fuzz.json")
            .signature()
            .as_deref()
            == Some(signature)
    };
    if !fails(&doc) {
        return None;
    }
    'again: loop {
        for at in pointers(&doc).into_iter().skip(1) {
            if runs >= budget {
                break 'again;
            }
            let mut smaller = doc.clone();
            if !remove(&mut smaller, &at) {
                continue;
            }
            runs += 1;
            if fails(&smaller) {
                doc = smaller;
                continue 'again;
            }
        }
        break;
    }
    Some(doc)
}

fn remove(doc: &mut Value, at: &str) -> bool {
    let Some((parent, key)) = at.rsplit_once('/') else {
        return false;
    };
    let key = key.replace("~1", "/").replace("~0", "~");
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => map.shift_remove(&key).is_some(),
        Some(Value::Array(items)) => match key.parse::<usize>() {
            Ok(i) if i < items.len() => {
                items.remove(i);
                true
            }
            _ => false,
        },
        _ => false,
    }
}
