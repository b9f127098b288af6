//! The batch engine: one question asked of every line of a JSON Lines stream, answered in
//! parallel and written in input order.
//!
//! It takes a checked rulebase, a question, a reader and a writer. The reader is split into
//! blocks of whole lines on raw bytes; workers answer blocks, each with its own evaluator
//! workspace and output buffer reused from line to line; the calling thread reads ahead and
//! writes finished blocks in order. At most [`BLOCKS_IN_FLIGHT_PER_WORKER`] blocks per worker
//! exist at once, so memory does not grow with the input's length, and the output is the same
//! bytes whatever the number of workers.
//!
//! Each line is checked as UTF-8 on its own, then read as facts (`as_of`, `given`; other keys
//! are carried to the answer line). A line that cannot be answered gets an error object naming
//! its line number and the batch goes on. This module decides nothing about the law and prints
//! nothing itself: the caller chooses where the output goes and what to say about the summary.

use crate::code::Code;
use crate::eval::{self, Detail, Facts, Status, Workspace};
use crate::facts::{self, OtherKeys};
use crate::render::{self, text::Explain};
use crate::rulebase::{ItemId, Rulebase};
use chrono::NaiveDate;
use std::io::{BufRead, Write};
use std::path::Path;

mod fastline;

/// The longest line read, in bytes (8 MiB, as for a facts file); a longer line gets an error
/// object and is skipped without being kept in memory.
pub const MAX_LINE_BYTES: usize = 8 << 20;
/// Lines gathered into one block of work (fewer when the lines are long).
const BLOCK_LINES: usize = 512;
/// Bytes gathered into one block of work, at least one line.
const BLOCK_BYTES: usize = 256 << 10;
/// Blocks read ahead or waiting to be written, per worker.
pub const BLOCKS_IN_FLIGHT_PER_WORKER: usize = 4;

/// How each line is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// One JSON object per line: the answer (with the trace unless answer-only), or an error.
    Json,
    /// Comma-separated values with a header: line, the carried keys, status, answer, deciding
    /// rule and error.
    Csv,
}

/// How much of each answer to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Content {
    /// The full or brief trace, as `zan ask --format json` prints it.
    Trace(Explain),
    /// No trace and no citations: the answer, its status, what is missing and the deciding rule.
    AnswerOnly,
}

/// What every line of a batch is asked, and how the answers are written.
#[derive(Clone, Debug)]
pub struct Job<'r> {
    pub rulebase: &'r Rulebase,
    pub question: ItemId,
    /// The date for lines without `as_of`.
    pub default_date: Option<NaiveDate>,
    pub content: Content,
    pub format: Format,
    /// Days stated for acts (`--assume`), the same for every line.
    pub assumptions: &'r [crate::eval::Assumption],
    /// `--reading`: the readings of contested points every line is answered under.
    pub readings: &'r [crate::rulebase::ReadingRef],
}

/// How the lines of a batch came out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Lines read that were not blank.
    pub lines: usize,
    /// Answers by status, in the order of [`STATUSES`].
    pub by_status: [usize; 6],
    /// Lines that could not be answered (each has an error object).
    pub rejected: usize,
}

/// The statuses an answer can have, in the order the summary counts them.
pub const STATUSES: [Status; 6] = [
    Status::Answered,
    Status::Unknown,
    Status::NeedsJudgment,
    Status::NotCovered,
    Status::Conflict,
    Status::Contested,
];

impl Summary {
    fn add(&mut self, other: &Summary) {
        self.lines += other.lines;
        self.rejected += other.rejected;
        for (total, count) in self.by_status.iter_mut().zip(other.by_status) {
            *total += count;
        }
    }

    fn count(&mut self, status: Status) {
        if let Some(idx) = STATUSES.iter().position(|s| *s == status) {
            self.by_status[idx] += 1;
        }
    }

