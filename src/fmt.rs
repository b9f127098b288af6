//! `zan fmt`: the canonical layout of rules and scenario files.
//!
//! The formatter works on lines, not on the syntax tree, so that every comment is kept where
//! it stands. Newlines carry no meaning in the language, so re-indenting lines and folding runs
//! of spaces outside strings and comments never changes what a file says. The layout:
//! declarations and scenarios in column one; `value`, `otherwise`, `rule`, `exception`,
//! `requires`, `given`, `assume`, `expect`, an act's `signed` and `applied` lines, and a
//! contested point's `within`, `reading` and `default` lines indented by two; `when`, `then`,
//! `cite`, `see`, `from`, `until`, `under`, `by` and `citing` lines by four; other continuation
//! lines by six; lines inside brackets two deeper per level; one blank line at most between
//! lines; LF line endings; a final newline. A rule written on one line is broken into its parts
//! (`rule r when ... then ... cite ...` becomes a `rule r` line and `when`, `then` and `cite`
//! lines); the `then` of an `if` expression stays where it is. Formatting is idempotent:
//! formatting formatted text changes nothing, and it only moves white space, which
//! [`same_tokens`] checks. [`format_files`] is `zan fmt` over a list of files.

/// Declarations and scenarios start in column one; their clauses and the parts of a clause
/// are indented one and two steps (the keyword lists are the parser's, in `keywords`).
const TOP: &[&str] = crate::keywords::ITEM_KEYWORDS;
const SECOND: &[&str] = crate::keywords::CLAUSE_KEYWORDS;
const THIRD: &[&str] = crate::keywords::PART_KEYWORDS;

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

/// Where a line of code (folded, without its comment) breaks into its parts: before each
/// `when`, `then` or `cite` of a rule outside strings and brackets, except the `then` of an
/// `if`. A dated value stays on its line: `value 5% from 2021-06-05 cite law "Art. 1"`.
fn break_points(code: &str) -> Vec<usize> {
    let word = first_word(code);
    let breaks: &[&str] = match word {
        "rule" | "exception" | "when" | "then" => &["when", "then", "cite"],
        _ => return Vec::new(),
    };
    let mut points = Vec::new();
    let mut in_string = false;
    let mut escaped = false;
    let mut depth = 0i32;
    let mut open_ifs = 0usize;
    let bytes = code.as_bytes();
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'.';
    for (idx, c) in code.char_indices() {
        if in_string {
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
            '"' => in_string = true,
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            _ => {}
        }
        let starts_word = idx == 0 || !is_ident(bytes[idx - 1]);
        if depth != 0 || !starts_word || !c.is_ascii_alphabetic() {
            continue;
        }
        let rest = &code[idx..];
        let this = &rest[..rest
            .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
            .unwrap_or(rest.len())];
        if this == "if" {
            open_ifs += 1;
        } else if this == "then" && open_ifs > 0 {
            open_ifs -= 1;
        } else if idx > 0 && bytes[idx - 1] == b' ' && breaks.contains(&this) {
            points.push(idx);
        }
    }
    points
}

/// The tokens of a text, for checking that formatting moved only white space: strings and
/// comments whole, everything else split at white space.
fn tokens(text: &str) -> Vec<String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut tokens = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                current.push(c);
                let mut escaped = false;
                for s in chars.by_ref() {
                    current.push(s);
                    if escaped {
                        escaped = false;
                    } else if s == '\\' {
                        escaped = true;
                    } else if s == '"' {
                        break;
                    }
                }
            }
            '#' => {
                if !current.is_empty() {
                    tokens.push(std::mem::take(&mut current));
                }
                let mut comment = String::from('#');
                while let Some(s) = chars.next_if(|s| *s != '\n') {
                    comment.push(s);
                }
                tokens.push(comment.trim_end().to_string());
            }
            c if c.is_whitespace() => {
                if !current.is_empty() {
                    tokens.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        tokens.push(current);
    }
    tokens
}

