//! Diagnostics: what the parser and the checker report, as data, and the one renderer that
//! prints them with the source line and a caret.
//!
//! Stages return `Diagnostic` values; only `render` turns them into text, using
//! `codespan-reporting` for the layout.

use crate::code::Code;
use crate::source::SourceMap;
use crate::span::{FileId, Span};
use codespan_reporting::diagnostic as cr;
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Severity {
    /// Reported; the rules still load.
    Warning,
    /// The rules (or scenarios) are refused.
    Error,
}

/// One problem found in the input: what is wrong, where, and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// An error or a warning.
    pub severity: Severity,
    /// The kind of problem, as a stable code (`docs/errors.md`).
    pub code: Code,
    /// What is wrong.
    pub message: String,
    /// Where, with a label.
    pub primary: Option<(Span, String)>,
    /// Other places involved, each with a label.
    pub secondary: Vec<(Span, String)>,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            primary: None,
            secondary: Vec::new(),
            hint: None,
        }
    }

    pub fn warning(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn at(mut self, span: Span, label: impl Into<String>) -> Diagnostic {
        self.primary = Some((span, label.into()));
        self
    }

    pub fn also(mut self, span: Span, label: impl Into<String>) -> Diagnostic {
        self.secondary.push((span, label.into()));
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// True when any diagnostic is an error (warnings do not stop a run).
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}

impl<'a> Files<'a> for SourceMap {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        self.get(id)
            .map(|file| file.name.as_str())
            .ok_or(FilesError::FileMissing)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        self.get(id)
            .map(|file| file.text.as_str())
            .ok_or(FilesError::FileMissing)
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        let file = self.get(id).ok_or(FilesError::FileMissing)?;
        Ok(file.line_col(byte_index).0 - 1)
    }

    fn line_range(
        &'a self,
        id: FileId,
        line_index: usize,
    ) -> Result<std::ops::Range<usize>, FilesError> {
        let file = self.get(id).ok_or(FilesError::FileMissing)?;
        file.line_range(line_index).ok_or(FilesError::LineTooLarge {
            given: line_index,
            max: line_index,
        })
    }
}

/// The byte range of line `line_index` (zero-based) of `text`, its newline included.
fn line_range_in(text: &str, line_index: usize) -> Result<std::ops::Range<usize>, FilesError> {
    let mut start = 0;
    for _ in 0..line_index {
        match text.get(start..).and_then(|rest| rest.find('\n')) {
            Some(newline) => start += newline + 1,
            None => {
                return Err(FilesError::LineTooLarge {
                    given: line_index,
                    max: line_index,
                });
            }
        }
    }
    let end = text
        .get(start..)
        .and_then(|rest| rest.find('\n'))
        .map_or(text.len(), |newline| start + newline + 1);
    Ok(start..end)
}

/// Source lines longer than this many characters are shown cut down to a window around the
/// labels, marked with `…`, so that a diagnostic about a 100,000-character line stays readable.
pub const MAX_SHOWN_LINE: usize = 200;
/// How many characters of a cut line are shown before its first label.
const SHOWN_BEFORE: usize = 60;

/// A file as one diagnostic shows it: each long line that a label touches is cut to a window,
/// and each control character on the lines shown is written as its escape (`\u{1b}`), so
/// that the caret still stands under its token.
struct ShownFile {
    id: FileId,
    text: String,
    /// The pieces of the original text that are kept, in order: (start in the original,
    /// start in `text`, length in bytes). Between two pieces stands a `…` or an escape.
    pieces: Vec<(usize, usize, usize)>,
}

