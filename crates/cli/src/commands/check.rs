//! `dhcpfo check SCENARIO`: validate, run to the end, and watch the invariants.
//!
//! The safety checker ([`invariant::check`]) runs before the first step and
//! after every step. A violation is printed when it appears (with the time and
//! the step that caused it), not again for every later step it persists
//! through. Exit 1 when anything was found, 0 with a one-line summary
//! otherwise.

use std::io::Write;
use std::process::ExitCode;

use dhcpfo_engine::invariant;
use dhcpfo_engine::timeline::MAX_STEPS;
use dhcpfo_engine::Why;
use dhcpfo_engine::{Time, World};

use crate::args::{Opt, Parsed};
use crate::error::CliError;
use crate::input;

/// The options `check` accepts.
pub const OPTS: &[Opt] = &[];

/// The help text.
pub const HELP: &str = "\
Validate a scenario, run it to the end, and check the safety invariants after
every step (no address on two clients; every client's address active for it on
the server that granted it).

Usage: dhcpfo check SCENARIO

SCENARIO is a built-in name (see `dhcpfo list`) or a path to a TOML file.
Each violation is printed with the time and step that revealed it.

Exit status: 0 no violation, 1 violations found or the run was cut at the step
limit before its end, 2 the scenario is invalid.

Options:
  -h, --help     show this help
";

/// What a run found.
#[derive(Debug, Default)]
struct Tally {
    /// Steps taken.
    steps: usize,
    /// Violations that appeared.
    violations: usize,
    /// Time of the last step.
    last_at: Time,
    /// Whether the run hit the step limit before the end.
    truncated: bool,
}

/// Runs the command.
pub fn main(args: &Parsed, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let loaded = input::load(args.single("SCENARIO")?)?;
    let cfg = loaded.config;
    let tally = watch(World::new(cfg.clone()), out)?;

    let end = cfg.end.clock();
    let limit = if tally.truncated {
        format!(", stopped at the {MAX_STEPS}-step limit")
    } else {
        String::new()
    };
    if tally.violations > 0 {
        writeln!(
            out,
            "FAILED: {} violation(s) in {} steps (last step at {}, scenario ends {end}{limit})",
            tally.violations,
            tally.steps,
            tally.last_at.clock_millis()
        )?;
        return Ok(ExitCode::from(1));
    }
    if tally.truncated {
        writeln!(
            out,
            "INCOMPLETE: no violations in {} steps, but the run stopped at the {MAX_STEPS}-step \
             limit at {}, before the scenario's end {end}",
            tally.steps,
            tally.last_at.clock_millis()
        )?;
        return Ok(ExitCode::from(1));
    }
    writeln!(
        out,
        "ok: {} steps, no violations (last step at {}, scenario ends {end})",
        tally.steps,
        tally.last_at.clock_millis()
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Steps `world` to its end, printing each violation as it appears.
fn watch(mut world: World, out: &mut dyn Write) -> Result<Tally, CliError> {
    let mut tally = Tally::default();
    // The whole world once at the start; after that the engine's monitor checks
    // the addresses each step touches and records what it finds in the step.
    for v in invariant::check(&world) {
        writeln!(out, "start  {}: {}", v.address, v.message)?;
        tally.violations += 1;
    }
    while let Some(step) = world.step() {
        tally.steps += 1;
        tally.last_at = step.at;
        for e in &step.effects {
            if let Why::SafetyViolation { address, message } = e.why() {
                let n = step.index + 1;
                writeln!(out, "{}  #{n}  {address}: {message}", step.at.clock_millis())?;
                tally.violations += 1;
            }
        }
        if tally.steps >= MAX_STEPS {
            tally.truncated = world.next_event_at().is_some();
            break;
        }
    }
    Ok(tally)
}
