//! Safe output: every file zan writes (`batch --output`, `fmt`) goes through [`OutputFile`], and
//! every text printed to a terminal goes through [`escape_controls`].
//!
//! Writing a file takes the target path and the files the command reads; it returns a writer
//! and, on [`OutputFile::commit`], either the whole new file in place or an error with the
//! target untouched. What it does with each kind of target:
//!
//! - A symbolic link is followed to the file it names (the link is kept).
//! - A regular file is replaced whole: the text goes to a temporary file with a unique name,
//!   created exclusively in the target's directory with the target's permissions (and, where
//!   allowed, its owner), flushed, synced and renamed over the target. A reader sees the old file
//!   or the new one, never half of one. The temporary file is removed on any error and when the
//!   process is stopped by SIGINT, SIGTERM or SIGHUP.
//! - A new file gets the usual permissions (0666 less the umask).
//! - A FIFO or a device (`/dev/null`, `/dev/stdout`) is written in place: it is not replaced.
//! - Refused, with the target untouched: a directory; a read-only file (replacing it would widen
//!   its permissions); a file with more than one hard link (replacing it would break the link);
//!   a file that is one of the command's inputs, by any name (same device and inode).
//! - With [`OutputFile::unless_changed_from`], the target must still hold the given bytes just before the
//!   rename, so edits made while `fmt` ran are not lost.
//!
//! It knows nothing of what the bytes mean.

pub use crate::escape::{
    control_escape, escape_controls, escape_json_controls, may_need_json_escapes,
};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Temporary files not yet renamed: removed by the signal thread before the process stops.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Why a file could not be written. The target is untouched in every case.
#[derive(Debug)]
#[non_exhaustive]
pub enum WriteError {
    /// `zan batch q --input a.jsonl --output a.jsonl` (or a link or hard link to it).
    SameAsInput { target: String, input: String },
    /// `chmod a-w out.jsonl; zan batch q --input in.jsonl --output out.jsonl`
    ReadOnly { target: String },
    /// `ln rules/a.zan b.zan; zan fmt rules/`
    HardLinks { target: String, links: u64 },
    /// `--output rules/` (a directory).
    Directory { target: String },
    /// The file was edited while `zan fmt` was laying it out.
    Changed { target: String },
    /// Any failure of the system: no space, no permission to create in the directory, ...
    Io {
        target: String,
        action: &'static str,
        error: io::Error,
    },
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::SameAsInput { target, input } if target == input => write!(
                f,
                "cannot write `{target}`: it is the input file, and writing would destroy it\n  hint: write the output to another file"
            ),
            WriteError::SameAsInput { target, input } => write!(
                f,
                "cannot write `{target}`: it is the input file `{input}` under another name, and writing would destroy it\n  hint: write the output to another file"
            ),
            WriteError::ReadOnly { target } => write!(
                f,
                "cannot write `{target}`: the file is read-only; it was left as it is\n  hint: make it writable first (chmod u+w) if it should be replaced"
            ),
            WriteError::HardLinks { target, links } => write!(
                f,
                "cannot write `{target}`: the file has {links} hard links, and replacing it would break them; it was left as it is\n  hint: write to a copy, or remove the other links first"
            ),
            WriteError::Directory { target } => {
                write!(f, "cannot write `{target}`: it is a directory")
            }
            WriteError::Changed { target } => write!(
                f,
                "cannot write `{target}`: the file changed while zan was working on it; it was left as it is\n  hint: run the command again"
            ),
            WriteError::Io {
                target,
                action,
                error,
            } => write!(f, "cannot write `{target}`: {action}: {error}"),
        }
    }
}

impl std::error::Error for WriteError {}

/// A temporary file recorded in [`PENDING`]; forgotten there when the file is renamed or
/// dropped (dropping a `tempfile::NamedTempFile` removes it).
struct Pending(PathBuf);

impl Drop for Pending {
    fn drop(&mut self) {
        let mut pending = PENDING.lock().unwrap_or_else(|e| e.into_inner());
        pending.retain(|pending| pending != &self.0);
    }
}