/// Whether two texts differ only in white space outside strings and comments (and trailing
/// white space of comments): what formatting may change, and nothing more.
pub fn same_tokens(before: &str, after: &str) -> bool {
    tokens(before) == tokens(after)
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
        // A rule or value on one line is broken into its parts, each laid out as a line.
        let points = if depth == 0 {
            break_points(&code)
        } else {
            Vec::new()
        };
        if !points.is_empty() {
            if blank_pending {
                out.push(String::new());
                blank_pending = false;
            }
            let mut starts = vec![0];
            starts.extend(points.iter().copied());
            let mut parts: Vec<&str> = Vec::new();
            for (idx, start) in starts.iter().enumerate() {
                let end = starts.get(idx + 1).copied().unwrap_or(code.len());
                parts.push(code[*start..end].trim());
            }
            let last = parts.len() - 1;
            for (idx, part) in parts.iter().enumerate() {
                let word = first_word(part);
                let indent = if SECOND.contains(&word) {
                    2
                } else if THIRD.contains(&word) {
                    4
                } else {
                    6
                };
                statement_indent = indent;
                let mut line = " ".repeat(indent as usize);
                line.push_str(part);
                if idx == last
                    && let Some(comment) = comment
                {
                    line.push_str("  ");
                    line.push_str(comment);
                }
                out.push(line);
            }
            depth = (depth + change).max(0);
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

/// What `zan fmt` did over a list of files.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// How many files were looked at.
    pub files: usize,
    /// The files whose layout changed (or, with `check`, would change), as named.
    pub changed: Vec<String>,
    /// Files left alone: not UTF-8, or marked `zan-fmt: skip` on their first line.
    pub skipped: usize,
    /// Files that do not parse, or whose layout would change more than white space.
    pub refused: usize,
    /// Files that could not be replaced safely.
    pub failed: usize,
    /// With `check`: what would change, as unified diffs.
    pub diffs: String,
    /// The notes and errors met on the way (skipped files, syntax errors, refused writes), as
    /// printed on standard error.
    pub messages: String,
    /// Whether only what would change was shown (`--check`).
    pub check: bool,
}

impl Outcome {
    /// The diffs (with `--check`), a line per changed file and the tally, as printed on
    /// standard output.
    pub fn report(&self) -> String {
        let mut out = self.diffs.clone();
        for name in &self.changed {
            out.push_str(&format!(
                "{} {name}\n",
                if self.check {
                    "would reformat"
                } else {
                    "formatted"
                }
            ));
        }
        out.push_str(&format!(
            "{} file(s) checked, {} {}, {} skipped, {} refused{}\n",
            self.files,
            self.changed.len(),
            if self.check {
                "would change"
            } else {
                "changed"
            },
            self.skipped,
            self.refused,
            if self.failed > 0 {
                format!(", {} not written", self.failed)
            } else {
                String::new()
            }
        ));
        out
    }
}

/// Lays out each of `files` (or, with `check`, works out what would change as unified diffs).
///
/// Files that are not UTF-8 are skipped with a note, as are files whose first line holds
/// `zan-fmt: skip` (fixtures whose exact bytes are the point, such as CRLF line endings). A
/// file that does not parse is refused and left untouched, its syntax errors kept in the
/// messages. Each file is replaced through [`crate::output::OutputFile`], and only if it still
/// holds what was read; a file that cannot be replaced safely (read-only, hard-linked, edited
/// meanwhile) is left as it is with a message, and the others are still formatted. A file
/// that cannot be read at all stops the run.
pub fn format_files(
    files: &[std::path::PathBuf],
    check: bool,
) -> Result<Outcome, crate::source::ReadError> {
    use crate::source::{Contents, ReadError, SourceMap};
    let mut outcome = Outcome {
        files: files.len(),
        check,
        ..Outcome::default()
    };
    for path in files {
        let original = match crate::source::read_text(path, Contents::Rules) {
            Ok(text) => text,
            Err(ReadError::NotUtf8 { .. }) => {
                outcome.messages.push_str(&format!(
                    "note: skipped `{}`: not UTF-8 text\n",
                    path.display()
                ));
                outcome.skipped += 1;
                continue;
            }
            Err(e) => return Err(e),
        };
        if original
            .lines()
            .next()
            .is_some_and(|line| line.contains("zan-fmt: skip"))
        {
            outcome.skipped += 1;
            continue;
        }
        let mut sources = SourceMap::new();
        let file = sources.add(path.display().to_string(), original.clone());
        let (_, syntax_errors) = crate::parse::parse_file(&sources, file);
        if !syntax_errors.is_empty() {
            outcome
                .messages
                .push_str(&crate::diagnostic::render(&sources, &syntax_errors));
            outcome.messages.push_str(&format!(
                "error: refused to format `{}`: it does not parse; the file is untouched\n",
                path.display()
            ));
            outcome.refused += 1;
            continue;
        }
        let formatted = format(&original);
        if !same_tokens(&original, &formatted) {
            // Formatting moves only white space; anything else is a bug, and the file is kept.
            outcome.messages.push_str(&format!(
                "error: refused to format `{}`: the layout would change more than white space (a bug in zan fmt); the file is untouched\n",
                path.display()
            ));
            outcome.refused += 1;
            continue;
        }
        if formatted == original {
            continue;
        }
        if check {
            let name = path.display().to_string();
            outcome.diffs.push_str(
                &similar::TextDiff::from_lines(&original, &formatted)
                    .unified_diff()
                    .context_radius(2)
                    .header(&name, &name)
                    .to_string(),
            );
        } else {
            // Replaced whole, and only if nobody edited the file meanwhile.
            let written = crate::output::OutputFile::create(path, &[])
                .map(|file| file.unless_changed_from(original.as_bytes()))
                .and_then(|file| file.write_and_commit(formatted.as_bytes()));
            match written {
                Ok(()) => {}
                // Another `zan fmt` got there first with the same layout: nothing is lost.
                Err(crate::output::WriteError::Changed { .. })
                    if std::fs::read(path).is_ok_and(|now| now == formatted.as_bytes()) => {}
                Err(e) => {
                    outcome.messages.push_str(&format!("error: {e}\n"));
                    outcome.failed += 1;
                    continue;
                }
            }
        }
        outcome.changed.push(path.display().to_string());
    }
    Ok(outcome)
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
            "# head\nquestion a.q : bool \"Q  ?\"  # why\n\n  rule r\n    when a.b and c\n    then true\n    cite law \"Art.  1\"\nscenario \"s\" as of 2020-01-01\n  given a.l = [\n    {name: \"A\"},\n  ]\n"
        );
        assert_eq!(format(&formatted), formatted);
        assert!(super::same_tokens(messy, &formatted));
    }

    #[test]
    fn a_one_line_rule_is_broken_into_its_parts() {
        let one_line = "  rule r from 2023-01-01 when a.x >= 5 and a.t = \"when then\" then if a.b then 1 else 2 cite law \"Art. 1\" see j \"p. 2\"  # note\n  value 7% from 2007-08-18 cite law \"Art. 2\"\n";
        let formatted = format(one_line);
        assert_eq!(
            formatted,
            "  rule r from 2023-01-01\n    when a.x >= 5 and a.t = \"when then\"\n    then if a.b then 1 else 2\n    cite law \"Art. 1\" see j \"p. 2\"  # note\n  value 7% from 2007-08-18 cite law \"Art. 2\"\n"
        );
        assert_eq!(format(&formatted), formatted);
        assert!(super::same_tokens(one_line, &formatted));
        assert!(!super::same_tokens("rule r when a", "rule r when b"));
        assert!(!super::same_tokens(
            "cite law \"Art.  1\"",
            "cite law \"Art. 1\""
        ));
    }
}
