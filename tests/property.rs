//! Property tests, run with the rest of the suite: fixed seeds, a few seconds in all.
//!
//! - No panic: mutated copies of the shipped rules and of the fixtures go through the parser,
//!   the checker, the evaluator and the renderers; mutated JSON facts and `--given` arguments
//!   through the facts reader. Errors are expected; a panic fails the test and leaves the
//!   input in the test's scratch directory.
//! - Seat allocation (Art. 97-1): on generated elections, the seats given out add up to the
//!   seats distributed; no list below the threshold gets a seat, except the runner-up the
//!   statute admits when only one list passes; the result does not depend on the order the
//!   lists are given in (remainder ties follow the registration date, as the statute says; a
//!   tie for the runner-up place is a gap).
//! - Determinism: the same rules and facts give byte-identical text, JSON and Markdown, in the
//!   library and through the binary.
//!
//! See: issue 5, "Hostile input".

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use zan::eval::seats::{self, AllocationError, List};
use zan::eval::{self, Facts};
use zan::load::{self, Loaded};
use zan::num::Num;
use zan::render::text::Explain;
use zan::source::SourceMap;

/// SplitMix64: small, fast and the same on every machine, so every run tries the same inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn range(&mut self, low: i64, high: i64) -> i64 {
        low + (self.next() % (high - low + 1) as u64) as i64
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every file under `dir` whose name ends with `extension`, sorted, with its bytes.
fn files(dir: &Path, extension: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.to_string_lossy().ends_with(extension) {
                let bytes = std::fs::read(&path).expect("read seed");
                found.push((path, bytes));
            }
        }
    }
    found.sort();
    found
}

/// Tokens worth splicing into zan text: they reach the odd corners of the grammar.
const ZAN_TOKENS: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "..",
    ".",
    "=",
    "!=",
    "<=",
    ">=",
    "<",
    ">",
    "+",
    "-",
    "*",
    "/",
    "%",
    "\"",
    "\\",
    "#",
    "\n",
    "\r\n",
    "\t",
    " ",
    "if ",
    " then ",
    " else ",
    " and ",
    " or ",
    "not ",
    " in ",
    "rule r ",
    "exception e to r ",
    "when ",
    "cite law \"Art. 1\" ",
    "value ",
    "from ",
    "until ",
    "otherwise ",
    "question ",
    "input ",
    "param ",
    "area ",
    "act ",
    "scenario ",
    "given ",
    "expect ",
    " is ",
    " by ",
    "sum(",
    "count(",
    "min(",
    "max(",
    "any(",
    "all(",
    "floor(",
    "allocate_seats(",
    "2023-02-30",
    "2024-02-29",
    "0000-01-01",
    "9999-12-31",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "0.000000000000000001",
    "100%",
    "101%",
    "-1%",
    "0",
    "1_000",
    " days",
    " months",
    " years",
    "true",
    "false",
    "é",
    "𝔷",
    "\u{feff}",
    "\u{0}",
    "mazhilis.threshold",
    "p.votes",
];

const JSON_TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "\\",
    "null",
    "true",
    "false",
    "0",
    "-1",
    "1e400",
    "99999999999999999999",
    "0.5",
    "\"5.29%\"",
    "\"101%\"",
    "\"2023-02-30\"",
    "\"as_of\"",
    "\"given\"",
    "\"mazhilis.parties\"",
    "\"mazhilis.votes_cast\"",
    "\"court.applicant\"",
    "\"citizen\"",
    "\"name\"",
    "\"votes\"",
    "\"registered\"",
    "\u{feff}",
    "\n",
    " ",
];

/// A mutated copy of `seed`: a few random cuts, copies, splices of tokens and random bytes.
fn mutate(rng: &mut Rng, seed: &[u8], tokens: &[&str]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for _ in 0..=rng.below(4) {
        let len = bytes.len();
        let at = if len == 0 { 0 } else { rng.below(len + 1) };
        match rng.below(7) {
            0 if len > 0 => {
                let end = (at + rng.below(64) + 1).min(len);
                bytes.drain(at.min(end)..end);
            }
            1 if len > 0 => {
                let start = rng.below(len);
                let end = (start + rng.below(128) + 1).min(len);
                let copy: Vec<u8> = bytes[start..end].to_vec();
                bytes.splice(at..at, copy);
            }
            2 => {
                bytes.truncate(at);
            }
            3 => {
                let byte = (rng.next() & 0xFF) as u8;
                bytes.insert(at, byte);
            }
            4 => {
                // The same token many times: deep nesting, long chains, long lines.
                let token = rng.pick(tokens).as_bytes();
                let times = *rng.pick(&[2, 10, 70, 300]);
                let repeated: Vec<u8> = token.repeat(times);
                bytes.splice(at..at, repeated);
            }
            _ => {
                let token = rng.pick(tokens).as_bytes().to_vec();
                bytes.splice(at..at, token);
            }
        }
    }
    bytes
}

