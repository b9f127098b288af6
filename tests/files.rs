//! Files and streams, through the real binary: every file zan writes is written whole or not at
//! all, at the place the user meant, without harm to links, permissions, FIFOs, devices or the
//! input.
//!
//! See: issue 14 ("never lose a byte").

use crate::common::zan;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A fresh directory removed when the test ends.
fn scratch() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("zan-files-")
        .tempdir()
        .expect("temp dir")
}

fn text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

/// Whatever is in `dir` besides `keep`: leftover temporary files.
fn leftovers(dir: &Path, keep: &[&str]) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("read dir")
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| !keep.contains(&name.as_str()))
        .collect()
}

/// `lines` cases for `party.may_register`: odd lines on 2022-10-01, when Art. 10(6) of the Law
/// "On Political Parties" required 20,000 members (6,000 are too few), even lines on
/// 2023-03-01, under Law No. 157-VII's minimum of 5,000 (enough).
fn parties(lines: usize, members: usize) -> String {
    (1..=lines)
        .map(|line| {
            let date = if line % 2 == 1 {
                "2022-10-01"
            } else {
                "2023-03-01"
            };
            format!(
                "{{\"as_of\": \"{date}\", \"given\": {{\"party.members\": {members}, \"party.branches_in_all_regions\": true, \"party.smallest_branch_members\": 650}}}}\n"
            )
        })
        .collect()
}

/// Checks a batch output file for `parties(lines, _)`: every line there, in order, each with
/// the answer the law gives on its date.
fn assert_party_answers(output: &str, lines: usize) {
    let answers: Vec<serde_json::Value> = output
        .lines()
        .map(|line| serde_json::from_str(line).expect("JSON line"))
        .collect();
    assert_eq!(answers.len(), lines, "{output}");
    for (idx, answer) in answers.iter().enumerate() {
        let line = idx + 1;
        assert_eq!(answer["line"], line, "{answer}");
        assert_eq!(answer["answer"], line % 2 == 0, "line {line}: {answer}");
    }
}

fn batch_to(input: &Path, output: &Path) -> crate::common::Run {
    zan(&[
        "batch",
        "party.may_register",
        "--input",
        path_str(input),
        "--output",
        path_str(output),
    ])
}

#[test]
fn parallel_batches_to_different_files_each_write_their_own_answers() {
    // Eight runs at once in one directory; a fixed temporary name made them overwrite one
    // another's files.
    let dir = scratch();
    let runs: Vec<(usize, PathBuf, std::process::Child)> = (1..=8)
        .map(|run| {
            let lines = 40 + run;
            let input = dir.path().join(format!("in.{run}"));
            std::fs::write(&input, parties(lines, 6000 + run)).expect("input");
            let output = dir.path().join(format!("out.{run}"));
            let child = Command::new(env!("CARGO_BIN_EXE_zan"))
                .args(["batch", "party.may_register", "--input"])
                .arg(&input)
                .arg("--output")
                .arg(&output)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn zan");
            (lines, output, child)
        })
        .collect();
    for (lines, output, child) in runs {
        let result = child.wait_with_output().expect("wait");
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert_eq!(result.status.code(), Some(0), "{stderr}");
        assert!(
            stderr.contains(&format!("{lines} line(s): {lines} answered")),
            "{stderr}"
        );
        let written = text(&output);
        assert_party_answers(&written, lines);
    }
    let names: Vec<String> = (1..=8)
        .flat_map(|run| [format!("in.{run}"), format!("out.{run}")])
        .collect();
    let keep: Vec<&str> = names.iter().map(String::as_str).collect();
    assert_eq!(leftovers(dir.path(), &keep), Vec::<String>::new());
}

