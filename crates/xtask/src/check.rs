//! `cargo xtask test`: the whole test pipeline, one step after another, stopping at the first
//! failure and ending with a summary of every step and its time.
//!
//! Steps: tools, formatting, clippy (the native crates, then the UI for wasm32, its only
//! target), host tests, the engine's tests in WebAssembly under Node, the release build, and
//! the browser tests (release bundle served on 127.0.0.1, driven by `web/e2e/run.mjs`).

use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use crate::shell::{self, Outcome};
use crate::{server, tools};

/// How a step that did not fail ended.
enum Done {
    /// It ran and passed.
    Passed,
    /// It had nothing to do, for this reason.
    Skipped(&'static str),
}

/// One step of the pipeline.
struct Step {
    /// A short name for the log and the summary.
    name: &'static str,
    /// The work; `Err` carries the failure message.
    run: fn() -> Outcome<Done>,
}

/// The pipeline, in order.
const STEPS: [Step; 9] = [
    Step { name: "tools", run: ensure_all_tools },
    Step { name: "cargo fmt --check", run: fmt },
    Step { name: "clippy (native)", run: clippy_native },
    Step { name: "clippy (ui, wasm32)", run: clippy_ui },
    Step { name: "host tests", run: host_tests },
    Step { name: "engine tests (wasm32, Node)", run: engine_wasm_tests },
    Step { name: "ui tests (wasm32, Chromium)", run: ui_wasm_tests },
    Step { name: "release build", run: release_build },
    Step { name: "browser tests", run: browser_tests },
];

/// What happened to one step, for the summary.
struct Record {
    /// The step's name.
    name: &'static str,
    /// How it ended.
    result: Outcome<Done>,
    /// How long it took.
    took: Duration,
}

/// Runs the steps until one fails, then prints the summary. `Err` when any step failed.
pub fn run_all() -> Outcome {
    let started = Instant::now();
    let mut records = Vec::new();
    for step in &STEPS {
        println!("\n==> {}", step.name);
        let step_started = Instant::now();
        let result = (step.run)();
        let failed = result.is_err();
        records.push(Record { name: step.name, result, took: step_started.elapsed() });
        if failed {
            break;
        }
    }
    print_summary(&records, started.elapsed());
    match records.iter().find_map(|record| record.result.as_ref().err().map(|e| (record, e))) {
        Some((record, error)) => Err(format!("step `{}` failed: {error}", record.name)),
        None => Ok(()),
    }
}

/// Prints one line per step that ran, the steps left out after a failure, and the total time.
fn print_summary(records: &[Record], total: Duration) {
    println!("\nSummary:");
    for record in records {
        let status = match &record.result {
            Ok(Done::Passed) => "ok".to_string(),
            Ok(Done::Skipped(why)) => format!("skipped ({why})"),
            Err(_) => "FAILED".to_string(),
        };
        println!("  {:<30} {:>7}  {status}", record.name, seconds(record.took));
    }
    for step in STEPS.iter().skip(records.len()) {
        println!("  {:<30} {:>7}  not run", step.name, "-");
    }
    let passed = records.iter().all(|record| record.result.is_ok());
    let verdict = if passed { "all steps passed" } else { "FAILED" };
    println!("Total {}: {verdict}", seconds(total));
}

/// A duration as seconds with one decimal, e.g. `12.3 s`.
fn seconds(duration: Duration) -> String {
    format!("{:.1} s", duration.as_secs_f64())
}

/// Build tools, the browser and tshark.
fn ensure_all_tools() -> Outcome<Done> {
    tools::ensure_tools()?;
    tools::ensure_test_packages()?;
    Ok(Done::Passed)
}

/// `cargo fmt --all -- --check`.
fn fmt() -> Outcome<Done> {
    cargo(&["fmt", "--all", "--", "--check"])
}

/// Clippy over every crate but the UI, natively, all targets, warnings denied.
fn clippy_native() -> Outcome<Done> {
    cargo(&[
        "clippy",
        "--workspace",
        "--exclude",
        "dhcpfo-ui",
        "--all-targets",
        "--locked",
        "--",
        "-D",
        "warnings",
    ])
}

/// Clippy over the UI crate for the only target it runs on.
fn clippy_ui() -> Outcome<Done> {
    cargo(&[
        "clippy",
        "-p",
        "dhcpfo-ui",
        "--target",
        tools::WASM_TARGET,
        "--all-targets",
        "--locked",
        "--",
        "-D",
        "warnings",
    ])
}

/// Host tests of every crate but the UI (engine, command line, xtask).
fn host_tests() -> Outcome<Done> {
    cargo(&["test", "--workspace", "--exclude", "dhcpfo-ui", "--locked"])
}

/// The engine's `wasm_bindgen_test` tests, run in Node by wasm-bindgen-test-runner (the runner
/// is set in `.cargo/config.toml`); skipped while the engine has none.
fn engine_wasm_tests() -> Outcome<Done> {
    let engine = Path::new("crates/engine");
    if !shell::any_rust_file_contains(engine, "wasm_bindgen_test") {
        println!("The engine has no wasm_bindgen_test tests yet: skipping.");
        return Ok(Done::Skipped("engine has no wasm tests yet"));
    }
    cargo(&["test", "-p", "dhcpfo-engine", "--target", tools::WASM_TARGET, "--locked"])
}

/// The page's own wasm tests: model tests in Node, component tests in headless Chromium.
fn ui_wasm_tests() -> Outcome<Done> {
    cargo(&["test", "-p", "dhcpfo-ui", "--target", tools::WASM_TARGET, "--locked"])
}

/// `trunk build --release` into `dist/`.
fn release_build() -> Outcome<Done> {
    crate::release_build()?;
    Ok(Done::Passed)
}

/// Serves `dist/` from a thread on a free loopback port and runs the browser tests against it.
fn browser_tests() -> Outcome<Done> {
    let listener = server::bind(0)?;
    let port = listener.local_addr().map_err(|error| error.to_string())?.port();
    let dist = PathBuf::from("dist");
    thread::spawn(move || server::serve(listener, &dist, false));

    let base_url = format!("http://127.0.0.1:{port}/");
    println!("Serving dist/ at {base_url}");
    let chromium = std::env::var("CHROMIUM_PATH").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let mut node = shell::cmd("node", &["web/e2e/run.mjs"]);
    node.env("BASE_URL", &base_url).env("CHROMIUM_PATH", chromium);
    shell::run(&mut node)?;
    Ok(Done::Passed)
}

/// Runs cargo with these arguments.
fn cargo(args: &[&str]) -> Outcome<Done> {
    shell::run(shell::cargo().args(args))?;
    Ok(Done::Passed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_names_are_unique_and_fit_the_summary() {
        for (index, step) in STEPS.iter().enumerate() {
            assert!(step.name.len() <= 30, "{}", step.name);
            assert!(STEPS[..index].iter().all(|other| other.name != step.name));
        }
    }

    #[test]
    fn seconds_have_one_decimal() {
        assert_eq!(seconds(Duration::from_millis(12_345)), "12.3 s");
    }
}