    /// Lines answered, whatever their status.
    pub fn evaluated(&self) -> usize {
        self.by_status.iter().sum()
    }

    /// `6 line(s): 2 answered, 0 unknown, 0 needs_judgment, 0 not_covered, 0 conflict, 0 contested, 4 error(s)`
    pub fn describe(&self) -> String {
        let statuses: Vec<String> = STATUSES
            .iter()
            .zip(self.by_status)
            .map(|(status, count)| format!("{count} {}", status.as_str()))
            .collect();
        format!(
            "{} line(s): {}, {} error(s)",
            self.lines,
            statuses.join(", "),
            self.rejected
        )
    }
}

/// Why a batch stopped before its end.
#[derive(Debug)]
#[non_exhaustive]
pub enum BatchError {
    /// The input could not be read.
    Read(std::io::Error),
    /// The output could not be written.
    Write(std::io::Error),
}

impl std::fmt::Display for BatchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BatchError::Read(error) => write!(f, "cannot read the input: {error}"),
            BatchError::Write(error) => write!(f, "cannot write the answers: {error}"),
        }
    }
}

/// One line as read: its number and where its bytes are in the block, or that it was too long.
#[derive(Clone, Debug)]
enum RawLine {
    Text {
        number: usize,
        range: std::ops::Range<usize>,
    },
    TooLong {
        number: usize,
    },
}

/// Whole lines read together and answered together.
#[derive(Debug, Default)]
struct Block {
    seq: u64,
    bytes: Vec<u8>,
    lines: Vec<RawLine>,
}

/// A block answered: its output bytes and its counts.
struct Done {
    seq: u64,
    output: Vec<u8>,
    summary: Summary,
}

/// Reads lines on raw bytes, at most [`MAX_LINE_BYTES`] kept per line.
struct LineReader<R> {
    input: R,
    number: usize,
    at_end: bool,
}

impl<R: BufRead> LineReader<R> {
    /// Appends the next line (without its `\n`) to `bytes`; `None` at the end of the input,
    /// `Some(false)` when the line was too long and was skipped.
    fn next_into(&mut self, bytes: &mut Vec<u8>) -> std::io::Result<Option<bool>> {
        if self.at_end {
            return Ok(None);
        }
        let start = bytes.len();
        let mut too_long = false;
        let mut read_any = false;
        loop {
            let available = match self.input.fill_buf() {
                Ok(available) => available,
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(error) => return Err(error),
            };
            if available.is_empty() {
                self.at_end = true;
                if !read_any {
                    return Ok(None);
                }
                break;
            }
            read_any = true;
            let (chunk, found) = match memchr::memchr(b'\n', available) {
                Some(idx) => (&available[..idx], Some(idx)),
                None => (available, None),
            };
            if !too_long {
                if bytes.len() - start + chunk.len() > MAX_LINE_BYTES {
                    too_long = true;
                    bytes.truncate(start);
                } else {
                    bytes.extend_from_slice(chunk);
                }
            }
            match found {
                Some(idx) => {
                    self.input.consume(idx + 1);
                    break;
                }
                None => {
                    let n = available.len();
                    self.input.consume(n);
                }
            }
        }
        self.number += 1;
        Ok(Some(!too_long))
    }

    /// The next block of lines, or `None` at the end of the input.
    fn next_block(&mut self, seq: u64, mut block: Block) -> std::io::Result<Option<Block>> {
        block.seq = seq;
        block.bytes.clear();
        block.lines.clear();
        while block.lines.len() < BLOCK_LINES && block.bytes.len() < BLOCK_BYTES {
            let start = block.bytes.len();
            match self.next_into(&mut block.bytes)? {
                None => break,
                Some(true) => block.lines.push(RawLine::Text {
                    number: self.number,
                    range: start..block.bytes.len(),
                }),
                Some(false) => block.lines.push(RawLine::TooLong {
                    number: self.number,
                }),
            }
        }
        Ok((!block.lines.is_empty()).then_some(block))
    }
}