#[test]
fn output_equal_to_input_is_refused_by_any_name() {
    let dir = scratch();
    let input = dir.path().join("cases.jsonl");
    let cases = parties(3, 6000);
    std::fs::write(&input, &cases).expect("input");
    let same = batch_to(&input, &input);
    assert_eq!(same.code, 2);
    assert!(
        same.stderr.contains("it is the input file"),
        "{}",
        same.stderr
    );
    // Through a symbolic link and through a hard link: the same file.
    let link = dir.path().join("link.jsonl");
    std::os::unix::fs::symlink(&input, &link).expect("symlink");
    let hard = dir.path().join("hard.jsonl");
    std::fs::hard_link(&input, &hard).expect("hard link");
    for other_name in [&link, &hard] {
        let run = batch_to(&input, other_name);
        assert_eq!(run.code, 2, "{}", other_name.display());
        assert!(run.stderr.contains("is the input file `"), "{}", run.stderr);
    }
    assert_eq!(text(&input), cases);
    assert_eq!(
        leftovers(dir.path(), &["cases.jsonl", "link.jsonl", "hard.jsonl"]),
        Vec::<String>::new()
    );
}

#[test]
fn output_through_a_symbolic_link_writes_the_file_it_names() {
    let dir = scratch();
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, parties(4, 6000)).expect("input");
    let real = dir.path().join("real.jsonl");
    std::fs::write(&real, "old\n").expect("old output");
    let link = dir.path().join("link.jsonl");
    std::os::unix::fs::symlink("real.jsonl", &link).expect("symlink");
    let run = batch_to(&input, &link);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("link")
            .file_type()
            .is_symlink(),
        "the link was replaced by a file"
    );
    assert_party_answers(&text(&real), 4);
    // A link whose file does not exist yet: the file is created where the link points.
    let dangling = dir.path().join("dangling.jsonl");
    std::os::unix::fs::symlink("new.jsonl", &dangling).expect("symlink");
    let run = batch_to(&input, &dangling);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_party_answers(&text(&dir.path().join("new.jsonl")), 4);
    assert!(
        std::fs::symlink_metadata(&dangling)
            .expect("link")
            .file_type()
            .is_symlink()
    );
}

#[test]
fn output_to_a_fifo_or_a_device_writes_into_it() {
    use std::os::unix::fs::FileTypeExt;
    let dir = scratch();
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, parties(5, 6000)).expect("input");
    let fifo = dir.path().join("answers.fifo");
    let status = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(status.success());
    // The reader is started first and reads until zan closes its end.
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).expect("read FIFO"))
    };
    let run = batch_to(&input, &fifo);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_party_answers(&reader.join().expect("reader"), 5);
    assert!(
        std::fs::symlink_metadata(&fifo)
            .expect("fifo")
            .file_type()
            .is_fifo(),
        "the FIFO was replaced by a file"
    );
    // `/dev/stdout` is a link to a pipe here: the answers come out on standard output.
    let run = zan(&[
        "batch",
        "party.may_register",
        "--input",
        path_str(&input),
        "--output",
        "/dev/stdout",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_party_answers(&run.stdout, 5);
    assert_eq!(
        leftovers(dir.path(), &["in.jsonl", "answers.fifo"]),
        Vec::<String>::new()
    );
}

#[test]
fn a_read_only_or_hard_linked_output_is_left_as_it_is() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch();
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, parties(2, 6000)).expect("input");
    let read_only = dir.path().join("read-only.jsonl");
    std::fs::write(&read_only, "keep\n").expect("old output");
    std::fs::set_permissions(&read_only, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let run = batch_to(&input, &read_only);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("read-only"), "{}", run.stderr);
    assert_eq!(text(&read_only), "keep\n");
    let mode = std::fs::metadata(&read_only)
        .expect("meta")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o444);

    let linked = dir.path().join("linked.jsonl");
    std::fs::write(&linked, "keep\n").expect("old output");
    let other = dir.path().join("other-name.jsonl");
    std::fs::hard_link(&linked, &other).expect("hard link");
    let run = batch_to(&input, &linked);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("2 hard links"), "{}", run.stderr);
    assert_eq!(text(&other), "keep\n");
    assert_eq!(
        leftovers(
            dir.path(),
            &[
                "in.jsonl",
                "read-only.jsonl",
                "linked.jsonl",
                "other-name.jsonl"
            ]
        ),
        Vec::<String>::new()
    );
}

