//! `dhcpfo`: the DHCP Failover Playground engine on the command line.
//!
//! The same deterministic engine the browser runs, for tests, benchmarks and
//! people in a terminal: `run` prints the trace, `state` the JSON snapshot at
//! an instant, `check` runs the safety invariants, `url` makes and reads share
//! links, `list` shows the built-in scenarios, `pcap` writes a capture file,
//! `leases` a server's dhcpd.leases, and `import` turns a dhcpd.conf into a
//! scenario.
//!
//! Output goes to standard output through one buffer; errors are one line on
//! standard error. Exit status: 0 success, 1 `check` found violations, 2 bad
//! input. A reader that stops early (`| head`)
//! ends the run quietly.

mod args;
mod commands;
mod error;
mod input;
mod json;

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use commands::COMMANDS;
use error::CliError;

/// The version line `--version` prints.
const VERSION: &str = concat!("dhcpfo ", env!("CARGO_PKG_VERSION"));

fn main() -> ExitCode {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let result = words().and_then(|w| dispatch(&w, &mut out)).and_then(|code| {
        out.flush()?;
        Ok(code)
    });
    match result {
        Ok(code) => code,
        Err(e) if e.is_broken_pipe() => ExitCode::SUCCESS,
        Err(e) => {
            // Whatever was printed before the failure still goes out first.
            let _ = out.flush();
            warn(&format!("dhcpfo: {}", e.one_line()));
            e.exit_code()
        }
    }
}

/// The command-line words after the program name, which must be UTF-8.
fn words() -> Result<Vec<String>, CliError> {
    std::env::args_os()
        .skip(1)
        .enumerate()
        .map(|(i, w)| {
            w.into_string().map_err(|w| {
                CliError::usage("", format!("argument {} ({w:?}) is not valid UTF-8", i + 1))
            })
        })
        .collect()
}

/// Picks the command named by the first word and runs it on the rest.
fn dispatch(words: &[String], out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let Some((first, rest)) = words.split_first() else {
        warn(&top_help());
        return Ok(ExitCode::from(2));
    };
    match first.as_str() {
        "-h" | "--help" => return print(out, &top_help()),
        "-V" | "--version" => return print(out, &format!("{VERSION}\n")),
        "help" => return help(rest, out),
        _ => {}
    }
    let command = commands::find(first)
        .ok_or_else(|| CliError::usage("", format!("unknown command '{first}'")))?;
    let parsed = args::parse(command.name, rest, command.opts)?;
    if parsed.help {
        return print(out, command.help);
    }
    (command.main)(&parsed, out)
}

/// `dhcpfo help [COMMAND]`.
fn help(rest: &[String], out: &mut dyn Write) -> Result<ExitCode, CliError> {
    match rest {
        [] => print(out, &top_help()),
        [name] => match commands::find(name) {
            Some(command) => print(out, command.help),
            None => Err(CliError::usage("", format!("unknown command '{name}'"))),
        },
        [_, extra, ..] => Err(CliError::usage("", format!("unexpected argument '{extra}'"))),
    }
}

/// The top-level help: what `dhcpfo` is and its commands.
fn top_help() -> String {
    let mut text = format!(
        "{VERSION}: run the DHCP Failover Playground engine (an ISC dhcpd failover pair and \
         its clients on a virtual clock).\n\nUsage: dhcpfo COMMAND [ARGS]\n\nCommands:\n"
    );
    for c in COMMANDS {
        text.push_str(&format!("  {:8}{}\n", c.name, c.summary));
    }
    text.push_str(
        "\nSCENARIO is a built-in name (see `dhcpfo list`) or a path to a TOML file.\n\
         TIME is HH:MM:SS, HH:MM:SS.mmm, or seconds since the scenario start.\n\
         `dhcpfo COMMAND --help` explains one command; `dhcpfo --version` prints the version.\n",
    );
    text
}

/// Writes `text` to the output and succeeds.
fn print(out: &mut dyn Write, text: &str) -> Result<ExitCode, CliError> {
    out.write_all(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// Writes a line to standard error, ignoring a closed stream.
pub fn warn(text: &str) {
    let _ = writeln!(io::stderr(), "{}", text.trim_end());
}