enum Sink {
    /// A temporary file beside the target, renamed over it on commit.
    Replace {
        file: io::BufWriter<tempfile::NamedTempFile>,
        expect: Option<Vec<u8>>,
        pending: Pending,
    },
    /// A FIFO or device, written where it is.
    InPlace(io::BufWriter<std::fs::File>),
}

/// A file being written; nothing is visible at the target until [`OutputFile::commit`] (except
/// for FIFOs and devices, which are written as the bytes come).
pub struct OutputFile {
    sink: Sink,
    /// The path the bytes end up at, symbolic links followed.
    resolved: PathBuf,
    /// The path as the user wrote it, for messages.
    shown: String,
}

impl OutputFile {
    /// Opens `target` for writing, refusing it if it is one of `inputs` (by any name).
    pub fn create(target: &Path, inputs: &[&Path]) -> Result<OutputFile, WriteError> {
        let shown = target.display().to_string();
        let io_error = |action: &'static str| {
            let shown = shown.clone();
            move |error| WriteError::Io {
                target: shown,
                action,
                error,
            }
        };
        // The kernel follows the links here, also the ones that name no path (`/dev/stdout`
        // is a link to `/proc/self/fd/1`, which may be a pipe).
        let existing = match std::fs::metadata(target) {
            Ok(metadata) => Some(metadata),
            Err(error) if error.kind() == io::ErrorKind::NotFound => None,
            Err(error) => return Err(io_error("cannot look at the file")(error)),
        };
        if let Some(metadata) = &existing {
            let file_type = metadata.file_type();
            if file_type.is_dir() {
                return Err(WriteError::Directory { target: shown });
            }
            if !file_type.is_file() {
                // A FIFO or a device: write into it, never replace it.
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(target)
                    .map_err(io_error("cannot open"))?;
                return Ok(OutputFile {
                    sink: Sink::InPlace(io::BufWriter::new(file)),
                    resolved: target.to_path_buf(),
                    shown,
                });
            }
            for input in inputs {
                if std::fs::metadata(input).is_ok_and(|input| same_file(&input, metadata)) {
                    return Err(WriteError::SameAsInput {
                        target: shown,
                        input: input.display().to_string(),
                    });
                }
            }
            let links = hard_links(metadata);
            if links > 1 {
                return Err(WriteError::HardLinks {
                    target: shown,
                    links,
                });
            }
            // Mode bits first (they bind even root), then whether this user may write it.
            if metadata.permissions().readonly() {
                return Err(WriteError::ReadOnly { target: shown });
            }
            if let Err(error) = std::fs::OpenOptions::new().write(true).open(target) {
                return Err(if error.kind() == io::ErrorKind::PermissionDenied {
                    WriteError::ReadOnly { target: shown }
                } else {
                    io_error("cannot open")(error)
                });
            }
        }
        // A regular file, or none yet: it is replaced or created where the links lead.
        let resolved = follow_links(target).map_err(io_error("cannot follow the link"))?;
        let directory = match resolved.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = resolved
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let prefix = format!(".{name}.");
        install_signal_cleanup();
        let temporary = {
            // Created and recorded under the lock, so a signal cannot fall between the two.
            let mut pending = PENDING.lock().unwrap_or_else(|e| e.into_inner());
            let mut builder = tempfile::Builder::new();
            builder.prefix(&prefix).suffix(".zan-tmp");
            #[cfg(unix)]
            builder.permissions(new_file_permissions());
            let temporary = builder
                .tempfile_in(&directory)
                .map_err(io_error("cannot create a temporary file beside it"))?;
            pending.push(temporary.path().to_path_buf());
            temporary
        };
        let pending = Pending(temporary.path().to_path_buf());
        let file = OutputFile {
            sink: Sink::Replace {
                file: io::BufWriter::new(temporary),
                expect: None,
                pending,
            },
            resolved,
            shown,
        };
        if let Some(metadata) = &existing {
            file.keep_owner_and_mode(metadata)?;
        }
        Ok(file)
    }

    /// Makes [`OutputFile::commit`] refuse to replace the target unless it still holds
    /// `original` (what the command read from it).
    pub fn unless_changed_from(mut self, original: &[u8]) -> OutputFile {
        if let Sink::Replace { expect, .. } = &mut self.sink {
            *expect = Some(original.to_vec());
        }
        self
    }

    /// The path as the user wrote it.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    fn keep_owner_and_mode(&self, metadata: &std::fs::Metadata) -> Result<(), WriteError> {
        let Sink::Replace { file, .. } = &self.sink else {
            return Ok(());
        };
        let temporary = file.get_ref().as_file();
        keep_owner(temporary, metadata);
        temporary
            .set_permissions(metadata.permissions())
            .map_err(|error| WriteError::Io {
                target: self.shown.clone(),
                action: "cannot give the new file the old one's permissions",
                error,
            })
    }

    /// Writes `bytes` and commits: the whole file, or an error and the target untouched.
    pub fn write_and_commit(mut self, bytes: &[u8]) -> Result<(), WriteError> {
        if let Err(error) = self.write_all(bytes) {
            return Err(WriteError::Io {
                target: self.shown,
                action: "cannot write",
                error,
            });
        }
        self.commit()
    }

    /// Finishes the file: flushes and syncs it and, for a regular file, renames it over the
    /// target. On error the temporary file is removed and the target is untouched.
    pub fn commit(self) -> Result<(), WriteError> {
        let OutputFile {
            sink,
            resolved,
            shown,
        } = self;
        let io_error = |action: &'static str| {
            let shown = shown.clone();
            move |error| WriteError::Io {
                target: shown,
                action,
                error,
            }
        };
        match sink {
            Sink::InPlace(mut file) => file.flush().map_err(io_error("cannot write")),
            Sink::Replace {
                file,
                expect,
                pending: _registered,
            } => {
                let temporary = file
                    .into_inner()
                    .map_err(|error| io_error("cannot write")(error.into_error()))?;
                temporary
                    .as_file()
                    .sync_all()
                    .map_err(io_error("cannot write"))?;
                let path = temporary.path().to_path_buf();
                // Holding the lock, the rename and forgetting the temporary file are one step
                // as far as the signal thread can see.
                let mut pending = PENDING.lock().unwrap_or_else(|e| e.into_inner());
                if let Some(original) = expect
                    && !holds(&resolved, &original)
                {
                    drop(temporary);
                    return Err(WriteError::Changed { target: shown });
                }
                temporary.persist(&resolved).map_err(|error| {
                    io_error("cannot rename the new file into place")(error.error)
                })?;
                pending.retain(|pending| pending != &path);
                drop(pending);
                if let Some(directory) = resolved.parent().filter(|p| !p.as_os_str().is_empty()) {
                    // The rename itself is durable only once the directory is synced.
                    let _ = std::fs::File::open(directory).and_then(|d| d.sync_all());
                }
                Ok(())
            }
        }
    }
}

