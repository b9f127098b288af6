//! `zan fmt`: the canonical layout of rules and scenario files.
//!
//! The formatter works on lines, not on the syntax tree, so that every comment is kept where
//! it stands. Newlines carry no meaning in the language, so re-indenting lines and folding runs
//! of spaces outside strings and comments never changes what a file says. The layout:
//! declarations and scenarios in column one; `value`, `otherwise`, `rule`, `exception`, `given`,
//! `expect`, an act's `signed` and `applied` lines, and a contested point's `within`, `reading`
//! and `default` lines indented by two; `when`, `then`, `cite`, `see`, `from`, `until`, `under`,
//! `by` and `citing` lines by four; other continuation lines by six; lines inside brackets two deeper per
//! level; one blank line at most between lines; LF line endings; a final newline. Formatting is
//! idempotent: formatting formatted text changes nothing.

const TOP: &[&str] = &[
    "area",
    "act",
    "source",
    "enum",
    "record",
    "input",
    "judgment",
    "param",
    "question",
    "scenario",
    "contested",
];
const SECOND: &[&str] = &[
    "value",
    "otherwise",
    "rule",
    "exception",
    "given",
    "expect",
    "signed",
    "applied",
    "reading",
    "default",
    "within",
];
const THIRD: &[&str] = &[
    "when", "then", "cite", "see", "from", "until", "by", "citing", "under",
];

/// Splits a line into its code (with runs of white space folded outside strings) and its
/// comment, and reports how the bracket depth changes.
fn split_line(line: &str) -> (String, Option<&str>, i32, i32) {
    let mut code = String::new();
    let mut in_string = false;
    let mut escaped = false;
    let mut depth_change = 0i32;
    // How many closers open the line (they dedent the line itself).
    let mut leading_closers = 0i32;
    let mut seen_code = false;
    let mut pending_space = false;
    for (idx, c) in line.char_indices() {
        if in_string {
            code.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '#' => {
                let comment = line.get(idx..).map(str::trim_end);
                return (
                    code.trim_end().to_string(),
                    comment,
                    depth_change,
                    leading_closers,
                );
            }
            c if c.is_whitespace() => {
                pending_space = !code.is_empty();
                continue;
            }
            _ => {}
        }
        if pending_space {
            code.push(' ');
            pending_space = false;
        }
        match c {
            '"' => in_string = true,
            '(' | '[' | '{' => depth_change += 1,
            ')' | ']' | '}' => {
                depth_change -= 1;
                if !seen_code
                    || (leading_closers > 0
                        && code.chars().all(|ch| matches!(ch, ')' | ']' | '}' | ' ')))
                {
                    leading_closers += 1;
                }
            }
            _ => {}
        }
        seen_code = true;
        code.push(c);
    }
    (code, None, depth_change, leading_closers)
}

fn first_word(code: &str) -> &str {
    let end = code
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(code.len());
    &code[..end]
}

/// The canonical layout of `text`.
pub fn format(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out: Vec<String> = Vec::new();
    let mut depth: i32 = 0;
    // Indentation of the statement a bracketed continuation belongs to.
    let mut statement_indent: i32 = 0;
    let mut blank_pending = false;
    for raw in text.lines() {
        let raw = raw.trim_end_matches('\r');
        let (code, comment, change, leading_closers) = split_line(raw);
        if code.is_empty() && comment.is_none() {
            blank_pending = !out.is_empty();
            continue;
        }
        let word = first_word(&code);
        let indent = if code.is_empty() {
            // A comment line: column one at the top level, else where the next line would go.
            if depth == 0 && !raw.starts_with([' ', '\t']) {
                0
            } else if depth > 0 {
                statement_indent + 2 * depth
            } else {
                2
            }
        } else if depth > 0 {
            statement_indent + 2 * (depth - leading_closers).max(0)
        } else if TOP.contains(&word) {
            statement_indent = 0;
            0
        } else if SECOND.contains(&word) {
            statement_indent = 2;
            2
        } else if THIRD.contains(&word) {
            statement_indent = 4;
            4
        } else {
            statement_indent = 6;
            6
        };
        if blank_pending {
            out.push(String::new());
            blank_pending = false;
        }
        let mut line = " ".repeat(indent.max(0) as usize);
        line.push_str(&code);
        if let Some(comment) = comment {
            if !code.is_empty() {
                line.push_str("  ");
            }
            line.push_str(comment);
        }
        out.push(line);
        depth = (depth + change).max(0);
    }
    let mut formatted = out.join("\n");
    formatted.push('\n');
    if formatted.trim().is_empty() {
        return String::new();
    }
    formatted
}

#[cfg(test)]
mod tests {
    use super::format;

    #[test]
    fn layout_and_comments() {
        let messy = "# head\r\nquestion  a.q : bool   \"Q  ?\" # why\r\n\r\n\r\n rule r\twhen a.b   and c\n      then true cite law \"Art.  1\"\nscenario \"s\" as of 2020-01-01\ngiven a.l = [\n{name: \"A\"},\n]\n";
        let formatted = format(messy);
        assert_eq!(
            formatted,
            "# head\nquestion a.q : bool \"Q  ?\"  # why\n\n  rule r when a.b and c\n    then true cite law \"Art.  1\"\nscenario \"s\" as of 2020-01-01\n  given a.l = [\n    {name: \"A\"},\n  ]\n"
        );
        assert_eq!(format(&formatted), formatted);
    }
}
