//! `cargo xtask`: set-up and orchestration for the playground, written in Rust so that a fresh
//! machine needs nothing but cargo, Node and (for the browser tests) Debian's package manager.
//!
//! Tasks:
//!
//! - `serve [--port N]`: install missing tools, build the release bundle into `dist/` and serve
//!   it on 127.0.0.1 (default port 8080) until Ctrl-C.
//! - `test`: install missing tools, then fmt, clippy, host tests, engine and page tests in
//!   WebAssembly, the release build and the browser tests, stopping at the first failure.
//! - `test-long`: the engine's property tests over 5,000 random scenarios each (release build).
//! - `bench`: the engine's benchmarks natively and in WebAssembly, then the size report.
//! - `dist [--check-size]`: the release build and its size report; with `--check-size` a bundle
//!   over the budget fails the task.
//!
//! Every tool version is pinned (see `tools`), and nothing is fetched from outside the crates,
//! npm and Debian package registries.

mod args;
mod check;
mod server;
mod shell;
mod size;
mod tools;

use std::path::Path;
use std::process::ExitCode;

use args::Task;
use shell::Outcome;

fn main() -> ExitCode {
    let task = match args::parse(std::env::args().skip(1)) {
        Ok(task) => task,
        Err(message) => {
            eprintln!("error: {message}\n\n{}", args::USAGE);
            return ExitCode::from(2);
        }
    };
    let root = shell::repo_root();
    if let Err(error) = std::env::set_current_dir(&root) {
        eprintln!("error: cannot enter the repository root {}: {error}", root.display());
        return ExitCode::FAILURE;
    }
    shell::prepare_path(&root);
    match run(task) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\nerror: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Runs one task from the repository root.
fn run(task: Task) -> Outcome {
    match task {
        Task::Help => {
            println!("{}", args::USAGE);
            Ok(())
        }
        Task::Serve { port } => serve(port),
        Task::Test => check::run_all(),
        Task::TestLong => test_long(),
        Task::Bench => bench(),
        Task::Dist { check_size } => dist(check_size),
    }
}

/// `cargo xtask serve`: release build, then the static server in the foreground.
fn serve(port: u16) -> Outcome {
    // Take the port first, so that a busy one is reported before a long build.
    let listener = server::bind(port).map_err(|error| {
        format!("{error}\n(another program uses the port: try `cargo xtask serve --port 8081`)")
    })?;
    tools::ensure_tools()?;
    release_build()?;
    println!("\nServing dist/ at http://{}/ (Ctrl-C to stop)", listener_addr(&listener));
    server::serve(listener, Path::new("dist"), true);
    Ok(())
}

/// `cargo xtask bench`: the engine's benchmarks (when there are any) and the size report.
fn bench() -> Outcome {
    if has_engine_benches() {
        shell::run(shell::cargo().args(["bench", "-p", "dhcpfo-engine"]))?;
    } else {
        println!("No benchmarks in crates/engine/benches yet: skipping `cargo bench`.");
    }
    wasm_bench()?;
    dist(false)
}

/// `cargo xtask test-long`: many more random scenarios than the test command runs.
fn test_long() -> Outcome {
    let args = ["test", "--release", "-p", "dhcpfo-engine", "--test", "properties"];
    shell::run(shell::cargo().env("PROPTEST_CASES", "5000").args(args))
}

/// The engine's speed compiled to WebAssembly and run in Node (the ignored
/// `wasm_speed` test prints its figures; it asserts nothing about time).
fn wasm_bench() -> Outcome {
    tools::ensure_tools()?;
    let args = [
        "test",
        "--release",
        "-p",
        "dhcpfo-engine",
        "--target",
        "wasm32-unknown-unknown",
        "--test",
        "wasm_speed",
        "--",
        "--include-ignored",
        "--nocapture",
    ];
    shell::run(shell::cargo().args(args))
}

/// `cargo xtask dist`: release build and size report; `check_size` turns OVER BUDGET into a
/// failure.
fn dist(check_size: bool) -> Outcome {
    tools::ensure_tools()?;
    release_build()?;
    let report = size::measure(Path::new("dist"))?;
    report.print();
    if check_size && report.over_budget() {
        return Err("the release bundle is over the size budget".to_string());
    }
    Ok(())
}

/// `trunk build --release` into `dist/`.
fn release_build() -> Outcome {
    shell::run(&mut shell::cmd("trunk", &["build", "--release"]))
}

/// Whether the engine crate has benchmark targets to run.
fn has_engine_benches() -> bool {
    let manifest = std::fs::read_to_string("crates/engine/Cargo.toml").unwrap_or_default();
    manifest.contains("[[bench]]") || shell::any_file(Path::new("crates/engine/benches"), "rs")
}

/// The address a listener is bound to, as `host:port`.
fn listener_addr(listener: &std::net::TcpListener) -> String {
    listener.local_addr().map(|addr| addr.to_string()).unwrap_or_else(|_| "127.0.0.1".to_string())
}