/// The number of workers to use: every core, at most 16.
pub fn default_workers() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(16)
}

/// Answers every line of `input` and writes the answers to `output` in input order, with
/// `workers` threads (at least one). `progress` is told how many bytes were read.
pub fn run<R: BufRead, W: Write>(
    job: &Job<'_>,
    input: R,
    output: &mut W,
    workers: usize,
    progress: Option<&indicatif::ProgressBar>,
) -> Result<Summary, BatchError> {
    let workers = workers.max(1);
    let mut reader = LineReader {
        input,
        number: 0,
        at_end: false,
    };
    let first = reader
        .next_block(0, Block::default())
        .map_err(BatchError::Read)?;
    let columns = match (&job.format, &first) {
        (Format::Csv, Some(block)) => csv_columns(block),
        _ => Vec::new(),
    };
    let writer = LineWriter::new(job, columns);
    if job.format == Format::Csv {
        let mut header = Vec::new();
        writer.csv_header(&mut header);
        output.write_all(&header).map_err(BatchError::Write)?;
    }
    let Some(first) = first else {
        return Ok(Summary::default());
    };
    let limit = workers * BLOCKS_IN_FLIGHT_PER_WORKER;
    let (work_tx, work_rx) = std::sync::mpsc::sync_channel::<Block>(limit);
    let work_rx = std::sync::Mutex::new(work_rx);
    let (done_tx, done_rx) = std::sync::mpsc::channel::<(Done, Block)>();
    let mut summary = Summary::default();
    std::thread::scope(|scope| -> Result<(), BatchError> {
        let mut started = 0;
        for _ in 0..workers {
            let done_tx = done_tx.clone();
            let work_rx = &work_rx;
            let writer = &writer;
            let spawned = std::thread::Builder::new()
                .name("zan-batch".to_string())
                .stack_size(eval::EVAL_STACK_BYTES)
                .spawn_scoped(scope, move || {
                    let mut answerer = Answerer::new(writer);
                    loop {
                        let block = match work_rx.lock() {
                            Ok(receiver) => receiver.recv(),
                            Err(_) => return,
                        };
                        let Ok(block) = block else { return };
                        let done = answerer.block(&block);
                        if done_tx.send((done, block)).is_err() {
                            return;
                        }
                    }
                });
            if spawned.is_ok() {
                started += 1;
            }
        }
        drop(done_tx);
        if started == 0 {
            // No thread could start (so no larger stack either): answer here, block by block.
            let mut answerer = Answerer::new(&writer);
            let mut next = Some(first);
            let mut seq = 0;
            while let Some(block) = next {
                if let Some(bar) = progress {
                    bar.inc(block.bytes.len() as u64 + block.lines.len() as u64);
                }
                let done = answerer.block(&block);
                output.write_all(&done.output).map_err(BatchError::Write)?;
                summary.add(&done.summary);
                seq += 1;
                next = reader.next_block(seq, block).map_err(BatchError::Read)?;
            }
            return Ok(());
        }
        // Read ahead while fewer than `limit` blocks are out; write finished blocks in order.
        let mut in_flight = 0usize;
        let mut next_seq = 1u64;
        let mut next_to_write = 0u64;
        let mut waiting: std::collections::BTreeMap<u64, Done> = Default::default();
        let mut spare: Vec<Block> = Vec::new();
        let mut pending = Some(first);
        loop {
            while in_flight < limit {
                let block = match pending.take() {
                    Some(block) => Some(block),
                    None if reader.at_end => None,
                    None => reader
                        .next_block(next_seq, spare.pop().unwrap_or_default())
                        .map_err(BatchError::Read)
                        .inspect(|block| {
                            if block.is_some() {
                                next_seq += 1;
                            }
                        })?,
                };
                let Some(block) = block else { break };
                if let Some(bar) = progress {
                    bar.inc(block.bytes.len() as u64 + block.lines.len() as u64);
                }
                if work_tx.send(block).is_err() {
                    break;
                }
                in_flight += 1;
            }
            if in_flight == 0 {
                break;
            }
            let Ok((done, block)) = done_rx.recv() else {
                break;
            };
            spare.push(block);
            waiting.insert(done.seq, done);
            while let Some(done) = waiting.remove(&next_to_write) {
                output.write_all(&done.output).map_err(BatchError::Write)?;
                summary.add(&done.summary);
                next_to_write += 1;
                in_flight -= 1;
            }
        }
        drop(work_tx);
        Ok(())
    })?;
    output.flush().map_err(BatchError::Write)?;
    Ok(summary)
}

