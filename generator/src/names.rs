//! Identifier policy, in one place: how JSON names, schema names and enum values
//! become Rust identifiers (case, keywords, digits, symbols).

/// Rust keywords (strict and reserved, 2024 edition). A field or method named like one
/// gets a trailing underscore; `r#` would also work but reads badly in user code.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Splits a name into words: at any character that is not a letter or digit, at
/// lower→upper case changes (`fooBar`), and before the last capital of an acronym
/// followed by lower case (`HTTPServer` → `HTTP`, `Server`).
pub fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    for token in name.split(|c: char| !c.is_alphanumeric()) {
        let chars: Vec<char> = token.chars().collect();
        let mut start = 0;
        for i in 1..chars.len() {
            let (prev, cur) = (chars[i - 1], chars[i]);
            let next_lower = chars.get(i + 1).is_some_and(|c| c.is_lowercase());
            let boundary = (prev.is_lowercase() && cur.is_uppercase())
                || (prev.is_uppercase() && cur.is_uppercase() && next_lower)
                || (prev.is_numeric() && cur.is_uppercase());
            if boundary {
                words.push(chars[start..i].iter().collect());
                start = i;
            }
        }
        if start < chars.len() {
            words.push(chars[start..].iter().collect());
        }
    }
    words
}

/// `UpperCamelCase`, keeping an underscore between two digits so that `gpt-4.1` and
/// `gpt-41` stay distinct (`Gpt4_1`, `Gpt41`).
pub fn upper_camel(name: &str) -> String {
    let mut out = String::new();
    for word in words(name) {
        if out.ends_with(|c: char| c.is_ascii_digit())
            && word.starts_with(|c: char| c.is_ascii_digit())
        {
            out.push('_');
        }
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.extend(chars.flat_map(char::to_lowercase));
        }
    }
    out
}

/// `snake_case`.
pub fn snake(name: &str) -> String {
    words(name)
        .iter()
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join("_")
}

/// A type name for a schema name. Never empty, never a keyword, never starts with a digit.
pub fn type_name(name: &str) -> String {
    let camel = ascii_only(&upper_camel(name));
    match camel.as_str() {
        "" => "Unnamed".into(),
        "Self" => "SelfType".into(),
        _ if camel.starts_with(|c: char| c.is_ascii_digit()) => format!("T{camel}"),
        _ => camel,
    }
}

/// An enum variant name for a string value (`auto` → `Auto`, `1024x1024` → `V1024x1024`,
/// `+1` → `Plus1`, `""` → `Empty`).
pub fn variant_name(value: &str) -> String {
    let signed = if let Some(rest) = value.strip_prefix('+') {
        format!("plus {rest}")
    } else if let Some(rest) = value.strip_prefix('-') {
        format!("minus {rest}")
    } else {
        value.to_string()
    };
    let camel = ascii_only(&upper_camel(&signed));
    match camel.as_str() {
        "" if value.is_empty() => "Empty".into(),
        "" => format!(
            "U{}",
            value
                .chars()
                .map(|c| format!("{:X}", c as u32))
                .collect::<String>()
        ),
        "Self" => "SelfValue".into(),
        // `Other` is the catch-all of every open enum.
        "Other" => "OtherValue".into(),
        _ if camel.starts_with(|c: char| c.is_ascii_digit()) => format!("V{camel}"),
        _ => camel,
    }
}

/// A field, parameter or method name for a JSON name.
pub fn field_name(name: &str) -> String {
    // Code points spelled in lower case, so `ünïcode` is snake case too.
    let snake = ascii_only(&snake(name)).to_lowercase();
    if snake.is_empty() {
        return "field".into();
    }
    if snake.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("_{snake}");
    }
    if KEYWORDS.contains(&snake.as_str()) {
        return format!("{snake}_");
    }
    snake
}

/// Identifiers stay ASCII: other letters are spelled by code point, so that distinct
/// names stay distinct and no lint about non-ASCII identifiers fires.
fn ascii_only(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else {
            out.push_str(&format!("U{:X}", c as u32));
        }
    }
    out
}

/// Picks a name not yet in `taken` by appending 2, 3, …; records and returns it.
pub fn unique(base: &str, taken: &mut std::collections::HashSet<String>) -> String {
    if taken.insert(base.to_string()) {
        return base.to_string();
    }
    let sep = if base.ends_with(|c: char| c.is_ascii_digit()) {
        "_"
    } else {
        ""
    };
    (2..)
        .map(|n| format!("{base}{sep}{n}"))
        .find(|candidate| taken.insert(candidate.clone()))
        .unwrap_or_else(|| base.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifier_table() {
        type Case = (&'static str, fn(&str) -> String, &'static str);
        let cases: &[Case] = &[
            (
                "CreateChatCompletionRequest",
                type_name,
                "CreateChatCompletionRequest",
            ),
            ("Foo_Bar", type_name, "FooBar"),
            ("HTTPServer", type_name, "HttpServer"),
            ("123abc", type_name, "T123abc"),
            ("Self", type_name, "SelfType"),
            ("type", type_name, "Type"),
            ("my schema.v2", type_name, "MySchemaV2"),
            ("auto", variant_name, "Auto"),
            ("1024x1024", variant_name, "V1024x1024"),
            ("24h", variant_name, "V24h"),
            ("+1", variant_name, "Plus1"),
            ("-1", variant_name, "Minus1"),
            ("", variant_name, "Empty"),
            ("gpt-4.1", variant_name, "Gpt4_1"),
            ("gpt-41", variant_name, "Gpt41"),
            ("gpt-4o-mini", variant_name, "Gpt4oMini"),
            ("chat.completion.chunk", variant_name, "ChatCompletionChunk"),
            ("other", variant_name, "OtherValue"),
            ("😀", variant_name, "U1F600"),
            ("type", field_name, "type_"),
            ("self", field_name, "self_"),
            ("fooBar", field_name, "foo_bar"),
            ("x-request-id", field_name, "x_request_id"),
            ("2fa", field_name, "_2fa"),
            ("$ref", field_name, "ref_"),
            ("ünïcode", field_name, "ufcnuefcode"),
            ("🐶", field_name, "field"),
        ];
        for (input, f, expected) in cases {
            assert_eq!(f(input), *expected, "input {input:?}");
        }
    }

    #[test]
    fn unique_appends_a_counter() {
        let mut taken = std::collections::HashSet::new();
        assert_eq!(unique("Foo", &mut taken), "Foo");
        assert_eq!(unique("Foo", &mut taken), "Foo2");
        assert_eq!(unique("V1", &mut taken), "V1");
        assert_eq!(unique("V1", &mut taken), "V1_2");
    }
}
