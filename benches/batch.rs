//! Throughput of the three benchmark workloads on the shipped rules, and the cold start of
//! `zan ask`. Run with `cargo bench --bench batch`; every figure is the median of five runs.
//!
//! For each workload: the evaluator alone (facts already read, no output), an answer-only batch
//! (`--explain none`) and a batch with the full JSON trace, each on one worker and on every
//! core. The batches go through `zan::batch::run`, the engine `zan batch` uses, from an
//! in-memory input to an in-memory output. Nothing here asserts a time.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failed unwrap is a failed test

use std::io::Cursor;
use std::time::{Duration, Instant};
use zan::batch::{Content, Format, Job};
use zan::eval::{Detail, Facts, Workspace};
use zan::render::text::Explain;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// A fixed pseudo-random sequence: the same batch on every run.
struct Sequence(u64);

impl Sequence {
    fn next(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % below
    }

    fn date(&mut self) -> String {
        format!(
            "{}-{:02}-{:02}",
            2015 + self.next(11),
            1 + self.next(12),
            1 + self.next(28)
        )
    }
}

/// W1: party registration, near the thresholds in force.
fn party_lines(n: usize) -> String {
    let mut seq = Sequence(0x2545_F491_4F6C_DD1D);
    let mut text = String::new();
    for _ in 0..n {
        let date = seq.date();
        text.push_str(&format!(
            "{{\"as_of\":\"{date}\",\"given\":{{\"party.members\":{},\"party.founders\":{},\"party.smallest_branch_members\":{},\"party.branches_in_all_regions\":true}}}}\n",
            seq.next(45_000),
            500 + seq.next(1_500),
            100 + seq.next(600),
        ));
    }
    text
}

/// W2: Mazhilis seat allocation among 4 to 8 lists.
fn seat_lines(n: usize) -> String {
    let mut seq = Sequence(0x9E37_79B9_7F4A_7C15);
    let mut text = String::new();
    for _ in 0..n {
        let date = seq.date();
        let count = 4 + seq.next(5);
        let votes: Vec<u64> = (0..count).map(|_| 50_000 + seq.next(900_000)).collect();
        let parties: Vec<String> = votes
            .iter()
            .enumerate()
            .map(|(idx, votes)| {
                format!(
                    "{{\"name\":\"P{idx}\",\"votes\":{votes},\"registered\":\"1999-01-{:02}\"}}",
                    idx + 1
                )
            })
            .collect();
        text.push_str(&format!(
            "{{\"as_of\":\"{date}\",\"given\":{{\"mazhilis.parties\":[{}],\"mazhilis.votes_cast\":{}}}}}\n",
            parties.join(","),
            votes.iter().sum::<u64>()
        ));
    }
    text
}

/// W3: standing before the Constitutional Court (or Council).
fn court_lines(n: usize) -> String {
    const APPLICANTS: [&str; 9] = [
        "citizen",
        "human_rights_commissioner",
        "prosecutor_general",
        "court",
        "president",
        "senate_chair",
        "mazhilis_chair",
        "deputies",
        "prime_minister",
    ];
    const SUBJECTS: [&str; 4] = [
        "interpretation",
        "normative_act_in_force",
        "law_before_signature",
        "treaty_before_ratification",
    ];
    let mut seq = Sequence(0xD1B5_4A32_D192_ED03);
    let mut text = String::new();
    for _ in 0..n {
        let date = seq.date();
        let infringes = seq.next(2) == 1;
        text.push_str(&format!(
            "{{\"as_of\":\"{date}\",\"given\":{{\"court.applicant\":\"{}\",\"court.subject\":\"{}\",\"court.deputies_signing\":{},\"court.deputies_total\":150,\"court.act_affects_own_rights\":{},\"court.act_affects_rights\":{infringes},\"court.act_infringes_rights\":{infringes}}}}}\n",
            APPLICANTS[seq.next(9) as usize],
            SUBJECTS[seq.next(4) as usize],
            seq.next(60),
            seq.next(2) == 1,
        ));
    }
    text
}