/// The keys of the first line that are neither `as_of` nor `given`: the CSV columns a batch
/// carries from its input.
fn csv_columns(block: &Block) -> Vec<String> {
    for line in &block.lines {
        let RawLine::Text { range, .. } = line else {
            return Vec::new();
        };
        let Some(text) = std::str::from_utf8(&block.bytes[range.clone()])
            .ok()
            .map(|t| t.strip_prefix('\u{feff}').unwrap_or(t))
        else {
            return Vec::new();
        };
        if text.trim().is_empty() {
            continue;
        }
        return match serde_json::from_str::<serde_json::Value>(text) {
            Ok(serde_json::Value::Object(object)) => object
                .keys()
                .filter(|key| *key != "as_of" && *key != "given")
                .cloned()
                .collect(),
            _ => Vec::new(),
        };
    }
    Vec::new()
}

/// The keys an answer line already has; a carried key may not take one of them.
const ANSWER_KEYS: [&str; 16] = [
    "line",
    "question",
    "as_of",
    "status",
    "answer",
    "decision",
    "decided_by",
    "trace",
    "missing",
    "deciding_citations",
    "citations",
    "notes",
    "branches",
    "readings",
    "receipt",
    "error",
];

/// Writes answer and error lines; shared by the workers, read only.
struct LineWriter<'j, 'r> {
    job: &'j Job<'r>,
    /// CSV only: the carried columns.
    columns: Vec<String>,
    answers: render::json::AnswerWriter<'r>,
}

impl<'j, 'r> LineWriter<'j, 'r> {
    fn new(job: &'j Job<'r>, columns: Vec<String>) -> Self {
        LineWriter {
            job,
            columns,
            answers: render::json::AnswerWriter::new(job.rulebase),
        }
    }

