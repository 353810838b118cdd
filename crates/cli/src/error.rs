//! What can go wrong on the command line, and the exit code each failure gives.
//!
//! Exit codes: 0 success, 1 `dhcpfo check` found a violation (decided by the
//! command, not here), 2 anything the user can fix (a bad command line, a bad
//! scenario, time or link) or a command that is not built yet. A closed output
//! pipe is not an error: the caller stops quietly.

use std::io;
use std::process::ExitCode;

/// A failure that ends the command.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The command line itself is wrong: unknown command or option, missing value.
    #[error("{} (see `{}`)", .message, help_hint(.command))]
    Usage {
        /// The command whose help explains the right form (`run`, `state`, or empty).
        command: String,
        /// What is wrong.
        message: String,
    },
    /// A scenario, time, step or link given on the command line is bad.
    #[error("{0}")]
    Input(String),
    /// Writing to standard output failed.
    #[error("cannot write the output: {0}")]
    Output(#[from] io::Error),
}

/// The help command to point at: `dhcpfo run --help`, or `dhcpfo --help` at the top.
fn help_hint(command: &str) -> String {
    if command.is_empty() {
        "dhcpfo --help".into()
    } else {
        format!("dhcpfo {command} --help")
    }
}

impl CliError {
    /// A usage error of `command` (empty for the top level).
    pub fn usage(command: &str, message: impl Into<String>) -> CliError {
        CliError::Usage { command: command.into(), message: message.into() }
    }

    /// Whether this is standard output closing early (`dhcpfo run x | head`).
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, CliError::Output(e) if e.kind() == io::ErrorKind::BrokenPipe)
    }

    /// The process exit code for this failure.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(2)
    }

    /// The message as one line, whatever the parts it quotes contain.
    pub fn one_line(&self) -> String {
        let text = self.to_string();
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}