fn measure(name: &str, question: &str, input: &str, rb: &zan::rulebase::Rulebase) {
    let id = rb.lookup(question).expect("question in the shipped rules");
    let lines = input.lines().count();
    let per_second = |d: Duration| lines as f64 / d.as_secs_f64();
    let cores = zan::batch::default_workers();
    let batch = |content: Content, workers: usize| -> Duration {
        let job = Job {
            rulebase: rb,
            question: id,
            default_date: None,
            content,
            format: Format::Json,
            assumptions: &[],
            readings: &[],
        };
        let mut output = Vec::with_capacity(input.len() * 4);
        let start = Instant::now();
        let summary = zan::batch::run(&job, Cursor::new(input), &mut output, workers, None)
            .expect("in memory");
        let elapsed = start.elapsed();
        assert_eq!(summary.rejected, 0, "every generated line is answered");
        std::hint::black_box(output);
        elapsed
    };
    // The evaluator alone, without reading JSON or writing answers: what the engine costs.
    let facts: Vec<(chrono::NaiveDate, Facts)> = input
        .lines()
        .map(|line| {
            let json = zan::facts::from_json(rb, line).expect("generated facts");
            let mut facts = Facts::new(rb);
            for (item, value) in json.given {
                facts.set(item, value);
            }
            (json.as_of.expect("dated"), facts)
        })
        .collect();
    let evaluate = |detail: Detail| {
        zan::eval::on_big_stack(|| {
            let mut workspace = Workspace::default();
            let start = Instant::now();
            for (date, facts) in &facts {
                let answer =
                    zan::eval::answer_reusing(rb, id, *date, facts, &mut workspace, detail)
                        .expect("evaluates");
                std::hint::black_box(answer);
            }
            start.elapsed()
        })
    };
    let runs = |f: &dyn Fn() -> Duration| median((0..5).map(|_| f()).collect());
    let alone = runs(&|| evaluate(Detail::AnswerOnly));
    let alone_traced = runs(&|| evaluate(Detail::Trace));
    println!(
        "{name}: {lines} lines; evaluator alone {:.0}/s (with trace {:.0}/s)",
        per_second(alone),
        per_second(alone_traced)
    );
    for (label, content) in [
        ("answer-only", Content::AnswerOnly),
        ("full trace", Content::Trace(Explain::Full)),
    ] {
        let one = runs(&|| batch(content, 1));
        let all = runs(&|| batch(content, cores));
        println!(
            "{name}: {label} batch: 1 worker {:.0}/s, {cores} workers {:.0}/s",
            per_second(one),
            per_second(all)
        );
    }
}

fn main() {
    let loaded = zan::load::load_embedded();
    let rb = &loaded.rulebase;
    measure(
        "W1 party.may_register",
        "party.may_register",
        &party_lines(20_000),
        rb,
    );
    measure(
        "W2 mazhilis.seat_allocation",
        "mazhilis.seat_allocation",
        &seat_lines(10_000),
        rb,
    );
    measure(
        "W3 court.may_apply",
        "court.may_apply",
        &court_lines(20_000),
        rb,
    );

    let binary = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/zan");
    if binary.exists() {
        let samples: Vec<Duration> = (0..21)
            .map(|_| {
                let start = Instant::now();
                let status = std::process::Command::new(&binary)
                    .args(["ask", "mazhilis.threshold", "--as-of", "2021-01-10"])
                    .stdout(std::process::Stdio::null())
                    .status()
                    .expect("run zan");
                assert!(status.success());
                start.elapsed()
            })
            .collect();
        println!(
            "cold start of `zan ask mazhilis.threshold --as-of 2021-01-10` (release binary): median {:.2} ms over 21 runs",
            median(samples).as_secs_f64() * 1000.0
        );
    } else {
        println!(
            "cold start: build the release binary first (cargo build --release) to measure it"
        );
    }
}