/// Runs `case`; on a panic, saves the input where a developer can replay it and fails.
fn no_panic(kind: &str, seed: u64, input: &[u8], case: impl FnOnce()) {
    if catch_unwind(AssertUnwindSafe(case)).is_err() {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("property");
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join(format!("{kind}-{seed}.bin"));
        let _ = std::fs::write(&path, input);
        panic!(
            "{kind}: panicked on a mutated input (seed {seed}), saved to {}",
            path.display()
        );
    }
}

/// Parses, checks, and (when the rules check) answers and renders every question.
fn exercise_rules(text: &str) {
    let loaded = load::load_text(&[("mutated.zan", text)]);
    let _ = zan::diagnostic::render(&loaded.sources, &loaded.diagnostics);
    if zan::diagnostic::has_errors(&loaded.diagnostics) {
        return;
    }
    let rb = &loaded.rulebase;
    let facts = Facts::new(rb);
    let dates: Vec<_> = rb.areas.iter().map(|area| area.from).take(2).collect();
    for as_of in dates {
        for (id, _) in rb.askable().take(8) {
            if let Ok(answer) = eval::answer(rb, id, as_of, &facts) {
                let _ = zan::render::text::answer(rb, &answer, Explain::Full);
                let _ = zan::render::json::answer(rb, &answer).to_string();
            }
        }
    }
}

/// Parses and checks scenario text against the shipped rules, and runs what checks.
fn exercise_scenarios(shipped: &Loaded, text: &str) {
    let mut sources = SourceMap::new();
    let file = sources.add("mutated_scenario.zan", text);
    let (ast, parse_diagnostics) = zan::parse::parse_file(&sources, file);
    let _ = zan::diagnostic::render(&sources, &parse_diagnostics);
    let (scenarios, diagnostics) =
        zan::check::check_scenarios(&sources, &shipped.rulebase, std::slice::from_ref(&ast));
    let _ = zan::diagnostic::render(&sources, &diagnostics);
    for scenario in scenarios.iter().take(3) {
        let _ = zan::scenario::run(&shipped.rulebase, scenario);
    }
}

#[test]
fn mutated_rules_never_panic() {
    let mut seeds = files(&root().join("rules"), ".zan");
    seeds.extend(files(&root().join("fixtures/parse"), ".zan"));
    seeds.extend(files(&root().join("fixtures/check"), ".zan"));
    seeds.extend(files(&root().join("fixtures/errors"), ".zan"));
    assert!(seeds.len() > 20, "seeds not found");
    let mut rng = Rng(0x5EED_0001);
    for round in 0..600 {
        let (_, seed) = rng.pick(&seeds);
        // Large seeds are cut to a random window, so each round stays fast.
        let seed = if seed.len() > 4000 {
            let start = rng.below(seed.len() - 4000);
            &seed[start..start + 4000]
        } else {
            &seed[..]
        };
        let input = mutate(&mut rng, seed, ZAN_TOKENS);
        let text = String::from_utf8_lossy(&input).into_owned();
        no_panic("rules", round, &input, || exercise_rules(&text));
    }
}

#[test]
fn whole_shipped_rules_with_one_mutation_never_panic() {
    // The rules as one whole, as `zan check` reads them, with one change in one file.
    let shipped = files(&root().join("rules"), ".zan");
    let mut rng = Rng(0x5EED_0002);
    for round in 0..6 {
        let victim = rng.below(shipped.len());
        let texts: Vec<(String, String)> = shipped
            .iter()
            .enumerate()
            .map(|(idx, (path, bytes))| {
                let bytes = if idx == victim {
                    mutate(&mut rng, bytes, ZAN_TOKENS)
                } else {
                    bytes.clone()
                };
                (
                    path.display().to_string(),
                    String::from_utf8_lossy(&bytes).into_owned(),
                )
            })
            .collect();
        let input = texts[victim].1.clone().into_bytes();
        no_panic("shipped", round, &input, || {
            let named: Vec<(&str, &str)> = texts
                .iter()
                .map(|(name, text)| (name.as_str(), text.as_str()))
                .collect();
            let loaded = load::load_text(&named);
            let _ = zan::diagnostic::render(&loaded.sources, &loaded.diagnostics);
        });
    }
}