impl ShownFile {
    /// `None` when no labelled line is long or holds a control character: the file is shown
    /// as it is.
    fn new(id: FileId, original: &str, labels: &[std::ops::Range<usize>]) -> Option<ShownFile> {
        // (the original range replaced, what stands there instead)
        let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
        for label in labels {
            let start = label.start.min(original.len());
            let line_start = original
                .get(..start)
                .and_then(|before| before.rfind('\n'))
                .map_or(0, |newline| newline + 1);
            let line_end = original
                .get(line_start..)
                .and_then(|rest| rest.find(['\n', '\r']))
                .map_or(original.len(), |end| line_start + end);
            let line = original.get(line_start..line_end)?;
            // Every line the label covers may be shown: escape their control characters.
            let covered_end = original
                .get(label.end.min(original.len())..)
                .and_then(|rest| rest.find('\n'))
                .map_or(original.len(), |end| label.end.min(original.len()) + end);
            let covered = original.get(line_start..covered_end)?;
            for (offset, c) in covered.char_indices() {
                let at = line_start + offset;
                if c == '\r'
                    && original
                        .get(at + 1..)
                        .is_some_and(|rest| rest.starts_with('\n'))
                {
                    continue;
                }
                if let Some(escape) = crate::escape::control_escape(c)
                    && !edits.iter().any(|(range, _)| range.start == at)
                {
                    edits.push((at..at + c.len_utf8(), escape));
                }
            }
            if line.chars().count() <= MAX_SHOWN_LINE
                || edits.iter().any(|(cut, shown)| {
                    shown == "…" && cut.start >= line_start && cut.end <= line_end
                })
            {
                continue;
            }
            // Character boundaries of the window: from a little before the label, for at
            // most MAX_SHOWN_LINE characters.
            let boundaries: Vec<usize> = line
                .char_indices()
                .map(|(offset, _)| line_start + offset)
                .chain(std::iter::once(line_end))
                .collect();
            let label_char = boundaries.partition_point(|&offset| offset < start);
            let first = label_char.saturating_sub(SHOWN_BEFORE);
            let last = (first + MAX_SHOWN_LINE).min(boundaries.len() - 1);
            let (window_start, window_end) = (boundaries[first], boundaries[last]);
            if window_start > line_start {
                edits.push((line_start..window_start, "…".to_string()));
            }
            if window_end < line_end {
                edits.push((window_end..line_end, "…".to_string()));
            }
        }
        if edits.is_empty() {
            return None;
        }
        // A cut wins over the escapes inside it.
        edits.sort_by_key(|(range, _)| (range.start, std::cmp::Reverse(range.end)));
        let mut text = String::new();
        let mut pieces = Vec::new();
        let mut kept_from = 0;
        for (range, replacement) in &edits {
            if range.start < kept_from {
                continue;
            }
            let kept = original.get(kept_from..range.start)?;
            pieces.push((kept_from, text.len(), kept.len()));
            text.push_str(kept);
            text.push_str(replacement);
            kept_from = range.end;
        }
        let kept = original.get(kept_from..)?;
        pieces.push((kept_from, text.len(), kept.len()));
        text.push_str(kept);
        Some(ShownFile { id, text, pieces })
    }

    /// Where an offset of the original text is shown; an offset that was cut away moves to
    /// the next piece (`forward`) or the end of the previous one.
    fn shown_offset(&self, original: usize, forward: bool) -> usize {
        let mut previous_end = 0;
        for &(orig_start, shown_start, len) in &self.pieces {
            if original < orig_start {
                return if forward { shown_start } else { previous_end };
            }
            if original <= orig_start + len {
                return shown_start + (original - orig_start);
            }
            previous_end = shown_start + len;
        }
        previous_end
    }

    /// The original offset of a shown offset (the `…` counts as the start of what it cut).
    fn original_offset(&self, shown: usize) -> usize {
        let mut result = 0;
        for &(orig_start, shown_start, len) in &self.pieces {
            if shown < shown_start {
                break;
            }
            result = orig_start + (shown - shown_start).min(len);
        }
        result
    }
}

/// The source map with some files replaced by their shown form, for one diagnostic.
struct Shown<'s> {
    sources: &'s SourceMap,
    files: Vec<ShownFile>,
}

impl Shown<'_> {
    fn file(&self, id: FileId) -> Option<&ShownFile> {
        self.files.iter().find(|file| file.id == id)
    }

    fn range(&self, span: Span, forward_end: bool) -> std::ops::Range<usize> {
        match self.file(span.file) {
            Some(file) => {
                let start = file.shown_offset(span.start as usize, true);
                let end = file.shown_offset(span.end as usize, forward_end);
                start..end.max(start)
            }
            None => span.range(),
        }
    }
}