    fn csv_header(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"line");
        for column in &self.columns {
            out.push(b',');
            csv_cell(out, column);
        }
        out.extend_from_slice(b",status,answer,decided_by,error\n");
    }

    /// An error line: in JSON `{"line", carried keys, "error", "code"}`, with the problem's
    /// stable code (`docs/errors.md`); in CSV the message in the `error` column.
    fn error(
        &self,
        out: &mut Vec<u8>,
        number: usize,
        others: &OtherKeys,
        code: Code,
        message: &str,
    ) {
        match self.job.format {
            Format::Json => {
                out.extend_from_slice(b"{\"line\":");
                out.extend_from_slice(number.to_string().as_bytes());
                write_others(out, others);
                // The error object of the JSON contract: the problem's stable code
                // (docs/errors.md) and the message.
                out.extend_from_slice(b",\"error\":{\"code\":");
                json_string(out, code.as_str());
                out.extend_from_slice(b",\"message\":");
                json_string(out, message);
                out.extend_from_slice(b"}}\n");
            }
            Format::Csv => {
                self.csv_start(out, number, others);
                out.extend_from_slice(b"error,,,");
                csv_cell(out, message);
                out.push(b'\n');
            }
        }
    }

    fn csv_start(&self, out: &mut Vec<u8>, number: usize, others: &OtherKeys) {
        out.extend_from_slice(number.to_string().as_bytes());
        out.push(b',');
        for column in &self.columns {
            if let Some((_, value)) = others.iter().find(|(key, _)| key == column) {
                match value {
                    serde_json::Value::String(text) => csv_cell(out, text),
                    other @ (serde_json::Value::Null
                    | serde_json::Value::Bool(_)
                    | serde_json::Value::Number(_)
                    | serde_json::Value::Array(_)
                    | serde_json::Value::Object(_)) => csv_cell(out, &other.to_string()),
                }
            }
            out.push(b',');
        }
    }

    fn answer(&self, out: &mut Vec<u8>, number: usize, others: &OtherKeys, answer: &eval::Answer) {
        let rb = self.job.rulebase;
        match self.job.format {
            Format::Csv => {
                self.csv_start(out, number, others);
                out.extend_from_slice(answer.status.as_str().as_bytes());
                out.push(b',');
                if let Some(value) = &answer.value {
                    match render::json::value(rb, rb.item(answer.question).ty, value) {
                        serde_json::Value::String(text) => csv_cell(out, &text),
                        other @ (serde_json::Value::Null
                        | serde_json::Value::Bool(_)
                        | serde_json::Value::Number(_)
                        | serde_json::Value::Array(_)
                        | serde_json::Value::Object(_)) => csv_cell(out, &other.to_string()),
                    }
                }
                out.push(b',');
                if let Some(decision) = &answer.decided_by {
                    csv_cell(
                        out,
                        &render::json::decided_cell(rb, answer.question, decision),
                    );
                }
                out.extend_from_slice(b",\n");
            }
            Format::Json => {
                out.extend_from_slice(b"{\"line\":");
                out.extend_from_slice(number.to_string().as_bytes());
                write_others(out, others);
                let explain = match self.job.content {
                    Content::Trace(explain) => Some(explain),
                    Content::AnswerOnly => None,
                };
                self.answers.answer_fields(out, answer, explain);
                out.push(b'\n');
            }
        }
    }
}

fn write_others(out: &mut Vec<u8>, others: &OtherKeys) {
    for (key, value) in others {
        out.push(b',');
        json_string(out, key);
        out.push(b':');
        let _ = serde_json::to_writer(&mut *out, value);
    }
}

fn json_string(out: &mut Vec<u8>, text: &str) {
    render::json::escaped(out, text);
}

/// A CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line break.
fn csv_cell(out: &mut Vec<u8>, text: &str) {
    if text.contains([',', '"', '\n', '\r']) {
        out.push(b'"');
        out.extend_from_slice(text.replace('"', "\"\"").as_bytes());
        out.push(b'"');
    } else {
        out.extend_from_slice(text.as_bytes());
    }
}

/// One worker: answers lines with a workspace and buffers kept from line to line.
struct Answerer<'w, 'j, 'r> {
    writer: &'w LineWriter<'j, 'r>,
    workspace: Workspace,
    facts: Facts,
    names: fastline::Names,
}

impl<'w, 'j, 'r> Answerer<'w, 'j, 'r> {
    fn new(writer: &'w LineWriter<'j, 'r>) -> Self {
        // The stated days are the same for every line, and clearing the facts keeps them.
        let mut facts = Facts::new(writer.job.rulebase);
        for assumption in writer.job.assumptions {
            facts.assume(assumption.clone());
        }
        Answerer {
            writer,
            workspace: Workspace::default(),
            facts,
            names: fastline::Names::default(),
        }
    }