#[test]
fn mutated_scenarios_never_panic() {
    let shipped = load::load_embedded();
    let mut seeds = files(&root().join("fixtures/scenarios"), ".zan");
    seeds.extend(
        files(&root().join("fixtures/errors"), ".zan")
            .into_iter()
            .filter(|(path, _)| path.to_string_lossy().contains("scenario_")),
    );
    assert!(seeds.len() > 20, "seeds not found");
    let mut rng = Rng(0x5EED_0003);
    for round in 0..300 {
        let (_, seed) = rng.pick(&seeds);
        let input = mutate(&mut rng, seed, ZAN_TOKENS);
        let text = String::from_utf8_lossy(&input).into_owned();
        // Parsing and checking run on the caller's thread. An expression nested to the
        // parser's limit (MAX_NESTING) needs more stack than a test thread's 2 MiB in a debug
        // build (round 12 of this seed, once fixtures/scenarios/kurultai joined the seeds:
        // 64 nested `allocate_seats(` in a `given`), so the case runs on the evaluator's large
        // stack. The binary parses on its 8 MiB main thread.
        no_panic("scenario", round, &input, || {
            zan::eval::on_big_stack(|| exercise_scenarios(&shipped, &text))
        });
    }
}

#[test]
fn mutated_json_facts_and_given_values_never_panic() {
    let shipped = load::load_embedded();
    let rb = &shipped.rulebase;
    let mut seeds = files(&root().join("fixtures/errors"), ".json");
    seeds.extend(files(&root().join("fuzz/seeds/facts"), ".json"));
    let givens = files(&root().join("fixtures/errors"), ".txt");
    assert!(seeds.len() > 10 && !givens.is_empty(), "seeds not found");
    let mut rng = Rng(0x5EED_0004);
    for round in 0..1500 {
        let (_, seed) = rng.pick(&seeds);
        let input = mutate(&mut rng, seed, JSON_TOKENS);
        let text = String::from_utf8_lossy(&input).into_owned();
        no_panic("json", round, &input, || {
            if let Ok(json) = zan::facts::from_json(rb, &text) {
                // What the reader accepts must be usable: answer with it.
                let mut facts = Facts::new(rb);
                for (id, value) in json.given {
                    facts.set(id, value);
                }
                let as_of = json.as_of.unwrap_or_default();
                if let Some(question) = rb.lookup("mazhilis.seat_allocation") {
                    let _ = eval::answer(rb, question, as_of, &facts);
                }
            }
        });
    }
    // A `--given` value is typed by the checker, which takes a few milliseconds in a debug
    // build: fewer rounds.
    for round in 0..150 {
        let (_, given) = rng.pick(&givens);
        let input = mutate(&mut rng, given, ZAN_TOKENS);
        let argument = String::from_utf8_lossy(&input).into_owned();
        no_panic("given", round, &input, || {
            let _ = zan::facts::parse_given(rb, &argument);
        });
    }
}

// ----- Seat allocation -----

fn date(days: i64) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(1999, 1, 1).expect("date")
        + chrono::Duration::days(days.rem_euclid(9000))
}

/// A generated election: lists, votes cast, seats, threshold, runner-up factor and minimum.
struct Election {
    lists: Vec<List>,
    votes_cast: i64,
    seats: i64,
    threshold: Num,
    factor: Num,
    minimum: i64,
}

fn election(rng: &mut Rng) -> Election {
    let n_lists = rng.range(1, 9) as usize;
    let big = rng.below(3) == 0;
    let lists: Vec<List> = (0..n_lists)
        .map(|idx| {
            // Some elections have one dominant list, to reach the one-list case.
            let votes = if big && idx == 0 {
                rng.range(500_000, 5_000_000)
            } else {
                let most = *rng.pick(&[100, 50_000, 400_000]);
                rng.range(0, most)
            };
            List {
                name: format!("List {idx}").into(),
                votes,
                // Few distinct days, so that equal remainders meet equal and different days.
                registered: date(rng.range(0, 6) * 400),
            }
        })
        .collect();
    let total: i64 = lists.iter().map(|list| list.votes).sum();
    Election {
        lists,
        votes_cast: total + rng.range(if total == 0 { 1 } else { 0 }, 100_000),
        seats: *rng.pick(&[1, 2, 3, 7, 29, 69, 98, 150]),
        threshold: Num::ratio(i128::from(*rng.pick(&[0, 1, 5, 7, 10, 30])), 100).expect("pct"),
        factor: *rng.pick(&[
            Num::ratio(7, 10).expect("0.7"),
            Num::ONE,
            Num::ratio(1, 2).expect("0.5"),
        ]),
        minimum: rng.range(0, 3),
    }
}