impl Write for OutputFile {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        match &mut self.sink {
            Sink::Replace { file, .. } => file.write(bytes),
            Sink::InPlace(file) => file.write(bytes),
        }
    }

    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        match &mut self.sink {
            Sink::Replace { file, .. } => file.write_all(bytes),
            Sink::InPlace(file) => file.write_all(bytes),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.sink {
            Sink::Replace { file, .. } => file.flush(),
            Sink::InPlace(file) => file.flush(),
        }
    }
}

/// Writes `bytes` to `target` through an [`OutputFile`]: all of them, or nothing.
pub fn write_file(target: &Path, bytes: &[u8], inputs: &[&Path]) -> Result<(), WriteError> {
    OutputFile::create(target, inputs)?.write_and_commit(bytes)
}

/// Whether the file at `path` holds exactly `original`.
fn holds(path: &Path, original: &[u8]) -> bool {
    use std::io::Read;
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let mut now = Vec::with_capacity(original.len());
    file.take(original.len() as u64 + 1)
        .read_to_end(&mut now)
        .is_ok()
        && now == original
}

/// Follows symbolic links to the path they finally name (which need not exist yet).
fn follow_links(path: &Path) -> io::Result<PathBuf> {
    let mut path = path.to_path_buf();
    // The kernel's own limit on links in one path.
    for _ in 0..40 {
        match std::fs::symlink_metadata(&path) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                let link = std::fs::read_link(&path)?;
                path = match path.parent() {
                    Some(parent) if link.is_relative() => parent.join(link),
                    _ => link,
                };
            }
            _ => return Ok(path),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    false
}