#[test]
fn a_replaced_output_keeps_its_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch();
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, parties(2, 6000)).expect("input");
    let output = dir.path().join("out.jsonl");
    std::fs::write(&output, "old\n").expect("old output");
    std::fs::set_permissions(&output, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let run = batch_to(&input, &output);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_party_answers(&text(&output), 2);
    let mode = std::fs::metadata(&output)
        .expect("meta")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o640);
    // A new file gets 0666 less the umask, as any new file (not the temporary file's 0600).
    let new = dir.path().join("new.jsonl");
    let status = Command::new("sh")
        .arg("-c")
        .arg("umask 027 && exec \"$0\" batch party.may_register --input \"$1\" --output \"$2\"")
        .arg(env!("CARGO_BIN_EXE_zan"))
        .arg(&input)
        .arg(&new)
        .stderr(Stdio::null())
        .status()
        .expect("run zan");
    assert!(status.success());
    assert_party_answers(&text(&new), 2);
    let mode = std::fs::metadata(&new).expect("meta").permissions().mode();
    assert_eq!(mode & 0o777, 0o640);
}

/// A rules file that `fmt` changes (two spaces become one).
const MESSY: &str = "act  a \"A\"\n";

#[test]
fn fmt_keeps_links_and_permissions_and_refuses_what_it_cannot_replace_safely() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch();
    // A symbolic link: the file it names is formatted, the link stays.
    let real = dir.path().join("real.zan");
    std::fs::write(&real, MESSY).expect("write");
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let link = dir.path().join("link.zan");
    std::os::unix::fs::symlink("real.zan", &link).expect("symlink");
    let run = zan(&["fmt", path_str(&link)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("1 changed"), "{}", run.stdout);
    assert_eq!(text(&real), "act a \"A\"\n");
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("link")
            .file_type()
            .is_symlink()
    );
    let mode = std::fs::metadata(&real).expect("meta").permissions().mode();
    assert_eq!(mode & 0o777, 0o640, "permissions widened");

    // A read-only file and a hard-linked one are left as they are, with a message each; the
    // other files are still formatted, and the exit code says something was not written.
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).expect("dir");
    let read_only = sub.join("a.zan");
    std::fs::write(&read_only, MESSY).expect("write");
    std::fs::set_permissions(&read_only, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let linked = sub.join("b.zan");
    std::fs::write(&linked, MESSY).expect("write");
    std::fs::hard_link(&linked, dir.path().join("b-elsewhere")).expect("hard link");
    let fine = sub.join("c.zan");
    std::fs::write(&fine, MESSY).expect("write");
    let run = zan(&["fmt", path_str(&sub)]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("a.zan`: the file is read-only"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("b.zan`: the file has 2 hard links"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("1 changed"), "{}", run.stdout);
    assert!(run.stdout.contains("2 not written"), "{}", run.stdout);
    assert_eq!(text(&read_only), MESSY);
    assert_eq!(text(&linked), MESSY);
    assert_eq!(text(&fine), "act a \"A\"\n");
    let mode = std::fs::metadata(&read_only)
        .expect("meta")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o444);
    assert_eq!(
        leftovers(&sub, &["a.zan", "b.zan", "c.zan"]),
        Vec::<String>::new()
    );
}

#[test]
fn a_file_edited_while_it_is_written_is_not_replaced() {
    // What `fmt` relies on: the replacement is refused if the file no longer holds what was read.
    let dir = scratch();
    let path = dir.path().join("rules.zan");
    std::fs::write(&path, MESSY).expect("write");
    let file = zan::output::OutputFile::create(&path, &[])
        .expect("create")
        .unless_changed_from(MESSY.as_bytes());
    std::fs::write(&path, "# edited meanwhile\n").expect("edit");
    let error = file
        .write_and_commit(b"act a \"A\"\n")
        .expect_err("the edit must win");
    assert!(error.to_string().contains("changed while"), "{error}");
    assert_eq!(text(&path), "# edited meanwhile\n");
    assert_eq!(leftovers(dir.path(), &["rules.zan"]), Vec::<String>::new());
}

/// Stops a `batch --output` while it waits for more input with `signal`: no temporary file
/// may remain, and the old output must be as it was.
#[allow(unsafe_code)] // libc::kill: the test signals its own child
fn stop_a_batch_with(signal: i32) {
    use std::os::unix::process::ExitStatusExt;
    let dir = scratch();
    let fifo = dir.path().join("in.fifo");
    let status = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(status.success());
    let output = dir.path().join("out.jsonl");
    std::fs::write(&output, "keep\n").expect("old output");
    let mut child = Command::new(env!("CARGO_BIN_EXE_zan"))
        .args(["batch", "party.may_register", "--input"])
        .arg(&fifo)
        .arg("--output")
        .arg(&output)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn zan");
    // Read and write: opening cannot block, and zan's read waits for more lines.
    let mut writer = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&fifo)
        .expect("open FIFO");
    std::io::Write::write_all(&mut writer, parties(3, 6000).as_bytes()).expect("write");
    // Wait until zan has its temporary file (it is then busy with the batch).
    loop {
        if !leftovers(dir.path(), &["in.fifo", "out.jsonl"]).is_empty() {
            break;
        }
        if let Some(status) = child.try_wait().expect("wait") {
            panic!("zan ended before the signal: {status}");
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    // SAFETY: `kill` has no memory-safety preconditions; the pid is our own child's.
    let sent = unsafe { libc::kill(child.id() as libc::pid_t, signal) };
    assert_eq!(sent, 0);
    let status = child.wait().expect("wait");
    drop(writer);
    assert_eq!(status.signal(), Some(signal), "{status}");
    assert_eq!(
        leftovers(dir.path(), &["in.fifo", "out.jsonl"]),
        Vec::<String>::new()
    );
    assert_eq!(text(&output), "keep\n");
}

#[test]
fn sigint_during_a_batch_leaves_no_temporary_file_and_the_target_untouched() {
    stop_a_batch_with(libc::SIGINT);
}

#[test]
fn sigterm_during_a_batch_leaves_no_temporary_file_and_the_target_untouched() {
    stop_a_batch_with(libc::SIGTERM);
}

/// Runs zan with standard output (or standard error) on `/dev/full`, where every write fails
/// with "no space left on device".
fn zan_onto_a_full_disk(args: &[&str], stderr_full: bool) -> (Option<i32>, String) {
    let full = || std::fs::OpenOptions::new().write(true).open("/dev/full");
    let mut command = Command::new(env!("CARGO_BIN_EXE_zan"));
    command
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1");
    if stderr_full {
        command
            .stdout(Stdio::null())
            .stderr(full().expect("/dev/full"));
    } else {
        command
            .stdout(full().expect("/dev/full"))
            .stderr(Stdio::piped());
    }
    let output = command.output().expect("run zan");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_failed_write_to_standard_output_fails_every_command() {
    if !Path::new("/dev/full").exists() {
        return;
    }
    let commands: &[&[&str]] = &[
        &["check"],
        &["ask", "party.members_required", "--as-of", "2022-10-01"],
        &[
            "who",
            "court.may_apply",
            "--over",
            "court.applicant",
            "--as-of",
            "2023-03-01",
            "--given",
            "court.subject=normative_act_in_force",
        ],
        &["run", "fixtures/scenarios/parties"],
        &["diff", "--from", "2022-01-01", "--to", "2023-06-01"],
        &[
            "batch",
            "party.may_register",
            "--input",
            "examples/parties.jsonl",
        ],
        &["fmt", "--check", "rules"],
        &["completions", "bash"],
        &["--help"],
        &["--version"],
    ];
    for args in commands {
        let (code, stderr) = zan_onto_a_full_disk(args, false);
        assert_eq!(code, Some(2), "zan {args:?}: {stderr}");
        if !args[0].starts_with("--") {
            assert!(
                stderr.contains("cannot write to standard output"),
                "zan {args:?}: {stderr}"
            );
            // Never a success summary after output that was lost.
            assert!(!stderr.contains("answered"), "zan {args:?}: {stderr}");
        }
    }
}

#[test]
fn a_failed_write_to_standard_error_fails_the_command() {
    if !Path::new("/dev/full").exists() {
        return;
    }
    // The batch's answers go to a file; its summary to standard error, which is full.
    let dir = scratch();
    let output = dir.path().join("answers.jsonl");
    let (code, _) = zan_onto_a_full_disk(
        &[
            "batch",
            "party.may_register",
            "--input",
            "examples/parties.jsonl",
            "--output",
            path_str(&output),
        ],
        true,
    );
    assert_eq!(code, Some(2));
}

#[test]
fn a_reader_that_stops_early_ends_zan_quietly() {
    // Far more output than a pipe holds, so zan is still writing when the reader goes away.
    let dir = scratch();
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, parties(2000, 6000)).expect("input");
    let mut child = Command::new(env!("CARGO_BIN_EXE_zan"))
        .args(["batch", "party.may_register", "--input"])
        .arg(&input)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn zan");
    let mut first = String::new();
    {
        let stdout = child.stdout.take().expect("stdout");
        std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut first)
            .expect("first line");
    }
    let output = child.wait_with_output().expect("wait");
    assert!(first.starts_with("{\"line\":1,"), "{first}");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

const RULES: &str = "fixtures/traces/threshold.zan";

#[test]
fn a_fifo_among_the_rules_is_refused_without_blocking() {
    let dir = scratch();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(RULES),
        dir.path().join("a.zan"),
    )
    .expect("copy");
    let fifo = dir.path().join("b.zan");
    let status = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(status.success());
    let rules = path_str(dir.path());
    let runs = [
        zan(&["check", rules]),
        zan(&["fmt", rules]),
        zan(&["fmt", "--check", path_str(&fifo)]),
        zan(&[
            "--rules",
            rules,
            "ask",
            "mazhilis.threshold",
            "--as-of",
            "2020-01-01",
        ]),
        zan(&["--rules", RULES, "run", rules]),
    ];
    for run in runs {
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(
            run.stderr.contains(&format!(
                "cannot read `{}`: it is a FIFO (named pipe), not a regular file",
                fifo.display()
            )),
            "{}",
            run.stderr
        );
    }
    // A device named on the command line is refused the same way.
    let device = zan(&["check", "/dev/null"]);
    assert_eq!(device.code, 2);
    assert!(
        device
            .stderr
            .contains("it is a character device, not a regular file"),
        "{}",
        device.stderr
    );
}

#[test]
fn an_empty_rules_directory_is_an_error_when_loading() {
    // It used to check clean ("0 question(s)") and then answer "unknown question".
    let dir = scratch();
    let empty = path_str(dir.path());
    for run in [
        zan(&["check", empty]),
        zan(&[
            "--rules",
            empty,
            "ask",
            "mazhilis.threshold",
            "--as-of",
            "2020-01-01",
        ]),
    ] {
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(
            run.stderr.contains(&format!(
                "no rules: expected `.zan` files in `{empty}`, found none"
            )),
            "{}",
            run.stderr
        );
        assert!(!run.stderr.contains("unknown question"), "{}", run.stderr);
    }
}

#[test]
fn an_oversize_file_is_told_what_to_do_for_its_kind() {
    // A facts file is one case: the hint is about batches, not about splitting the rules.
    let dir = scratch();
    let facts = dir.path().join("facts.json");
    let mut big = String::from("{\"as_of\": \"2020-01-01\", \"given\": {}}");
    big.push_str(&" ".repeat(8 * 1024 * 1024));
    std::fs::write(&facts, &big).expect("facts");
    let run = zan(&[
        "--rules",
        RULES,
        "ask",
        "mazhilis.threshold",
        "--facts",
        path_str(&facts),
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("is too large for a facts file"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("one case per line"), "{}", run.stderr);
    assert!(!run.stderr.contains("split the rules"), "{}", run.stderr);
    // A scenario file is told to split the scenarios.
    let scenarios = dir.path().join("big.zan");
    std::fs::write(&scenarios, &big).expect("scenarios");
    let run = zan(&["--rules", RULES, "run", path_str(&scenarios)]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("split the scenarios into several files"),
        "{}",
        run.stderr
    );
}

/// Whether `text` holds a control character a terminal would act on (anything below U+0020
/// but newline and tab, DEL, or a C1 control).
fn raw_controls(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| c.is_control() && c != '\n' && c != '\t')
        .collect()
}

fn zan_bytes(args: &[&std::ffi::OsStr]) -> (Option<i32>, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_zan"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("run zan");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn control_characters_from_input_are_escaped_on_the_terminal() {
    use std::ffi::OsStr;
    let dir = scratch();
    // A question name that would clear the screen, and a path that would ring the bell.
    let (code, _, stderr) = zan_bytes(&[
        OsStr::new("ask"),
        OsStr::new("party.\u{1b}[2Jx"),
        OsStr::new("--as-of"),
        OsStr::new("2023-01-01"),
    ]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("`party.\\u{1b}[2Jx`"), "{stderr}");
    assert_eq!(raw_controls(&stderr), Vec::<char>::new(), "{stderr}");
    let bell = dir.path().join("bell\u{7}\r.zan");
    let (code, _, stderr) = zan_bytes(&[OsStr::new("check"), bell.as_os_str()]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("bell\\u{7}\\u{d}.zan"), "{stderr}");
    assert_eq!(raw_controls(&stderr), Vec::<char>::new(), "{stderr}");

    // A rules file whose line holds an escape sequence: the diagnostic quotes the line.
    let rules = dir.path().join("rules.zan");
    std::fs::write(
        &rules,
        "act a \"A\u{1b}]0;owned\u{7}\" in force 2000-01-01\nbad \u{1b}[31m\n",
    )
    .expect("rules");
    let (code, _, stderr) = zan_bytes(&[OsStr::new("check"), rules.as_os_str()]);
    assert_eq!(code, Some(2));
    assert_eq!(raw_controls(&stderr), Vec::<char>::new(), "{stderr}");
    // The caret stands under `in` of the escaped line; the column is the file's own (21).
    let shown = "act a \"A\\u{1b}]0;owned\\u{7}\" in force 2000-01-01";
    let lines: Vec<&str> = stderr.lines().collect();
    let source_line = lines
        .iter()
        .position(|line| line.ends_with(shown))
        .unwrap_or_else(|| panic!("{stderr}"));
    let caret = lines[source_line + 1].find('^').expect("caret");
    let token = lines[source_line].find(" in force").expect("token") + 1;
    assert_eq!(caret, token, "{stderr}");
    assert!(stderr.contains("rules.zan:1:21"), "{stderr}");

    // Facts whose list names carry escape sequences: in the text and Markdown renderings of
    // the answer, or in the message that refuses them, they come out escaped.
    let facts = dir.path().join("facts.json");
    std::fs::write(
        &facts,
        r#"{"as_of": "2023-03-19", "given": {"mazhilis.votes_cast": 1000, "mazhilis.parties": [
            {"name": "A\u001b[2J\u009b1m", "votes": 600, "registered": "1999-03-01"},
            {"name": "B\r\u202eC", "votes": 400, "registered": "2002-01-01"}]}}"#,
    )
    .expect("facts");
    for format in ["text", "markdown"] {
        let (code, stdout, stderr) = zan_bytes(&[
            OsStr::new("--format"),
            OsStr::new(format),
            OsStr::new("ask"),
            OsStr::new("mazhilis.seat_allocation"),
            OsStr::new("--facts"),
            facts.as_os_str(),
        ]);
        assert!(code == Some(0) || code == Some(2), "{stderr}");
        assert!(
            stdout.contains("A\\u{1b}[2J\\u{9b}1m")
                || stderr.contains("\\u{1b}")
                || stderr.contains("control character U+001B"),
            "{stdout}{stderr}"
        );
        assert_eq!(raw_controls(&stdout), Vec::<char>::new(), "{stdout}");
        assert_eq!(raw_controls(&stderr), Vec::<char>::new(), "{stderr}");
        assert!(!stdout.contains('\u{202e}'), "{stdout}");
    }
}