fn allocate(election: &Election, lists: &[List]) -> Result<seats::Allocation, AllocationError> {
    seats::allocate(
        lists,
        election.votes_cast,
        election.seats,
        election.threshold,
        election.factor,
        election.minimum,
    )
}

/// The seats per list name, sorted by name, for comparing allocations of reordered input.
fn by_name(allocation: &seats::Allocation) -> Vec<(String, i64, bool)> {
    let mut rows: Vec<(String, i64, bool)> = allocation
        .rows
        .iter()
        .map(|row| (row.name.to_string(), row.seats, row.admitted))
        .collect();
    rows.sort();
    rows
}

#[test]
fn seat_allocations_add_up_respect_the_threshold_and_ignore_input_order() {
    let mut rng = Rng(0x5EED_0005);
    let (mut answered, mut one_list, mut gaps) = (0, 0, 0);
    for round in 0..3000 {
        let election = election(&mut rng);
        let result = allocate(&election, &election.lists);
        // Reversed and shuffled copies of the same lists.
        let mut reordered: Vec<List> = election
            .lists
            .iter()
            .rev()
            .map(|list| List {
                name: list.name.clone(),
                votes: list.votes,
                registered: list.registered,
            })
            .collect();
        for idx in (1..reordered.len()).rev() {
            let other = rng.below(idx + 1);
            reordered.swap(idx, other);
        }
        let again = allocate(&election, &reordered);
        match (&result, &again) {
            (Ok(first), Ok(second)) => assert_eq!(
                by_name(first),
                by_name(second),
                "round {round}: the allocation depends on the order of the lists"
            ),
            (Err(AllocationError::Gap(_)), Err(AllocationError::Gap(_))) => {}
            (Err(AllocationError::Invalid(a)), Err(AllocationError::Invalid(b))) => {
                panic!("round {round}: valid input refused: {a} / {b}")
            }
            _ => panic!("round {round}: reordering changed the outcome: {result:?} vs {again:?}"),
        }
        let Ok(allocation) = result else {
            gaps += 1;
            continue;
        };
        answered += 1;
        let given: i64 = allocation
            .rows
            .iter()
            .filter(|row| row.admitted)
            .map(|row| row.seats)
            .sum();
        assert_eq!(
            given, election.seats,
            "round {round}: seats given out differ from the seats distributed"
        );
        for row in &allocation.rows {
            assert!(row.seats >= 0, "round {round}: negative seats");
            // Exact comparison: a list passes iff votes / votes_cast >= threshold.
            let passes = Num::int(row.votes)
                .checked_div(Num::int(election.votes_cast))
                .is_some_and(|share| share >= election.threshold);
            assert_eq!(row.passes, passes, "round {round}: `{}`", row.name);
            if !row.passes {
                assert!(
                    row.seats == 0 || (allocation.one_list_case && row.runner_up),
                    "round {round}: `{}` is below the threshold but has {} seats",
                    row.name,
                    row.seats
                );
            }
            if row.passes {
                assert!(row.admitted, "round {round}: `{}` passed", row.name);
            }
        }
        if allocation.one_list_case {
            one_list += 1;
            let runner_up: Vec<_> = allocation.rows.iter().filter(|r| r.runner_up).collect();
            assert_eq!(runner_up.len(), 1, "round {round}: one runner-up");
            let best_other = allocation
                .rows
                .iter()
                .filter(|row| !row.passes)
                .map(|row| row.votes)
                .max();
            assert_eq!(
                Some(runner_up[0].votes),
                best_other,
                "round {round}: the runner-up has the next most votes"
            );
            assert!(
                runner_up[0].seats >= election.minimum,
                "round {round}: the runner-up gets at least the minimum"
            );
        } else {
            // Largest remainders: each list gets the whole part of its quotient or one more.
            for row in allocation.rows.iter().filter(|row| row.admitted) {
                let whole = row.quotient.floor().to_i64().expect("whole");
                assert!(
                    row.seats == whole || row.seats == whole + 1,
                    "round {round}: `{}` has {} seats for a quotient of {}",
                    row.name,
                    row.seats,
                    row.quotient
                );
            }
        }
    }
    // The generator must reach every branch, or the properties prove little.
    assert!(answered > 1000, "only {answered} allocations answered");
    assert!(one_list > 50, "only {one_list} one-list cases");
    assert!(gaps > 10, "only {gaps} gaps");
}

