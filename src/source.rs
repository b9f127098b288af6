//! Loaded source files: their names, their text, and line/column look-up.
//!
//! Reading a file checks that it is UTF-8 (a byte-order mark is dropped and CRLF line endings
//! are accepted as they are); everything downstream works on `&str` and byte spans.

use crate::code::Code;
use crate::span::{FileId, Span};

/// One source file.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
    /// Byte offset of the start of each line, found the first time a line or column is asked
    /// for (most runs show no source text, and the shipped rules are loaded without reading it).
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> SourceFile {
        let mut text: String = text.into();
        if text.starts_with('\u{feff}') {
            // The byte-order mark carries no meaning in UTF-8; spans count from after it.
            text.drain(..'\u{feff}'.len_utf8());
        }
        SourceFile {
            name: name.into(),
            text,
            line_starts: std::sync::OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(idx, _)| idx + 1))
                .collect()
        })
    }

    /// The byte range of line `line_index` (zero-based), its newline included; `None` past
    /// the last line.
    pub fn line_range(&self, line_index: usize) -> Option<std::ops::Range<usize>> {
        let line_starts = self.line_starts();
        let start = *line_starts.get(line_index)?;
        let end = line_starts
            .get(line_index + 1)
            .copied()
            .unwrap_or(self.text.len());
        Some(start..end)
    }

    /// One-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line_starts = self.line_starts();
        let line_idx = match line_starts.binary_search(&offset) {
            Ok(idx) => idx,
            Err(idx) => idx.saturating_sub(1),
        };
        let line_start = line_starts.get(line_idx).copied().unwrap_or(0);
        let column = self
            .text
            .get(line_start..offset)
            .map_or(offset - line_start, |prefix| prefix.chars().count());
        (line_idx + 1, column + 1)
    }
}

/// What a file holds: it decides the size limit, whether the file must be a regular file, and
/// what the messages suggest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Contents {
    /// Rules: a regular file of at most [`MAX_FILE_BYTES`]. A FIFO, device or socket is
    /// refused without waiting on it.
    Rules,
    /// Scenarios: as rules.
    Scenarios,
    /// A JSON facts file (`--facts`) of at most [`MAX_FILE_BYTES`]; a FIFO is fine
    /// (`--facts <(...)`).
    Facts,
    /// Any other input, such as batch lines, with the limit the caller gives.
    Lines,
}

impl Contents {
    fn regular_only(self) -> bool {
        matches!(self, Contents::Rules | Contents::Scenarios)
    }
}

fn open(path: &std::path::Path, contents: Contents) -> Result<std::fs::File, ReadError> {
    let shown = || path.display().to_string();
    let io = |error| ReadError::Io {
        path: shown(),
        error,
    };
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    if contents.regular_only() {
        // Opening a FIFO for reading waits for a writer; with O_NONBLOCK it returns at once and
        // the check below refuses it. Reading a regular file is the same either way.
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(io)?;
    if contents.regular_only() {
        let file_type = file.metadata().map_err(io)?.file_type();
        if !file_type.is_file() {
            return Err(ReadError::NotRegular {
                path: shown(),
                kind: describe_file_type(file_type),
            });
        }
    }
    Ok(file)
}

fn describe_file_type(file_type: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    if file_type.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    }
}

fn read_limited(
    path: &std::path::Path,
    limit: u64,
    contents: Contents,
) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let file = open(path, contents)?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|error| ReadError::Io {
            path: path.display().to_string(),
            error,
        })?;
    let size = bytes.len() as u64;
    if size > limit {
        return Err(ReadError::TooLarge {
            path: path.display().to_string(),
            size,
            limit,
            contents,
        });
    }
    Ok(bytes)
}

/// Reads at most `limit` bytes of a file. The limit is enforced while reading, so a device
/// that never ends (`/dev/zero`) is refused instead of filling memory.
pub fn read_bytes(path: &std::path::Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    read_limited(path, limit, Contents::Lines)
}

/// Reads a UTF-8 text file of at most [`MAX_FILE_BYTES`]. The limit is enforced while reading,
/// so a device that never ends (`/dev/zero`) is refused too; invalid UTF-8 is reported with its
/// line, column and byte; for rules and scenarios, anything but a regular file is refused.
pub fn read_text(path: &std::path::Path, contents: Contents) -> Result<String, ReadError> {
    let shown = path.display().to_string();
    let bytes = read_limited(path, MAX_FILE_BYTES, contents)?;
    String::from_utf8(bytes).map_err(|error| {
        let offset = error.utf8_error().valid_up_to();
        let bytes = error.as_bytes();
        let valid = std::str::from_utf8(bytes.get(..offset).unwrap_or_default()).unwrap_or("");
        let line_start = valid.rfind('\n').map_or(0, |newline| newline + 1);
        ReadError::NotUtf8 {
            path: shown.clone(),
            offset,
            line: valid.matches('\n').count() + 1,
            column: valid
                .get(line_start..)
                .map_or(0, |line| line.chars().count())
                + 1,
            byte: bytes.get(offset).copied().unwrap_or(0),
        }
    })
}