    fn block(&mut self, block: &Block) -> Done {
        let mut output = Vec::with_capacity(block.bytes.len() * 2);
        let mut summary = Summary::default();
        for line in &block.lines {
            match line {
                RawLine::TooLong { number } => {
                    summary.lines += 1;
                    summary.rejected += 1;
                    self.writer.error(
                        &mut output,
                        *number,
                        &Vec::new(),
                        Code::LineTooLong,
                        &format!("the line is longer than {MAX_LINE_BYTES} bytes; it was skipped"),
                    );
                }
                RawLine::Text { number, range } => {
                    self.line(
                        &mut output,
                        &mut summary,
                        *number,
                        &block.bytes[range.clone()],
                    );
                }
            }
        }
        // A control character or a bidirectional override in a name reaches a terminal as a
        // JSON escape, never raw (serde_json escapes only U+0000..U+001F itself). CSV is data
        // and is left as it is.
        if self.writer.job.format == Format::Json
            && crate::output::may_need_json_escapes(&output)
            && let Ok(text) = std::str::from_utf8(&output)
            && let std::borrow::Cow::Owned(escaped) = crate::output::escape_json_controls(text)
        {
            output = escaped.into_bytes();
        }
        Done {
            seq: block.seq,
            output,
            summary,
        }
    }

    fn line(&mut self, out: &mut Vec<u8>, summary: &mut Summary, number: usize, bytes: &[u8]) {
        let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(error) => {
                summary.lines += 1;
                summary.rejected += 1;
                let at = error.valid_up_to();
                let message = format!(
                    "invalid UTF-8 at byte {} of the line (0x{:02x}): each line must be UTF-8 text",
                    at + 1,
                    bytes.get(at).copied().unwrap_or(0)
                );
                self.writer
                    .error(out, number, &Vec::new(), Code::InvalidUtf8, &message);
                return;
            }
        };
        if text.trim().is_empty() {
            return;
        }
        summary.lines += 1;
        let job = self.writer.job;
        let rb = job.rulebase;
        // The common line is read in one pass; any other goes to the full reader (see `fastline`).
        let read = match fastline::read(rb, &mut self.names, text) {
            Some(json) => Ok((json, Vec::new())),
            None => facts::from_json_line(rb, text),
        };
        let (json, others) = match read {
            Ok(read) => read,
            Err(e) => {
                summary.rejected += 1;
                self.writer
                    .error(out, number, &Vec::new(), e.code, &e.to_string());
                return;
            }
        };
        if let Some((key, _)) = others
            .iter()
            .find(|(key, _)| ANSWER_KEYS.contains(&key.as_str()))
        {
            summary.rejected += 1;
            let message = format!(
                "at `$.{key}`: `{key}` is a key of the answer line, so it cannot be carried over; rename it"
            );
            self.writer
                .error(out, number, &Vec::new(), Code::AnswerKeyCarried, &message);
            return;
        }
        if job.format == Format::Csv
            && let Some((key, _)) = others
                .iter()
                .find(|(key, _)| !self.writer.columns.contains(key))
        {
            summary.rejected += 1;
            let message = format!(
                "at `$.{key}`: the first line fixed the CSV columns, and `{key}` is not one of them"
            );
            self.writer
                .error(out, number, &others, Code::NotACsvColumn, &message);
            return;
        }
        let detail = match job.content {
            Content::Trace(_) => Detail::Trace,
            Content::AnswerOnly => Detail::AnswerOnly,
        };
        let answerer = LineAnswerer {
            rulebase: rb,
            question: job.question,
            default_date: job.default_date,
            readings: job.readings,
            detail,
        };
        match answerer.answer(json, &mut self.facts, &mut self.workspace) {
            Ok(answer) => {
                summary.count(answer.status);
                self.writer.answer(out, number, &others, &answer);
            }
            Err(LineError::NoDate) => {
                summary.rejected += 1;
                self.writer.error(
                    out,
                    number,
                    &others,
                    Code::NoDate,
                    "no date: give \"as_of\" on the line or --as-of for the batch",
                );
            }
            Err(LineError::Eval(e)) => {
                summary.rejected += 1;
                self.writer
                    .error(out, number, &others, e.code(), &e.to_string());
            }
        }
    }
}