#[test]
fn colour_keeps_its_own_sequences_and_escapes_the_input_s() {
    use std::ffi::OsStr;
    let (code, _, stderr) = zan_bytes(&[
        OsStr::new("--color"),
        OsStr::new("always"),
        OsStr::new("ask"),
        OsStr::new("party.\u{1b}]0;title\u{7}x"),
        OsStr::new("--as-of"),
        OsStr::new("2023-01-01"),
    ]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("\\u{1b}]0;title\\u{7}x"), "{stderr}");
    let (code, stdout, _) = zan_bytes(&[
        OsStr::new("--color"),
        OsStr::new("always"),
        OsStr::new("ask"),
        OsStr::new("party.members_required"),
        OsStr::new("--as-of"),
        OsStr::new("2022-10-01"),
    ]);
    assert_eq!(code, Some(0));
    assert!(stdout.starts_with("\u{1b}[1;32m"), "{stdout:?}");
}

#[test]
fn escape_controls_keeps_layout_and_zan_s_own_colour() {
    use zan::output::escape_controls;
    assert_eq!(escape_controls("a\tb\r\nc\n", false), "a\tb\r\nc\n");
    assert_eq!(escape_controls("a\rb", false), "a\\u{d}b");
    assert_eq!(
        escape_controls("\u{7f}\u{85}\u{2066}", false),
        "\\u{7f}\\u{85}\\u{2066}"
    );
    assert_eq!(
        escape_controls("\u{1b}[1;32mok\u{1b}[0m", false),
        "\\u{1b}[1;32mok\\u{1b}[0m"
    );
    assert_eq!(
        escape_controls("\u{1b}[1;32mok\u{1b}[0m", true),
        "\u{1b}[1;32mok\u{1b}[0m"
    );
    // Only colour sequences pass: not clearing the screen, not an unfinished sequence.
    assert_eq!(
        escape_controls("\u{1b}[2J\u{1b}[", true),
        "\\u{1b}[2J\\u{1b}["
    );
}