#[cfg(unix)]
fn hard_links(metadata: &std::fs::Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    metadata.nlink()
}

#[cfg(not(unix))]
fn hard_links(_: &std::fs::Metadata) -> u64 {
    1
}

/// Gives the new file the old one's owner and group where this user may; otherwise the new
/// file belongs to whoever runs zan, as with any editor that saves by renaming.
#[cfg(unix)]
fn keep_owner(file: &std::fs::File, metadata: &std::fs::Metadata) {
    use std::os::unix::fs::MetadataExt;
    if let Ok(now) = file.metadata()
        && (now.uid() != metadata.uid() || now.gid() != metadata.gid())
    {
        let _ = std::os::unix::fs::fchown(file, Some(metadata.uid()), Some(metadata.gid()))
            .or_else(|_| std::os::unix::fs::fchown(file, None, Some(metadata.gid())));
    }
}

#[cfg(not(unix))]
fn keep_owner(_: &std::fs::File, _: &std::fs::Metadata) {}

#[cfg(unix)]
fn new_file_permissions() -> std::fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    // The umask is applied at creation, as for any new file.
    std::fs::Permissions::from_mode(0o666)
}

/// Starts, once, the thread that removes unfinished temporary files when the process is told
/// to stop, then stops it the way the signal would have.
#[cfg(unix)]
fn install_signal_cleanup() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
            return;
        };
        let _ = std::thread::Builder::new()
            .name("zan-signals".into())
            .spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    // Kept locked: no new temporary file can be created after this.
                    let pending = PENDING.lock().unwrap_or_else(|e| e.into_inner());
                    for path in pending.iter() {
                        let _ = std::fs::remove_file(path);
                    }
                    let _ = signal_hook::low_level::emulate_default_handler(signal);
                    std::process::exit(128 + signal);
                }
            });
    });
}

#[cfg(not(unix))]
fn install_signal_cleanup() {}

/// How printing a command's output to the standard streams went.
#[derive(Debug, PartialEq, Eq)]
pub enum Printed {
    /// Everything was written.
    All,
    /// The reader of standard output went away (`zan ... | head -1`): the rest is dropped, as
    /// other command-line tools do, and nothing more is said.
    ReaderGone,
    /// A write failed (a full disk, `/dev/full`): the exit must not claim success.
    Failed,
}

/// What standard output holds, for the way its control characters are escaped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Text or Markdown: `\u{1b}`, as [`escape_controls`] writes it.
    Text,
    /// JSON: serde_json already escapes U+0000..U+001F; the C1 controls, DEL and the
    /// bidirectional overrides it leaves raw (they can only stand inside strings) become JSON
    /// escapes (`\u009b`), so every line still parses to the same values.
    Json,
}

/// Prints `stdout` then `stderr`, each with its control characters escaped, and checks every
/// write. When standard output cannot be written, the text meant for standard error (which may
/// be a summary such as "3000 answered") is replaced by the error.
pub fn print(
    stdout: &str,
    shape: Shape,
    stderr: &str,
    colour_out: bool,
    colour_err: bool,
) -> Printed {
    let out = match shape {
        Shape::Text => escape_controls(stdout, colour_out),
        Shape::Json => escape_json_controls(stdout),
    };
    let written = {
        let mut lock = io::stdout().lock();
        lock.write_all(out.as_bytes()).and_then(|()| lock.flush())
    };
    match written {
        Ok(()) => {}
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => return Printed::ReaderGone,
        Err(error) => {
            let _ = writeln!(
                io::stderr(),
                "error: cannot write to standard output: {error}"
            );
            return Printed::Failed;
        }
    }
    let err = escape_controls(stderr, colour_err);
    let mut lock = io::stderr().lock();
    match lock.write_all(err.as_bytes()).and_then(|()| lock.flush()) {
        Ok(()) => Printed::All,
        Err(_) => Printed::Failed,
    }
}
