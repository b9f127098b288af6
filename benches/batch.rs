//! Throughput of answering generated batches on the shipped rules, and the cold start of
//! `zan ask`. Run with `cargo bench --bench batch`; figures are medians of several runs, and the
//! parallel figure is given as a ratio to the sequential one on the same machine.

use std::time::{Duration, Instant};
use zan::cli::{BatchJob, BatchLine, batch_answers};
use zan::render::text::Explain;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn party_lines(n: usize) -> Vec<BatchLine> {
    // A fixed pseudo-random sequence: the same batch on every run.
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    (0..n)
        .map(|idx| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let members = state % 50_000;
            let branch = (state >> 20) % 1_000;
            let year = 2010 + (state >> 40) % 15;
            BatchLine {
                number: idx + 1,
                text: format!(
                    "{{\"as_of\": \"{year}-06-01\", \"given\": {{\"party.members\": {members}, \"party.branches_in_all_regions\": true, \"party.smallest_branch_members\": {branch}}}}}"
                ),
            }
        })
        .collect()
}

fn seat_lines(n: usize) -> Vec<BatchLine> {
    (0..n)
        .map(|idx| {
            let parties: Vec<String> = (0..7)
                .map(|p| format!("{{\"name\": \"P{p}\", \"votes\": {}, \"registered\": \"200{p}-01-01\"}}", 1_000 + (idx * 37 + p * 911) % 9_000))
                .collect();
            BatchLine {
                number: idx + 1,
                text: format!(
                    "{{\"as_of\": \"2023-03-19\", \"given\": {{\"mazhilis.votes_cast\": 80000, \"mazhilis.parties\": [{}]}}}}",
                    parties.join(", ")
                ),
            }
        })
        .collect()
}

fn measure(name: &str, question: &str, lines: &[BatchLine], rb: &zan::rulebase::Rulebase) {
    let id = rb.lookup(question).expect("question in the shipped rules");
    let run = |parallel: bool, explain: Explain| -> Duration {
        let job = BatchJob {
            rulebase: rb,
            question: id,
            default_date: None,
            explain,
            readings: &[],
        };
        let start = Instant::now();
        let results = if parallel {
            batch_answers(job, lines, None)
        } else {
            // Below 256 lines a batch is answered on one thread.
            lines
                .chunks(255)
                .flat_map(|part| batch_answers(job, part, None))
                .collect()
        };
        assert!(
            results.iter().all(|(_, ok)| *ok),
            "every generated line must be answered"
        );
        start.elapsed()
    };
    let per_second = |d: Duration| lines.len() as f64 / d.as_secs_f64();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    for (label, explain) in [
        ("full trace", Explain::Full),
        ("brief trace", Explain::Brief),
    ] {
        let sequential = median((0..5).map(|_| run(false, explain)).collect());
        let parallel = median((0..5).map(|_| run(true, explain)).collect());
        println!(
            "{name}, {label}: {} answers; sequential {:.0}/s, parallel {:.0}/s ({:.2}x on {threads} threads)",
            lines.len(),
            per_second(sequential),
            per_second(parallel),
            sequential.as_secs_f64() / parallel.as_secs_f64(),
        );
    }
    // The evaluator alone, without reading JSON or rendering: what the engine itself costs.
    let facts: Vec<(chrono::NaiveDate, zan::eval::Facts)> = lines
        .iter()
        .map(|line| {
            let json = zan::facts::from_json(rb, &line.text).expect("generated facts");
            let mut facts = zan::eval::Facts::new(rb);
            for (item, value) in json.given {
                facts.set(item, value);
            }
            (json.as_of.expect("dated"), facts)
        })
        .collect();
    let evaluate = || {
        zan::eval::on_big_stack(|| {
            let start = Instant::now();
            for (date, facts) in &facts {
                let answer = zan::eval::answer_in_place(rb, id, *date, facts).expect("evaluates");
                std::hint::black_box(answer);
            }
            start.elapsed()
        })
    };
    let alone = median((0..5).map(|_| evaluate()).collect());
    println!(
        "{name}, evaluation alone (one thread): {:.0}/s",
        per_second(alone)
    );
}

fn main() {
    let loaded = zan::load::load_embedded();
    let rb = &loaded.rulebase;
    measure(
        "party.may_register",
        "party.may_register",
        &party_lines(20_000),
        rb,
    );
    measure(
        "mazhilis.seat_allocation (7 lists)",
        "mazhilis.seat_allocation",
        &seat_lines(5_000),
        rb,
    );

    let binary = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/zan");
    if binary.exists() {
        let samples: Vec<Duration> = (0..21)
            .map(|_| {
                let start = Instant::now();
                let status = std::process::Command::new(&binary)
                    .args(["ask", "mazhilis.threshold", "--as-of", "2023-03-19"])
                    .stdout(std::process::Stdio::null())
                    .status()
                    .expect("run zan");
                assert!(status.success());
                start.elapsed()
            })
            .collect();
        println!(
            "cold start of `zan ask mazhilis.threshold` (release binary, includes loading and checking the rules): median {:.1} ms over 21 runs",
            median(samples).as_secs_f64() * 1000.0
        );
    } else {
        println!(
            "cold start: build the release binary first (cargo build --release) to measure it"
        );
    }
}