#[test]
fn a_number_in_facts_is_quoted_as_written() {
    // JSON parsing reads `1e3` as 1000.0 and a 20-digit integer as 1e20; the message quotes
    // what the file says.
    let dir = scratch();
    let cases = [
        ("{\"party.members\": 1e3}", "found the number 1e3"),
        (
            "{\"party.members\": 99999999999999999999}",
            "found the number 99999999999999999999",
        ),
        (
            "{\"mazhilis.votes_cast\": 1000, \"mazhilis.parties\": [{\"name\": \"1e3\", \"votes\": 6.0E2, \"registered\": \"1999-03-01\"}]}",
            "found the number 6.0E2",
        ),
    ];
    for (given, expected) in cases {
        let facts = dir.path().join("facts.json");
        std::fs::write(
            &facts,
            format!("{{\"as_of\": \"2023-03-19\", \"given\": {given}}}"),
        )
        .expect("facts");
        let run = zan(&[
            "ask",
            "mazhilis.seat_allocation",
            "--facts",
            path_str(&facts),
        ]);
        assert_eq!(run.code, 2, "{given}");
        assert!(run.stderr.contains(expected), "{given}: {}", run.stderr);
        assert!(!run.stderr.contains("1000.0"), "{}", run.stderr);
    }
    let input = dir.path().join("in.jsonl");
    std::fs::write(
        &input,
        "{\"as_of\": \"2023-03-01\", \"given\": {\"party.members\": 1.5e3}}\n",
    )
    .expect("input");
    let run = zan(&["batch", "party.may_register", "--input", path_str(&input)]);
    assert!(
        run.stdout.contains("found the number 1.5e3\""),
        "{}",
        run.stdout
    );
}