/// Why a line whose facts were read got no answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LineError {
    /// Neither the line nor the batch gives a date.
    NoDate,
    /// The evaluation stopped with an error.
    Eval(eval::EvalError),
}

/// How every line of a batch is answered once its facts are read: the step `zan batch`'s
/// workers and the server's `/v1/batch` share.
#[derive(Clone, Copy, Debug)]
pub struct LineAnswerer<'r> {
    pub rulebase: &'r Rulebase,
    pub question: ItemId,
    /// The date for lines without `as_of`.
    pub default_date: Option<NaiveDate>,
    /// The readings of contested points every line is answered under.
    pub readings: &'r [crate::rulebase::ReadingRef],
    pub detail: Detail,
}

impl LineAnswerer<'_> {
    /// Answers one line's facts, on the current thread (which needs the evaluator's stack,
    /// [`eval::EVAL_STACK_BYTES`]). `facts` is cleared first (its stated days are kept) and
    /// `workspace` is reused from line to line.
    pub fn answer(
        &self,
        json: facts::JsonFacts,
        facts: &mut Facts,
        workspace: &mut Workspace,
    ) -> Result<eval::Answer, LineError> {
        let date = json.as_of.or(self.default_date).ok_or(LineError::NoDate)?;
        facts.clear();
        for (id, value) in json.given {
            facts.set(id, value);
        }
        eval::readings::answer_reusing(
            self.rulebase,
            self.question,
            date,
            facts,
            self.readings,
            workspace,
            self.detail,
        )
        .map_err(LineError::Eval)
    }
}

/// Where `zan batch` writes: standard output, or a file that replaces its target only once
/// the batch has finished (written beside it, then renamed over it).
pub enum BatchSink {
    Stdout(std::io::BufWriter<std::io::StdoutLock<'static>>),
    /// A unique temporary file beside the target ([`crate::output::OutputFile`]), renamed over
    /// it when the batch has finished.
    File(std::io::BufWriter<crate::output::OutputFile>),
}

impl BatchSink {
    /// Opens the sink for `--output` (or standard output without it). The output file is
    /// opened before the input is read: a target that cannot be written (the input itself, a
    /// read-only or hard-linked file) is refused before any work is done.
    pub fn open(
        output: Option<&Path>,
        input: &Path,
    ) -> Result<BatchSink, crate::output::WriteError> {
        const BUFFER: usize = 1 << 18;
        Ok(match output {
            None => BatchSink::Stdout(std::io::BufWriter::with_capacity(
                BUFFER,
                std::io::stdout().lock(),
            )),
            Some(path) => {
                let inputs: &[&Path] = if input == Path::new("-") {
                    &[]
                } else {
                    &[input]
                };
                BatchSink::File(std::io::BufWriter::with_capacity(
                    BUFFER,
                    crate::output::OutputFile::create(path, inputs)?,
                ))
            }
        })
    }

    /// Flushes, and puts a finished file in place (synced, then renamed over the target).
    pub fn finish(self) -> std::io::Result<()> {
        match self {
            BatchSink::Stdout(mut out) => out.flush(),
            BatchSink::File(file) => file
                .into_inner()
                .map_err(|e| e.into_error())?
                .commit()
                .map_err(std::io::Error::other),
        }
    }

    /// Leaves the target as it was after a failed batch: the temporary file is removed.
    pub fn abandon(self) {
        if let BatchSink::File(file) = self {
            drop(file.into_inner());
        }
    }
}

impl std::io::Write for BatchSink {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        match self {
            BatchSink::Stdout(out) => out.write(bytes),
            BatchSink::File(file) => file.write(bytes),
        }
    }

    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        match self {
            BatchSink::Stdout(out) => out.write_all(bytes),
            BatchSink::File(file) => file.write_all(bytes),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            BatchSink::Stdout(out) => out.flush(),
            BatchSink::File(file) => file.flush(),
        }
    }
}
