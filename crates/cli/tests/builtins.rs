//! `dhcpfo list` and `dhcpfo check` over the whole built-in library.

mod common;

use dhcpfo_engine::scenario::builtin;
use dhcpfo_engine::BUILTINS;

use common::{dhcpfo, ok, stdout};

#[test]
fn list_shows_every_builtin_with_its_title() {
    let list = ok(&["list"]);
    assert_eq!(list.lines().count(), BUILTINS.len(), "{list}");
    for (line, b) in list.lines().zip(BUILTINS) {
        let title = builtin(b.name).unwrap().title;
        assert!(line.starts_with(b.name), "{line}");
        assert!(line.contains(&title), "{line} lacks {title}");
    }
}

/// The built-in that trips the safety monitor on purpose.
const SPLIT_BRAIN: &str = "split-brain";

#[test]
fn every_builtin_checks_clean() {
    for b in BUILTINS.iter().filter(|b| b.name != SPLIT_BRAIN) {
        let out = dhcpfo(&["check", b.name]);
        let text = stdout(&out);
        assert_eq!(out.status.code(), Some(0), "{}: {text}", b.name);
        assert_eq!(text.lines().count(), 1, "{}: {text}", b.name);
        assert!(text.starts_with("ok: "), "{}: {text}", b.name);
    }
}

#[test]
fn the_split_brain_is_reported() {
    let out = dhcpfo(&["check", SPLIT_BRAIN]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("configured on both"), "{text}");
    assert!(text.contains("FAILED"), "{text}");
}

#[test]
fn help_and_version_answer() {
    assert!(ok(&["--version"]).starts_with("dhcpfo "));
    let top = ok(&["--help"]);
    for command in ["run", "state", "check", "pcap", "leases", "url", "list"] {
        assert!(top.contains(command), "{top}");
        let help = ok(&[command, "--help"]);
        assert!(help.contains(&format!("dhcpfo {command}")), "{help}");
        assert_eq!(help, ok(&["help", command]));
    }
}