/// A 64 KiB tmpfs, unmounted when dropped; `None` where mounting is not allowed.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount() -> Option<SmallDisk> {
        let dir = scratch();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
            .arg(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        mounted.then_some(SmallDisk { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

#[test]
fn a_full_disk_leaves_the_old_output_and_no_temporary_file() {
    // Where the machine lets a test mount a small tmpfs (as root); elsewhere /dev/full above
    // covers the standard streams.
    let Some(disk) = SmallDisk::mount() else {
        return;
    };
    let dir = scratch();
    let input = dir.path().join("in.jsonl");
    // About 200 answers with their traces: far more than 64 KiB.
    std::fs::write(&input, parties(200, 6000)).expect("input");
    let output = disk.path().join("out.jsonl");
    std::fs::write(&output, "keep\n").expect("old output");
    let run = batch_to(&input, &output);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("No space left on device"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("answered"), "{}", run.stderr);
    assert_eq!(text(&output), "keep\n");
    assert_eq!(leftovers(disk.path(), &["out.jsonl"]), Vec::<String>::new());
}

#[test]
fn json_output_escapes_what_serde_leaves_raw_and_still_parses() {
    use std::ffi::OsStr;
    // serde_json escapes U+0000..U+001F itself; a right-to-left override (U+202E) in a list
    // name must come out escaped too, as a JSON escape. (Control characters, C1 included, are
    // refused in names when the facts are read.)
    let dir = scratch();
    let case = r#"{"as_of": "2023-03-19", "given": {"mazhilis.votes_cast": 1000, "mazhilis.parties": [{"name": "A\u202e", "votes": 600, "registered": "1999-03-01"}, {"name": "B", "votes": 400, "registered": "1999-03-01"}]}}"#;
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, format!("{case}\n")).expect("input");
    let (code, batch, stderr) = zan_bytes(&[
        OsStr::new("batch"),
        OsStr::new("mazhilis.seat_allocation"),
        OsStr::new("--input"),
        input.as_os_str(),
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    let (code, ask, stderr) = zan_bytes(&[
        OsStr::new("--format"),
        OsStr::new("json"),
        OsStr::new("ask"),
        OsStr::new("mazhilis.seat_allocation"),
        OsStr::new("--facts"),
        input.as_os_str(),
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    for stdout in [batch, ask] {
        assert_eq!(raw_controls(&stdout), Vec::<char>::new(), "{stdout}");
        assert!(!stdout.contains('\u{202e}'), "{stdout}");
        assert!(stdout.contains("A\\u202e"), "{stdout}");
        let answer: serde_json::Value =
            serde_json::from_str(stdout.lines().next().expect("a line")).expect("JSON");
        // Hare quota 1000/69: A 41.4 -> 41, B 27.6 -> 27 + 1 for the larger remainder.
        assert_eq!(answer["answer"]["A\u{202e}"], 41, "{answer}");
        assert_eq!(answer["answer"]["B"], 28, "{answer}");
    }
}

#[test]
fn concurrent_fmt_runs_agree_and_leave_every_file_whole() {
    // Four runs over the same files at once: each file ends formatted, no run fails (one that
    // finds a file already laid out by another is content), and no temporary file remains.
    let dir = scratch();
    let names: Vec<String> = (0..20).map(|idx| format!("f{idx}.zan")).collect();
    for name in &names {
        std::fs::write(dir.path().join(name), MESSY.repeat(50)).expect("write");
    }
    let runs: Vec<std::process::Child> = (0..4)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_zan"))
                .arg("fmt")
                .arg(dir.path())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn zan")
        })
        .collect();
    for child in runs {
        let output = child.wait_with_output().expect("wait");
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    for name in &names {
        assert_eq!(
            text(&dir.path().join(name)),
            "act a \"A\"\n".repeat(50),
            "{name}"
        );
    }
    let keep: Vec<&str> = names.iter().map(String::as_str).collect();
    assert_eq!(leftovers(dir.path(), &keep), Vec::<String>::new());
}

#[test]
fn a_batch_that_overlaps_another_keeps_its_own_temporary_file() {
    // Deterministic overlap: the first batch holds its temporary file open while it waits for
    // input on a FIFO; a second batch to another file in the same directory runs from start to
    // end meanwhile; then the first gets the rest of its input. A fixed temporary name would
    // let the second clobber the first's file.
    let dir = scratch();
    let fifo = dir.path().join("in.fifo");
    let status = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(status.success());
    let first_output = dir.path().join("out.1");
    let mut first = Command::new(env!("CARGO_BIN_EXE_zan"))
        .args(["batch", "party.may_register", "--input"])
        .arg(&fifo)
        .arg("--output")
        .arg(&first_output)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn zan");
    let mut writer = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&fifo)
        .expect("open FIFO");
    let keep = ["in.fifo", "out.1", "in.2", "out.2"];
    while leftovers(dir.path(), &keep).is_empty() {
        if let Some(status) = first.try_wait().expect("wait") {
            panic!("the first batch ended early: {status}");
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let second_input = dir.path().join("in.2");
    std::fs::write(&second_input, parties(7, 6000)).expect("input");
    let second = batch_to(&second_input, &dir.path().join("out.2"));
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert_party_answers(&text(&dir.path().join("out.2")), 7);
    // The first batch's temporary file is still there, and still its own.
    assert_eq!(leftovers(dir.path(), &keep).len(), 1);
    std::io::Write::write_all(&mut writer, parties(5, 6000).as_bytes()).expect("write");
    // Closing the only writer ends the input: with O_RDWR, the read end closes too.
    drop(writer);
    let result = first.wait_with_output().expect("wait");
    assert_eq!(
        result.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    assert_party_answers(&text(&first_output), 5);
    assert_eq!(leftovers(dir.path(), &keep), Vec::<String>::new());
}