/// Every file loaded in one run, addressed by `FileId`.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

/// Why a file could not be read as source text.
#[derive(Debug)]
#[non_exhaustive]
pub enum ReadError {
    Io {
        path: String,
        error: std::io::Error,
    },
    /// `line` and `column` (one-based, in characters) are those of the first byte that is not
    /// UTF-8, counted in the valid text before it.
    NotUtf8 {
        path: String,
        offset: usize,
        line: usize,
        column: usize,
        byte: u8,
    },
    /// More than `limit` bytes; `size` is how many were read before giving up.
    TooLarge {
        path: String,
        size: u64,
        limit: u64,
        contents: Contents,
    },
    /// A rules or scenario file that is a FIFO, a device or a socket (`mkfifo rules/x.zan`).
    NotRegular {
        path: String,
        kind: &'static str,
    },
    /// `zan check empty-dir/`: the paths given hold no `.zan` file.
    NoRules {
        paths: String,
    },
}

/// The largest source file zan reads, in bytes.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

impl SourceMap {
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(SourceFile::new(name, text));
        id
    }

    /// Reads a rules file from disk, refusing files that are not UTF-8, too large or not
    /// regular files.
    pub fn read(&mut self, path: &std::path::Path) -> Result<FileId, ReadError> {
        self.read_as(path, Contents::Rules)
    }

    /// Reads a rules or scenario file from disk, as [`SourceMap::read`] does.
    pub fn read_as(
        &mut self,
        path: &std::path::Path,
        contents: Contents,
    ) -> Result<FileId, ReadError> {
        let text = read_text(path, contents)?;
        Ok(self.add(path.display().to_string(), text))
    }

    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(idx, file)| (FileId(idx as u32), file))
    }

    /// The text a span covers, or "" for a span that does not fit its file.
    pub fn snippet(&self, span: Span) -> &str {
        self.get(span.file)
            .and_then(|file| file.text.get(span.range()))
            .unwrap_or("")
    }

    /// `file:line:column` of the start of a span.
    pub fn location(&self, span: Span) -> String {
        match self.get(span.file) {
            Some(file) => {
                let (line, column) = file.line_col(span.start as usize);
                format!("{}:{line}:{column}", file.name)
            }
            None => "<unknown>".to_string(),
        }
    }
}

impl ReadError {
    /// The problem's stable code (`E09..`).
    pub fn code(&self) -> Code {
        match self {
            ReadError::Io { .. } => Code::CannotRead,
            ReadError::NotUtf8 { .. } => Code::FileNotUtf8,
            ReadError::TooLarge { .. } => Code::FileTooLarge,
            ReadError::NotRegular { .. } => Code::NotRegularFile,
            ReadError::NoRules { .. } => Code::NoRules,
        }
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io { path, error } => write!(f, "cannot read `{path}`: {error}"),
            ReadError::NotUtf8 {
                path,
                offset,
                line,
                column,
                byte,
            } => write!(
                f,
                "{path}:{line}:{column}: expected UTF-8 text, found the byte 0x{byte:02X} (byte offset {offset}), which is not UTF-8\n  hint: save the file as UTF-8 (in most editors: \"Save with encoding\" > UTF-8)"
            ),
            ReadError::TooLarge {
                path,
                size,
                limit,
                contents: Contents::Rules,
            } => write!(
                f,
                "`{path}` is too large: expected at most {limit} bytes (8 MiB), found {size} bytes or more\n  hint: split the rules into one file per area or act"
            ),
            ReadError::TooLarge {
                path,
                size,
                limit,
                contents: Contents::Scenarios,
            } => write!(
                f,
                "`{path}` is too large: expected at most {limit} bytes (8 MiB), found {size} bytes or more\n  hint: split the scenarios into several files (`zan run` takes directories)"
            ),
            ReadError::TooLarge {
                path,
                size,
                limit,
                contents: Contents::Facts,
            } => write!(
                f,
                "`{path}` is too large for a facts file: expected at most {limit} bytes (8 MiB), found {size} bytes or more\n  hint: a facts file holds the facts of one case; to answer many cases, put one case per line in a JSON Lines file for `zan batch`"
            ),
            ReadError::TooLarge {
                path,
                size,
                limit,
                contents: Contents::Lines,
            } => write!(
                f,
                "`{path}` is too large: expected at most {limit} bytes, found {size} bytes or more"
            ),
            ReadError::NotRegular { path, kind } => write!(
                f,
                "cannot read `{path}`: it is {kind}, not a regular file; rules and scenarios are read from regular files only\n  hint: remove it or rename it so that it does not end in `.zan`"
            ),
            ReadError::NoRules { paths } => write!(
                f,
                "no rules: expected `.zan` files in {paths}, found none\n  hint: name a file or directory that holds rules (`*.zan`); without --rules, zan uses the rules shipped in the binary"
            ),
        }
    }
}
