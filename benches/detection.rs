//! Detection benchmark: for every fault of the catalogue, how many cases of the generated suite
//! (in detection order, see `addperm::measure`) run before one fails, and how long that takes.
//!
//! ```sh
//! cargo bench --bench detection -- [--budget 2000] [--seed 1] [--compare exact]
//! ```
//!
//! Prints a markdown table and a summary line (detected x/31, median cases to first
//! detection). Exits 1 when a fault goes undetected or the fault-free reference fails a case.

use addperm::measure::{self, Detection};
use addperm::outcome::Compare;
use std::process::ExitCode;
use std::time::Instant;

struct Args {
    budget: usize,
    seed: u64,
    compare: Compare,
}

fn parse() -> Result<Args, String> {
    let mut args = Args {
        budget: 2000,
        seed: 1,
        compare: Compare::Exact,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--budget" => args.budget = value()?.parse().map_err(|e| format!("--budget: {e}"))?,
            "--seed" => args.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--compare" => {
                let name = value()?;
                args.compare = Compare::from_name(&name)
                    .ok_or(format!("--compare: unknown strictness {name:?}"))?
            }
            // What `cargo bench` passes to every bench target.
            "--bench" => {}
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("detection: {e}");
            return ExitCode::from(2);
        }
    };
    let start = Instant::now();
    let cases = match measure::suite(args.budget, args.seed) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("detection: {e}");
            return ExitCode::from(2);
        }
    };
    let generated = start.elapsed();
    let clean: Detection = measure::detect(None, &cases, args.compare);
    let rows = measure::detect_all(&cases, args.compare);
    println!(
        "Detection: generated suite, budget {} cases, seed {}, --compare {}, in process, one thread\n",
        args.budget,
        args.seed,
        args.compare.name()
    );
    print!("{}", measure::markdown(&rows, args.budget));
    println!(
        "generation of the {} cases: {:.0} ms; fault-free reference: {} of {} cases pass ({:.0} ms, {:.0} cases/s)",
        cases.len(),
        generated.as_secs_f64() * 1000.0,
        clean.first.map_or(clean.cases_run, |n| n - 1),
        cases.len(),
        clean.elapsed.as_secs_f64() * 1000.0,
        clean.cases_run as f64 / clean.elapsed.as_secs_f64().max(1e-9),
    );
    if clean.detected() || rows.iter().any(|d| !d.detected()) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
