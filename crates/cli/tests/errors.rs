//! Bad input: exit status 2 and one line on standard error naming the place.

mod common;

use common::{dhcpfo, stderr, stdout, Scratch};

/// Runs `dhcpfo`, expects exit 2 with nothing on stdout, and returns the message.
fn refused(args: &[&str]) -> String {
    let out = dhcpfo(args);
    let message = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {message}");
    assert!(stdout(&out).is_empty(), "{args:?} printed {}", stdout(&out));
    assert_eq!(message.lines().count(), 1, "{args:?}: {message}");
    assert!(message.starts_with("dhcpfo: "), "{message}");
    assert!(!message.contains("panicked"), "{message}");
    message
}

const GOOD_HEAD: &str = "title = \"t\"\n[pool]\nsubnet = \"192.0.2.0/24\"\n\
                         range = [\"192.0.2.10\", \"192.0.2.20\"]\n";

#[test]
fn toml_syntax_errors_name_the_file_line_and_column() {
    let scratch = Scratch::new("syntax");
    // Line 4 lacks the comma between the two addresses.
    let text = GOOD_HEAD.replace("\", \"", "\" \"");
    let path = scratch.file("broken.toml", &text);
    let message = refused(&["run", &path]);
    assert!(message.contains(&path), "{message}");
    assert!(message.contains("line 4"), "{message}");
    assert!(message.contains("column"), "{message}");
}

#[test]
fn invalid_values_name_the_field() {
    let scratch = Scratch::new("invalid");
    let text = format!(
        "{GOOD_HEAD}[[client]]\nname = \"a\"\nmac = \"02:00:00:00:00:01\"\n\
         [[event]]\nat = \"00:00:00\"\nclient = \"a\"\naction = \"boot\"\n\
         [[event]]\nat = \"00:61:00\"\nclient = \"a\"\naction = \"release\"\n"
    );
    let path = scratch.file("invalid.toml", &text);
    for command in ["run", "check", "url"] {
        let message = refused(&[command, &path]);
        assert!(message.contains(&path) && message.contains("event[1].at"), "{message}");
    }
    let message = refused(&["state", &path, "--at", "10"]);
    assert!(message.contains("event[1].at"), "{message}");
}

#[test]
fn unknown_fields_and_names_are_named() {
    let scratch = Scratch::new("unknown");
    let path = scratch.file("extra.toml", &format!("bogus = 1\n{GOOD_HEAD}"));
    assert!(refused(&["check", &path]).contains("bogus"));
    assert!(refused(&["run", "no-such-scenario"]).contains("'no-such-scenario'"));
    let missing = scratch.0.join("missing.toml");
    let missing = missing.to_str().unwrap();
    let message = refused(&["run", missing]);
    assert!(message.contains(missing) && message.contains("cannot read"), "{message}");
}

#[test]
fn bad_times_and_options_are_named() {
    assert!(refused(&["state", "dhcprelease", "--at", "00:61:00"]).contains("--at"));
    assert!(refused(&["state", "dhcprelease", "--at", "soon"]).contains("--at"));
    assert!(refused(&["run", "dhcprelease", "--until", "x"]).contains("--until"));
    assert!(refused(&["run", "dhcprelease", "--frobnicate"]).contains("'--frobnicate'"));
    assert!(refused(&["run", "dhcprelease", "--format", "xml"]).contains("xml"));
    assert!(refused(&["run"]).contains("SCENARIO"));
    assert!(refused(&["frobnicate"]).contains("'frobnicate'"));
    assert!(refused(&["url", "--decode", "not a link"]).contains("--decode"));
}

#[test]
fn leases_needs_a_known_server() {
    let message = refused(&["leases", "dhcprelease", "--at", "10", "--server", "tertiary"]);
    assert!(message.contains("--server"), "{message}");
    assert!(refused(&["leases", "dhcprelease", "--server", "primary"]).contains("--at"));
}

#[test]
fn state_after_the_end_of_the_run_is_refused() {
    let message = refused(&["state", "dhcprelease", "--at", "25:00:00"]);
    assert!(message.contains("after the end of the run (00:38:27)"), "{message}");
}

#[test]
fn a_file_that_is_not_a_scenario_is_refused_quickly() {
    let dir = common::Scratch::new("big-file");
    let path = dir.0.join("big.toml");
    std::fs::write(&path, vec![b'#'; 2 * 1024 * 1024]).unwrap();
    let message = refused(&["check", path.to_str().unwrap()]);
    assert!(message.contains("larger than 1024 KiB"), "{message}");
}
