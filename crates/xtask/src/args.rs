//! The command line of `cargo xtask`: a task name and its few options.

/// What `cargo xtask` prints for `help` and after a usage error.
pub const USAGE: &str = "\
usage: cargo xtask <task> [options]

tasks:
  serve [--port N]     build the release bundle and serve dist/ on 127.0.0.1 (default port 8080)
  test                 fmt, clippy, host and wasm tests, release build, browser tests
  test-long            the engine's property tests with many more random scenarios
  bench                the engine's benchmarks (native and wasm) and the release size report
  dist [--check-size]  release build and size report; --check-size fails over budget
  help                 this text";

/// The port `serve` uses unless `--port` says otherwise.
pub const DEFAULT_PORT: u16 = 8080;

/// One task to run, with its options.
#[derive(Debug, PartialEq, Eq)]
pub enum Task {
    /// Print the usage text.
    Help,
    /// Build and serve on 127.0.0.1 at this port.
    Serve {
        /// The TCP port to listen on.
        port: u16,
    },
    /// The whole test pipeline.
    Test,
    /// The property tests with a large case count.
    TestLong,
    /// Benchmarks plus the size report.
    Bench,
    /// Release build plus the size report.
    Dist {
        /// Fail when the bundle is over the size budget.
        check_size: bool,
    },
}

/// Reads the task and its options from the arguments after `xtask`.
pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Task, String> {
    let mut args = args.into_iter();
    let name = args.next().unwrap_or_else(|| "help".to_string());
    let rest: Vec<String> = args.collect();
    // `cargo xtask TASK --help` shows the usage too.
    if rest.iter().any(|a| a == "--help" || a == "-h") {
        return Ok(Task::Help);
    }
    match name.as_str() {
        "help" | "--help" | "-h" => no_options(&rest, Task::Help),
        "serve" => parse_serve(&rest),
        "test" => no_options(&rest, Task::Test),
        "test-long" => no_options(&rest, Task::TestLong),
        "bench" => no_options(&rest, Task::Bench),
        "dist" => parse_dist(&rest),
        other => Err(format!("unknown task `{other}`")),
    }
}

/// `serve [--port N]`.
fn parse_serve(rest: &[String]) -> Result<Task, String> {
    match rest {
        [] => Ok(Task::Serve { port: DEFAULT_PORT }),
        [flag, value] if flag == "--port" => parse_port(value).map(|port| Task::Serve { port }),
        _ => Err(format!("serve takes only `--port N`, got `{}`", rest.join(" "))),
    }
}

/// `dist [--check-size]`.
fn parse_dist(rest: &[String]) -> Result<Task, String> {
    match rest {
        [] => Ok(Task::Dist { check_size: false }),
        [flag] if flag == "--check-size" => Ok(Task::Dist { check_size: true }),
        _ => Err(format!("dist takes only `--check-size`, got `{}`", rest.join(" "))),
    }
}

/// A task that takes no options.
fn no_options(rest: &[String], task: Task) -> Result<Task, String> {
    match rest.first() {
        None => Ok(task),
        Some(extra) => Err(format!("unexpected argument `{extra}`")),
    }
}

/// A TCP port from 1 to 65535.
fn parse_port(value: &str) -> Result<u16, String> {
    match value.parse::<u16>() {
        Ok(port) if port > 0 => Ok(port),
        _ => Err(format!("`{value}` is not a TCP port (1-65535)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(line: &str) -> Result<Task, String> {
        parse(line.split_whitespace().map(str::to_string))
    }

    #[test]
    fn help_after_a_task_shows_the_usage() {
        assert_eq!(parse_str("serve --help"), Ok(Task::Help));
        assert_eq!(parse_str("test -h"), Ok(Task::Help));
    }

    #[test]
    fn tasks_and_defaults() {
        assert_eq!(parse_str(""), Ok(Task::Help));
        assert_eq!(parse_str("serve"), Ok(Task::Serve { port: 8080 }));
        assert_eq!(parse_str("serve --port 9000"), Ok(Task::Serve { port: 9000 }));
        assert_eq!(parse_str("test"), Ok(Task::Test));
        assert_eq!(parse_str("bench"), Ok(Task::Bench));
        assert_eq!(parse_str("dist"), Ok(Task::Dist { check_size: false }));
        assert_eq!(parse_str("dist --check-size"), Ok(Task::Dist { check_size: true }));
    }

    #[test]
    fn bad_arguments_are_errors() {
        assert!(parse_str("deploy").is_err());
        assert!(parse_str("serve --port 0").is_err());
        assert!(parse_str("serve --port 70000").is_err());
        assert!(parse_str("serve --port").is_err());
        assert!(parse_str("test --fast").is_err());
        assert!(parse_str("dist --check").is_err());
    }
}