#[test]
fn seat_allocation_through_the_shipped_rules_adds_up() {
    // End to end: JSON facts -> the shipped question -> the seats it answers.
    let shipped = load::load_embedded();
    let rb = &shipped.rulebase;
    let question = rb.lookup("mazhilis.seat_allocation").expect("question");
    let mut rng = Rng(0x5EED_0006);
    let mut answered = 0;
    for round in 0..40 {
        let election = election(&mut rng);
        let lists: Vec<String> = election
            .lists
            .iter()
            .map(|list| {
                format!(
                    "{{\"name\": \"{}\", \"votes\": {}, \"registered\": \"{}\"}}",
                    list.name, list.votes, list.registered
                )
            })
            .collect();
        let json = format!(
            "{{\"as_of\": \"2023-03-19\", \"given\": {{\"mazhilis.parties\": [{}], \"mazhilis.votes_cast\": {}, \"mazhilis.list_seats\": {}}}}}",
            lists.join(", "),
            election.votes_cast,
            election.seats
        );
        let facts_json = zan::facts::from_json(rb, &json).expect("valid facts");
        let mut facts = Facts::new(rb);
        for (id, value) in facts_json.given {
            facts.set(id, value);
        }
        let as_of = facts_json.as_of.expect("as_of");
        let answer = eval::answer(rb, question, as_of, &facts).expect("answer");
        let Some(zan::rulebase::Value::Seats(seats)) = &answer.value else {
            continue;
        };
        answered += 1;
        let total: i64 = seats.iter().map(|(_, n)| n).sum();
        assert_eq!(total, election.seats, "round {round}: {json}");
    }
    assert!(answered > 10, "only {answered} answered");
}

// ----- Determinism -----

/// Every answer to every shipped question on a few dates, in all three formats.
fn all_answers(loaded: &Loaded, facts_json: &str) -> String {
    let rb = &loaded.rulebase;
    let mut facts = Facts::new(rb);
    let json = zan::facts::from_json(rb, facts_json).expect("facts");
    for (id, value) in json.given {
        facts.set(id, value);
    }
    let mut out = String::new();
    for as_of in ["2012-01-01", "2021-06-10", "2023-03-19", "2026-07-01"] {
        let as_of = as_of.parse().expect("date");
        for (id, _) in rb.askable() {
            match eval::answer(rb, id, as_of, &facts) {
                Ok(answer) => {
                    out.push_str(&zan::render::text::answer(rb, &answer, Explain::Full));
                    out.push_str(&zan::render::json::answer(rb, &answer).to_string());
                    out.push_str(&zan::render::markdown::answer(rb, &answer, Explain::Full));
                }
                Err(error) => out.push_str(&error.to_string()),
            }
        }
    }
    out
}

#[test]
fn the_same_input_gives_byte_identical_output() {
    let facts = std::fs::read_to_string(root().join("fuzz/seeds/facts/election_2023.json"))
        .expect("facts seed");
    let first = load::load_embedded();
    let second = load::load_embedded();
    assert_eq!(first.rulebase.digest, second.rulebase.digest);
    let once = all_answers(&first, &facts);
    let twice = all_answers(&second, &facts);
    assert!(once.len() > 10_000, "too little output to compare");
    assert!(once == twice, "two runs on the same input differ");
    // Diagnostics too, in the order of the files and of the text.
    let bad: Vec<(PathBuf, Vec<u8>)> = files(&root().join("fixtures/errors"), ".zan");
    let render = || {
        bad.iter()
            .map(|(path, bytes)| {
                let text = String::from_utf8_lossy(bytes);
                let name = path.display().to_string();
                let loaded = load::load_text(&[(name.as_str(), text.as_ref())]);
                zan::diagnostic::render(&loaded.sources, &loaded.diagnostics)
            })
            .collect::<String>()
    };
    assert!(render() == render(), "diagnostics differ between two runs");
}

