//! `dhcpfo url`: share links out, scenarios back.
//!
//! `dhcpfo url SCENARIO [--step N] [--base URL]` prints the link that opens the
//! scenario at step N in the playground: the base, `#`, and the engine's
//! `v1.<payload>.<step>` fragment. `dhcpfo url --decode URL` takes a link (or
//! only its fragment) and prints the scenario as TOML, headed by a comment
//! line `# step = N`, so the output is itself a scenario file.

use std::io::Write;
use std::process::ExitCode;

use dhcpfo_engine::{share, Timeline};

use crate::args::{Opt, Parsed};
use crate::error::CliError;
use crate::input;

/// Where the playground is served by default (`cargo xtask serve`).
pub const DEFAULT_BASE: &str = "http://127.0.0.1:8080/";

/// The options `url` accepts.
pub const OPTS: &[Opt] =
    &[Opt::value("step", "N"), Opt::value("base", "URL"), Opt::value("decode", "URL")];

/// The help text.
pub const HELP: &str = "\
Make a share link for a scenario, or turn a share link back into a scenario.

Usage: dhcpfo url SCENARIO [--step N] [--base URL]
       dhcpfo url --decode URL

SCENARIO is a built-in name (see `dhcpfo list`) or a path to a TOML file.

Options:
  --step N        the step the link opens at (default 0, the start)
  --base URL      the playground's address (default http://127.0.0.1:8080/)
  --decode URL    print the scenario inside a link (or a bare #fragment) as TOML,
                  after a first line `# step = N`; the output is a valid scenario file
  -h, --help      show this help
";

/// Runs the command.
pub fn main(args: &Parsed, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    match args.value("decode") {
        Some(link) => {
            if let Some(extra) = args.positionals().first() {
                return Err(args.usage(format!("--decode takes no SCENARIO, but got '{extra}'")));
            }
            if args.value("step").is_some() || args.value("base").is_some() {
                return Err(args.usage("--step and --base make links; --decode reads one"));
            }
            decode(link, out)
        }
        None => encode(args, out),
    }
}

/// Prints the link for SCENARIO at `--step`.
fn encode(args: &Parsed, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let loaded = input::load(args.single("SCENARIO")?)?;
    let step = match args.value("step") {
        None => 0,
        Some(text) => text.trim().parse::<usize>().map_err(|_| {
            CliError::Input(format!("--step: '{text}' is not a step number (0, 1, 2, ...)"))
        })?,
    };
    if step > 0 {
        let steps = Timeline::run(loaded.config.clone()).steps().len();
        if step > steps {
            return Err(CliError::Input(format!(
                "--step: {step} is past the end; the trace has {steps} steps"
            )));
        }
    }
    let base = args.value("base").unwrap_or(DEFAULT_BASE);
    let base = base.split_once('#').map_or(base, |(before, _)| before);
    let fragment = share::encode(&loaded.scenario, step);
    if fragment.len() > share::MAX_FRAGMENT {
        let msg = format!(
            "the link would be {} characters, more than the {} a link may carry; \
             share the scenario file instead",
            fragment.len(),
            share::MAX_FRAGMENT
        );
        return Err(CliError::Input(msg));
    }
    writeln!(out, "{base}#{fragment}")?;
    Ok(ExitCode::SUCCESS)
}

/// Prints the scenario and step inside `link`.
fn decode(link: &str, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let fragment = link.split_once('#').map_or(link, |(_, after)| after);
    let (scenario, step) = share::decode(fragment)
        .map_err(|e| CliError::Input(format!("--decode: cannot open the link: {e}")))?;
    writeln!(out, "# step = {step}")?;
    write!(out, "{}", scenario.to_toml())?;
    Ok(ExitCode::SUCCESS)
}
