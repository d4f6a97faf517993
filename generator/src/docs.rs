//! Turns OpenAPI descriptions (CommonMark written for a web page) into rustdoc text that
//! renders the same and trips none of rustdoc's lints: no accidental doctests, no broken
//! intra-doc links, no bare URLs, no stray HTML tags.

/// Options for rewriting documentation.
#[derive(Debug, Clone, Default)]
pub struct DocStyle {
    /// Prefix for site-relative links such as `[guide](/docs/guides/x)`.
    pub link_base: Option<String>,
}

/// Rewrites `text` into doc lines (one per `#[doc]` attribute).
pub fn doc_lines(text: &str, style: &DocStyle) -> Vec<String> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = Vec::new();
    let mut fence: Option<String> = None;
    let dedent = common_indent(&text);
    // Content column of the list item being continued, if any: continuation lines are
    // indented to it (clippy's `doc_lazy_continuation`), and never deeper (a code block).
    let mut list_content: Option<usize> = None;
    for raw in text.trim_end().lines() {
        let line = raw.get(dedent.min(leading_spaces(raw))..).unwrap_or(raw);
        let trimmed = line.trim_start();
        if let Some(marker) = &fence {
            if trimmed.starts_with(marker.as_str()) {
                out.push(marker.clone());
                fence = None;
            } else {
                out.push(line.to_string());
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let marker: String = trimmed
                .chars()
                .take_while(|&c| c == '`' || c == '~')
                .collect();
            let lang = trimmed[marker.len()..].trim();
            // An untagged fence would be compiled as a Rust doctest.
            let lang = if lang.is_empty() || lang == "rust" {
                "text"
            } else {
                lang
            };
            out.push(format!("{marker}{lang}"));
            fence = Some(marker);
            continue;
        }
        if trimmed.is_empty() {
            list_content = None;
            out.push(String::new());
            continue;
        }
        // Four spaces of indentation would start an indented (doctest) code block.
        let mut indent = leading_spaces(line).min(3);
        if let Some(marker) = list_marker(trimmed) {
            list_content = Some(indent + marker);
        } else if let Some(content) = list_content {
            indent = content;
        }
        out.push(format!(
            "{}{}",
            " ".repeat(indent),
            rewrite_inline(trimmed, style)
        ));
    }
    if let Some(marker) = fence {
        out.push(marker);
    }
    while out.first().is_some_and(|l| l.trim().is_empty()) {
        out.remove(0);
    }
    out
}

/// The width of a list marker (`- `, `* `, `+ `, `12. `) at the start of `line`.
fn list_marker(line: &str) -> Option<usize> {
    if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        return Some(2);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    (digits > 0 && digits < 10 && line[digits..].starts_with(". ")).then_some(digits + 2)
}

fn leading_spaces(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn common_indent(text: &str) -> usize {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(leading_spaces)
        .min()
        .unwrap_or(0)
}

/// Rewrites one line outside code blocks, leaving inline code spans untouched.
fn rewrite_inline(line: &str, style: &DocStyle) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    while !rest.is_empty() {
        if let Some(stripped) = rest.strip_prefix('`') {
            let ticks = 1 + stripped.chars().take_while(|&c| c == '`').count();
            let delim = "`".repeat(ticks);
            if let Some(end) = rest[ticks..].find(&delim) {
                let span_end = ticks + end + ticks;
                out.push_str(&rest[..span_end]);
                rest = &rest[span_end..];
                continue;
            }
            // An unmatched backtick is literal text.
            out.push_str("\\`");
            rest = &rest[1..];
            continue;
        }
        if let Some((link, len)) = markdown_link(rest, style) {
            out.push_str(&link);
            rest = &rest[len..];
            continue;
        }
        if let Some(len) = url_len(rest) {
            let url = &rest[..len];
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &rest[len..];
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        match c {
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// `[text](target)` at the start of `s`: the rewritten link and the length consumed.
fn markdown_link(s: &str, style: &DocStyle) -> Option<(String, usize)> {
    let inner = s.strip_prefix('[')?;
    let close = inner.find("](")?;
    let text = &inner[..close];
    if text.contains('[') || text.contains(']') {
        return None;
    }
    let after = &inner[close + 2..];
    let end = after.find(')')?;
    let target = after[..end].trim();
    if target.is_empty() || target.contains(' ') {
        return None;
    }
    let target = match (&style.link_base, target.starts_with('/')) {
        (Some(base), true) => format!("{}{}", base.trim_end_matches('/'), target),
        _ => target.to_string(),
    };
    let text = rewrite_inline(text, style);
    Some((format!("[{text}]({target})"), 1 + close + 2 + end + 1))
}

/// The length of a bare `http(s)://` URL at the start of `s`.
fn url_len(s: &str) -> Option<usize> {
    if !(s.starts_with("https://") || s.starts_with("http://")) {
        return None;
    }
    let mut len = s
        .find(|c: char| c.is_whitespace() || c == '<' || c == '>' || c == '`' || c == '"')
        .unwrap_or(s.len());
    // Trailing punctuation belongs to the sentence, not the URL.
    while len > 0 && s[..len].ends_with(['.', ',', ';', ':', ')', '!', '?', '\'']) {
        len -= 1;
    }
    Some(len)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &[&str]) {
        let style = DocStyle {
            link_base: Some("https://platform.openai.com".into()),
        };
        assert_eq!(doc_lines(input, &style), expected, "input {input:?}");
    }

    #[test]
    fn rewrites() {
        check("plain text", &["plain text"]);
        check(
            "see [the guide](/docs/guides/x).",
            &["see [the guide](https://platform.openai.com/docs/guides/x)."],
        );
        check(
            "an array [1, 2] of `[x]`",
            &["an array \\[1, 2\\] of `[x]`"],
        );
        check(
            "visit https://example.com/a.",
            &["visit <https://example.com/a>."],
        );
        check("a <b> c", &["a &lt;b&gt; c"]);
        check(
            "```\nlet x = [1];\n```",
            &["```text", "let x = [1];", "```"],
        );
        check(
            "```json\n{\"a\": 1}\n```",
            &["```json", "{\"a\": 1}", "```"],
        );
        check("a\n\n        indented", &["a", "", "   indented"]);
        check("  - one\n    - two", &["- one", "  - two"]);
        check("unclosed ` tick", &["unclosed \\` tick"]);
        check(
            "intro\n  - item one\n    continued\n- two\nlazy",
            &["intro", "  - item one", "    continued", "- two", "  lazy"],
        );
        check(
            "1. first\n   more\n\nafter",
            &["1. first", "   more", "", "after"],
        );
    }
}
