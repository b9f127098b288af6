//! A bounded loopback load benchmark of `zan serve`: a fixed number of `POST /v1/ask` requests
//! (party registration, varied facts and dates) from a fixed number of client threads, each
//! with its own keep-alive connection. It stops by itself, reports requests/s and the p50/p99
//! latency, and fails if any request was lost or answered with anything but 200.
//!
//! `cargo bench --bench serve` (or `-- REQUESTS CONCURRENCY`, default 4000 and 8).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failed unwrap is a failed test

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .map(|a| a.parse::<usize>());
    let requests = args.next().and_then(Result::ok).unwrap_or(4000);
    let concurrency = args.next().and_then(Result::ok).unwrap_or(8).max(1);
    let mut child = Command::new(env!("CARGO_BIN_EXE_zan"))
        .args(["serve", "--addr", "127.0.0.1:0", "--max-in-flight", "256"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start zan serve");
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let mut first = String::new();
    stderr.read_line(&mut first).expect("first line");
    let addr = first
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .expect("the address")
        .to_string();
    // Drain the request log so that the server never blocks on a full pipe.
    std::thread::spawn(move || {
        let mut line = String::new();
        while stderr.read_line(&mut line).is_ok_and(|n| n > 0) {
            line.clear();
        }
    });
    let url = format!("http://{addr}/v1/ask");
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|worker| {
            let url = url.clone();
            let share = requests / concurrency + usize::from(worker < requests % concurrency);
            std::thread::spawn(move || {
                let agent = ureq::AgentBuilder::new().max_idle_connections(1).build();
                let mut latencies = Vec::with_capacity(share);
                let mut failures = Vec::new();
                for idx in 0..share {
                    let members = 1_000 + (worker * 7_919 + idx * 104_729) % 50_000;
                    let year = 2010 + (worker + idx) % 15;
                    let body = format!(
                        "{{\"question\": \"party.may_register\", \"as_of\": \"{year}-06-01\", \"explain\": \"brief\", \"given\": {{\"party.members\": {members}, \"party.branches_in_all_regions\": true, \"party.smallest_branch_members\": 700}}}}"
                    );
                    let sent = Instant::now();
                    let result = agent
                        .post(&url)
                        .set("content-type", "application/json")
                        .send_string(&body);
                    match result {
                        Ok(response) if response.status() == 200 => {
                            let text = response.into_string().unwrap_or_default();
                            if text.contains("\"status\":\"answered\"") {
                                latencies.push(sent.elapsed());
                            } else {
                                failures.push(format!("not answered: {text}"));
                            }
                        }
                        Ok(response) => failures.push(format!("status {}", response.status())),
                        Err(e) => failures.push(e.to_string()),
                    }
                }
                (latencies, failures)
            })
        })
        .collect();
    let mut latencies: Vec<Duration> = Vec::with_capacity(requests);
    let mut failures = Vec::new();
    for worker in workers {
        let (l, f) = worker.join().expect("a client thread");
        latencies.extend(l);
        failures.extend(f);
    }
    let elapsed = started.elapsed();
    let _ = child.kill();
    let _ = child.wait();
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    println!(
        "zan serve, POST /v1/ask on loopback: {requests} requests, concurrency {concurrency}: {:.0} requests/s, p50 {:.2} ms, p99 {:.2} ms ({} answered, {} failed)",
        latencies.len() as f64 / elapsed.as_secs_f64(),
        at(0.50).as_secs_f64() * 1000.0,
        at(0.99).as_secs_f64() * 1000.0,
        latencies.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "failed requests: {:?}",
        &failures[..failures.len().min(5)]
    );
    assert_eq!(latencies.len(), requests, "every request was answered");
}
