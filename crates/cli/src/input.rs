//! Turning command-line words into engine values: scenarios and instants.
//!
//! A SCENARIO word is a file path when it contains `/`, ends in `.toml` or
//! names an existing file; otherwise it is the name of a built-in scenario.
//! Every failure becomes a one-line [`CliError::Input`] that names the file
//! (or built-in) and the engine's location inside it (`line 4, column 7`,
//! `event[2].at`).

use std::path::Path;
use std::sync::Arc;

use dhcpfo_engine::scenario::builtin;
use dhcpfo_engine::{Config, Scenario, ScenarioError, Time};

use crate::error::CliError;

/// A scenario read and validated.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The scenario as written.
    pub scenario: Scenario,
    /// The scenario with every default applied.
    pub config: Arc<Config>,
}

/// Reads the scenario a SCENARIO word names and validates it.
pub fn load(word: &str) -> Result<Loaded, CliError> {
    if is_path(word) {
        let text = read_text(word)?;
        let scenario = Scenario::from_toml(&text).map_err(|e| located(word, &e))?;
        let config = scenario.validate().map_err(|e| located(word, &e))?;
        return Ok(Loaded { scenario, config });
    }
    let scenario = builtin(word).ok_or_else(|| {
        CliError::Input(format!(
            "no built-in scenario is named '{word}' and no file has that name \
             (`dhcpfo list` shows the built-ins)"
        ))
    })?;
    let label = format!("built-in scenario '{word}'");
    let config = scenario.validate().map_err(|e| located(&label, &e))?;
    Ok(Loaded { scenario, config })
}

/// Whether a SCENARIO word means a file rather than a built-in name.
pub fn is_path(word: &str) -> bool {
    word.contains('/') || word.ends_with(".toml") || Path::new(word).is_file()
}

/// A scenario error prefixed with the file or built-in it is in.
fn located(source: &str, error: &ScenarioError) -> CliError {
    CliError::Input(format!("{source}: {}: {}", error.location, error.message))
}

/// Parses the TIME value of `--flag`: `HH:MM:SS[.fff]`, `MM:SS` or seconds.
///
/// The virtual clock counts whole milliseconds, so digits beyond the third after
/// the point are dropped: the world at `00:33:27.0015` is the world at
/// `00:33:27.001`, since no event can fall between the two.
pub fn time(flag: &str, text: &str) -> Result<Time, CliError> {
    Time::parse(&to_millis(text)).map_err(|e| CliError::Input(format!("--{flag}: {e}")))
}

/// `text` with its fraction cut to three digits when every digit is a digit.
fn to_millis(text: &str) -> String {
    let text = text.trim();
    match text.split_once('.') {
        Some((whole, frac)) if frac.len() > 3 && frac.bytes().all(|b| b.is_ascii_digit()) => {
            format!("{whole}.{}", &frac[..3])
        }
        _ => text.to_string(),
    }
}

/// The largest scenario or configuration file read (1 MiB).
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// Reads a text file of at most [`MAX_FILE_BYTES`], so that a wrong path
/// (`/dev/zero`, a capture) fails fast instead of filling memory.
pub fn read_text(path: &str) -> Result<String, CliError> {
    use std::io::Read;
    let cannot = |e: std::io::Error| CliError::Input(format!("{path}: cannot read the file: {e}"));
    let file = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        let msg =
            format!("{path}: larger than {} KiB; is it the right file?", MAX_FILE_BYTES / 1024);
        return Err(CliError::Input(msg));
    }
    String::from_utf8(bytes).map_err(|_| CliError::Input(format!("{path}: not UTF-8 text")))
}

/// The world after every step at or before `at`, without keeping the trace.
/// An instant past the scenario's end, or beyond the step limit, is refused.
pub fn world_at(
    cfg: std::sync::Arc<dhcpfo_engine::Config>,
    at: Time,
) -> Result<dhcpfo_engine::World, CliError> {
    use dhcpfo_engine::timeline::MAX_STEPS;
    if at > cfg.end {
        let (at, end) = (at.clock(), cfg.end.clock());
        return Err(CliError::Input(format!("--at {at} is after the end of the run ({end})")));
    }
    let mut world = dhcpfo_engine::World::new(cfg);
    let mut steps = 0usize;
    while world.step_until(at).is_some() {
        steps += 1;
        if steps >= MAX_STEPS && world.next_event_at().is_some_and(|t| t <= at) {
            let reached = world.now().clock_millis();
            let msg =
                format!("the run reaches the {MAX_STEPS}-step limit at {reached}, before --at");
            return Err(CliError::Input(msg));
        }
    }
    Ok(world)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_paths_from_names() {
        assert!(is_path("scenarios/x.toml"));
        assert!(is_path("x.toml"));
        assert!(is_path("./x"));
        assert!(!is_path("dhcprelease"));
    }

    #[test]
    fn times_keep_whole_milliseconds() {
        assert_eq!(time("at", "00:33:27.0015").unwrap(), Time(2_007_001));
        assert_eq!(time("at", "00:33:27.5").unwrap(), Time(2_007_500));
        assert_eq!(time("at", "2007").unwrap(), Time(2_007_000));
        let err = time("at", "00:61:00").unwrap_err().to_string();
        assert!(err.starts_with("--at: "), "{err}");
        assert!(time("at", "soon").is_err());
        assert!(time("at", "00:00:01.12x4").is_err());
    }

    #[test]
    fn unknown_names_point_at_the_list() {
        let err = load("no-such-scenario").unwrap_err().to_string();
        assert!(err.contains("'no-such-scenario'") && err.contains("dhcpfo list"), "{err}");
    }
}