#[test]
fn the_binary_prints_byte_identical_json_and_traces() {
    let run = |args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_zan"))
            .args(args)
            .current_dir(root())
            .output()
            .expect("run zan");
        (output.status.code(), output.stdout, output.stderr)
    };
    for args in [
        &[
            "ask",
            "mazhilis.seat_allocation",
            "--facts",
            "fuzz/seeds/facts/election_2023.json",
            "--format",
            "json",
        ][..],
        &[
            "ask",
            "mazhilis.passes_threshold",
            "--as-of",
            "2021-06-10",
            "--given",
            "mazhilis.party_vote_share=6%",
        ][..],
        &["run", "fixtures/scenarios/mazhilis"][..],
    ] {
        let first = run(args);
        let second = run(args);
        assert!(
            !first.1.is_empty(),
            "`zan {}` printed nothing",
            args.join(" ")
        );
        assert!(
            first == second,
            "`zan {}` printed different bytes on two runs",
            args.join(" ")
        );
    }
}

#[test]
fn seat_allocation_with_extreme_arguments_never_panics() {
    // The arguments of `allocate_seats` come from the rules and the facts: every extreme
    // must end in an allocation or an error, never in a panic or a wrapped number.
    let big = i64::MAX;
    let factors = [
        Num::int(-2),
        Num::ZERO,
        Num::ratio(7, 10).expect("0.7"),
        Num::int(1_000_000_000_000_000_000),
    ];
    let thresholds = [Num::ZERO, Num::ratio(1, 2).expect("50%"), Num::ONE];
    for votes in [[0, 0], [1, 0], [big / 2, big / 2 - 1], [big, 0], [60, 40]] {
        for votes_cast in [1, 100, big] {
            for seats in [-1, 0, 1, 98, big] {
                for factor in factors {
                    for threshold in thresholds {
                        for minimum in [i64::MIN, -1, 0, 2, big] {
                            let lists: Vec<List> = votes
                                .iter()
                                .enumerate()
                                .map(|(idx, &votes)| List {
                                    name: format!("List {idx}").into(),
                                    votes,
                                    registered: date(idx as i64),
                                })
                                .collect();
                            let result = catch_unwind(AssertUnwindSafe(|| {
                                seats::allocate(
                                    &lists, votes_cast, seats, threshold, factor, minimum,
                                )
                            }));
                            let Ok(result) = result else {
                                panic!(
                                    "allocate_seats panicked: votes {votes:?}, votes cast {votes_cast}, seats {seats}, factor {factor}, threshold {threshold}, minimum {minimum}"
                                );
                            };
                            if let Ok(allocation) = result {
                                let given: i128 = allocation
                                    .rows
                                    .iter()
                                    .filter(|row| row.admitted)
                                    .map(|row| i128::from(row.seats))
                                    .sum();
                                assert_eq!(given, i128::from(seats), "seats must add up");
                                assert!(allocation.rows.iter().all(|row| row.seats >= 0));
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The textbook edit distance (every cell of the table), to check the banded one against.
fn full_edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != *cb))
                .min(above + 1)
                .min(row[j] + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

#[test]
fn did_you_mean_agrees_with_the_full_edit_distance() {
    // "Did you mean" computes only a band of the table; on short random names over a small
    // alphabet (so that near misses are common) it must suggest exactly the candidates the
    // full table puts within the limit, the nearest (then shortest) first.
    let mut rng = Rng(14);
    let alphabet = ['a', 'b', 'c', '.', '_', 'ж'];
    let word = |rng: &mut Rng| -> String {
        let len = rng.below(12);
        (0..len).map(|_| *rng.pick(&alphabet)).collect()
    };
    let mut suggested = 0;
    for _ in 0..20_000 {
        let name = word(&mut rng);
        let candidates: Vec<String> = (0..3).map(|_| word(&mut rng)).collect();
        let limit = (name.chars().count() / 3).max(2);
        let expected = candidates
            .iter()
            .map(|c| (full_edit_distance(&name, c), c))
            .filter(|(d, _)| *d <= limit)
            .min_by_key(|(d, c)| (*d, c.len()))
            .map(|(_, c)| c.clone());
        let found = zan::names::closest(&name, candidates.iter().map(String::as_str));
        assert_eq!(found, expected, "name {name:?}, candidates {candidates:?}");
        suggested += usize::from(found.is_some());
    }
    assert!(
        suggested > 1_000,
        "too few near misses to test: {suggested}"
    );
}