impl<'a> Files<'a> for Shown<'_> {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        self.sources.name(id)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        match self.file(id) {
            Some(file) => Ok(file.text.as_str()),
            None => self.sources.source(id),
        }
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        match self.file(id) {
            // Cutting keeps every newline, so line numbers do not change.
            Some(file) => self
                .sources
                .line_index(id, file.original_offset(byte_index)),
            None => self.sources.line_index(id, byte_index),
        }
    }

    fn column_number(
        &'a self,
        id: FileId,
        _line_index: usize,
        byte_index: usize,
    ) -> Result<usize, FilesError> {
        let original = self
            .file(id)
            .map_or(byte_index, |file| file.original_offset(byte_index));
        let file = self.sources.get(id).ok_or(FilesError::FileMissing)?;
        Ok(file.line_col(original).1)
    }

    fn line_range(
        &'a self,
        id: FileId,
        line_index: usize,
    ) -> Result<std::ops::Range<usize>, FilesError> {
        match self.file(id) {
            Some(file) => line_range_in(&file.text, line_index),
            None => self.sources.line_range(id, line_index),
        }
    }
}

fn to_codespan(shown: &Shown, diagnostic: &Diagnostic) -> cr::Diagnostic<FileId> {
    let base = match diagnostic.severity {
        Severity::Error => cr::Diagnostic::error(),
        Severity::Warning => cr::Diagnostic::warning(),
    };
    let mut labels = Vec::new();
    if let Some((span, label)) = &diagnostic.primary {
        labels.push(
            cr::Label::primary(span.file, shown.range(*span, false)).with_message(label.clone()),
        );
    }
    for (span, label) in &diagnostic.secondary {
        labels.push(
            cr::Label::secondary(span.file, shown.range(*span, false)).with_message(label.clone()),
        );
    }
    let mut notes = Vec::new();
    if let Some(hint) = &diagnostic.hint {
        notes.push(format!("hint: {hint}"));
    }
    base.with_code(diagnostic.code.as_str())
        .with_message(diagnostic.message.clone())
        .with_labels(labels)
        .with_notes(notes)
}

/// The files of a diagnostic's labels, with their long labelled lines cut to a window.
fn shown<'s>(sources: &'s SourceMap, diagnostic: &Diagnostic) -> Shown<'s> {
    let spans: Vec<Span> = diagnostic
        .primary
        .iter()
        .chain(diagnostic.secondary.iter())
        .map(|(span, _)| *span)
        .collect();
    let mut files = Vec::new();
    for span in &spans {
        if files.iter().any(|file: &ShownFile| file.id == span.file) {
            continue;
        }
        let Some(source) = sources.get(span.file) else {
            continue;
        };
        let labels: Vec<std::ops::Range<usize>> = spans
            .iter()
            .filter(|other| other.file == span.file)
            .map(|other| other.range())
            .collect();
        if let Some(file) = ShownFile::new(span.file, &source.text, &labels) {
            files.push(file);
        }
    }
    Shown { sources, files }
}

/// Renders diagnostics as plain text: `error[CODE]: message` (as rustc does; the codes are
/// listed in `docs/errors.md`), `--> file:line:column`, the source
/// line with a caret, and the hint. A source line longer than [`MAX_SHOWN_LINE`] characters
/// is shown cut to the part around the caret; the line and column are the original ones.
pub fn render(sources: &SourceMap, diagnostics: &[Diagnostic]) -> String {
    render_with(sources, diagnostics, false)
}

/// As [`render`], with ANSI colours when `color` is true (for a terminal).
pub fn render_with(sources: &SourceMap, diagnostics: &[Diagnostic], color: bool) -> String {
    let config = term::Config::default();
    let mut out = String::new();
    for diagnostic in diagnostics {
        let shown = shown(sources, diagnostic);
        let emitted = if color {
            let mut buffer = term::termcolor::Buffer::ansi();
            term::emit_to_write_style(
                &mut buffer,
                &config,
                &shown,
                &to_codespan(&shown, diagnostic),
            )
            .map(|()| String::from_utf8_lossy(buffer.as_slice()).into_owned())
        } else {
            term::emit_into_string(&config, &shown, &to_codespan(&shown, diagnostic))
        };
        match emitted {
            Ok(text) => out.push_str(&text),
            Err(_) => {
                // A span that does not fit its file is a bug in zan, but the message itself
                // must still reach the user.
                out.push_str(&format!(
                    "error[{}]: {}\n",
                    diagnostic.code, diagnostic.message
                ));
            }
        }
    }
    out
}
