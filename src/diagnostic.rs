//! Diagnostics: what the parser and the checker report, as data, and the one renderer that
//! prints them with the source line and a caret.
//!
//! Stages return `Diagnostic` values; only `render` turns them into text, using
//! `codespan-reporting` for the layout.

use crate::source::SourceMap;
use crate::span::{FileId, Span};
use codespan_reporting::diagnostic as cr;
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// One problem found in the input: what is wrong, where, and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub primary: Option<(Span, String)>,
    pub secondary: Vec<(Span, String)>,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            primary: None,
            secondary: Vec::new(),
            hint: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
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
        let text = &file.text;
        let mut start = 0;
        for _ in 0..line_index {
            match text[start..].find('\n') {
                Some(newline) => start += newline + 1,
                None => {
                    return Err(FilesError::LineTooLarge {
                        given: line_index,
                        max: line_index,
                    });
                }
            }
        }
        let end = text[start..]
            .find('\n')
            .map_or(text.len(), |newline| start + newline + 1);
        Ok(start..end)
    }
}

fn to_codespan(diagnostic: &Diagnostic) -> cr::Diagnostic<FileId> {
    let base = match diagnostic.severity {
        Severity::Error => cr::Diagnostic::error(),
        Severity::Warning => cr::Diagnostic::warning(),
    };
    let mut labels = Vec::new();
    if let Some((span, label)) = &diagnostic.primary {
        labels.push(cr::Label::primary(span.file, span.range()).with_message(label.clone()));
    }
    for (span, label) in &diagnostic.secondary {
        labels.push(cr::Label::secondary(span.file, span.range()).with_message(label.clone()));
    }
    let mut notes = Vec::new();
    if let Some(hint) = &diagnostic.hint {
        notes.push(format!("hint: {hint}"));
    }
    base.with_message(diagnostic.message.clone())
        .with_labels(labels)
        .with_notes(notes)
}

/// Renders diagnostics as plain text: `error: message`, `--> file:line:column`, the source
/// line with a caret, and the hint.
pub fn render(sources: &SourceMap, diagnostics: &[Diagnostic]) -> String {
    let config = term::Config::default();
    let mut out = String::new();
    for diagnostic in diagnostics {
        match term::emit_into_string(&config, sources, &to_codespan(diagnostic)) {
            Ok(text) => out.push_str(&text),
            Err(_) => {
                // A span that does not fit its file is a bug in zan, but the message itself
                // must still reach the user.
                out.push_str(&format!("error: {}\n", diagnostic.message));
            }
        }
    }
    out
}
