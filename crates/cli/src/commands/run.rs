//! `dhcpfo run SCENARIO [--until TIME] [--format text|json] [--brief]`: the trace.
//!
//! Text: one line per step, `HH:MM:SS.mmm  #N  summary`, then each reason on
//! its own indented line unless `--brief`. JSON: one object per line (JSON
//! Lines), the shape [`crate::json`] documents. Steps stream out as the world
//! takes them, so a long run starts printing at once and `| head` stops it.

use std::io::Write;
use std::process::ExitCode;

use dhcpfo_engine::timeline::MAX_STEPS;
use dhcpfo_engine::{Config, Step, World};

use crate::args::{Opt, Parsed};
use crate::error::CliError;
use crate::input;
use crate::json::StepJson;

/// The options `run` accepts.
pub const OPTS: &[Opt] =
    &[Opt::value("until", "TIME"), Opt::value("format", "text|json"), Opt::switch("brief")];

/// The help text.
pub const HELP: &str = "\
Print the trace of a scenario, one step a line.

Usage: dhcpfo run SCENARIO [--until TIME] [--format text|json] [--brief]

SCENARIO is a built-in name (see `dhcpfo list`) or a path to a TOML file.

Options:
  --until TIME           stop after the last step at or before TIME
                         (HH:MM:SS, HH:MM:SS.mmm, or seconds since the start)
  --format text|json     text (default): `HH:MM:SS.mmm  #N  summary` and the reasons;
                         json: one JSON object per step (JSON Lines) with index, time,
                         at_ms, kind, node, summary, why, whys and effects
  --brief                text only: leave out the reasons
  -h, --help             show this help
";

/// Indent of the reason lines under a step line.
const WHY_INDENT: &str = "              · ";

/// How steps are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    /// Sentences for people.
    Text { brief: bool },
    /// JSON Lines for programs.
    Json,
}

/// Runs the command.
pub fn main(args: &Parsed, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let loaded = input::load(args.single("SCENARIO")?)?;
    let until = args.value("until").map(|t| input::time("until", t)).transpose()?;
    let format = match args.value("format") {
        None | Some("text") => Format::Text { brief: args.switch("brief") },
        Some("json") => Format::Json,
        Some(other) => {
            return Err(args.usage(format!("--format is text or json, not '{other}'")));
        }
    };

    let cfg = loaded.config;
    let mut world = World::new(cfg.clone());
    let mut taken = 0;
    while let Some(step) = world.step() {
        if until.is_some_and(|u| step.at > u) {
            break;
        }
        write_step(out, &step, &cfg, format)?;
        taken += 1;
        if taken >= MAX_STEPS {
            out.flush()?;
            crate::warn(&format!("dhcpfo: the run stopped after {MAX_STEPS} steps"));
            break;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes one step in `format`.
fn write_step(
    out: &mut dyn Write,
    step: &Step,
    cfg: &Config,
    format: Format,
) -> Result<(), CliError> {
    match format {
        Format::Json => {
            serde_json::to_writer(&mut *out, &StepJson::of(step, cfg))
                .map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        Format::Text { brief } => {
            // Step N is the N-th step, as the page and share links count.
            let n = step.index + 1;
            writeln!(out, "{}  #{n}  {}", step.at.clock_millis(), step.summary(cfg))?;
            if !brief {
                for why in step.whys(cfg) {
                    writeln!(out, "{WHY_INDENT}{why}")?;
                }
            }
        }
    }
    Ok(())
}
