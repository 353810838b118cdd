//! `dhcpfo run`: the trace as text and as JSON Lines, `--until`, and pipes.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use dhcpfo_engine::scenario::{builtin, TimeSpec};
use serde_json::Value;

use common::{ok, Scratch};

fn json_lines(args: &[&str]) -> Vec<Value> {
    ok(args)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn every_json_line_has_the_contract_keys() {
    let steps = json_lines(&["run", "dhcprelease", "--format", "json"]);
    assert!(steps.len() > 40, "{} steps", steps.len());
    for (i, step) in steps.iter().enumerate() {
        for key in ["index", "time", "kind", "node", "summary", "why", "whys", "effects"] {
            assert!(step.get(key).is_some(), "step {i} lacks {key}: {step}");
        }
        assert_eq!(step["index"], i);
        assert!(["script", "receive", "timer"].contains(&step["kind"].as_str().unwrap()));
        for effect in step["effects"].as_array().unwrap() {
            let kind = effect["type"].as_str().expect("tagged effect");
            assert!(["sent", "lease", "client", "note"].contains(&kind), "{effect}");
            assert!(effect["why"].is_string(), "{effect}");
        }
    }
    let first = &steps[0];
    assert_eq!(
        (first["time"].as_str(), first["node"].as_str()),
        (Some("00:00:00.000"), Some("laptop"))
    );
}

#[test]
fn sent_effects_carry_the_whole_packet() {
    let steps = json_lines(&["run", "dhcprelease", "--format", "json"]);
    let release = steps
        .iter()
        .flat_map(|s| s["effects"].as_array().unwrap().iter())
        .find(|e| e["type"] == "sent" && e["packet"]["name"] == "DHCPRELEASE")
        .expect("a DHCPRELEASE is sent");
    let packet = &release["packet"];
    for key in ["id", "from", "to", "sent_at", "arrives_at", "body"] {
        assert!(packet.get(key).is_some(), "packet lacks {key}: {packet}");
    }
    assert_eq!(packet["from"], "laptop");
    assert_eq!(packet["to"], "secondary");
    assert_eq!(packet["sent_at"], "00:33:27.000");
    assert_eq!(packet["body"]["ciaddr"], "192.0.2.19");
}

#[test]
fn text_lines_show_time_step_and_reasons() {
    let text = ok(&["run", "dhcprelease", "--until", "00:00:00"]);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("00:00:00.000  #1  script: laptop boots"), "{}", lines[0]);
    assert!(lines[1].trim_start().starts_with("· "), "{}", lines[1]);
    let brief = ok(&["run", "dhcprelease", "--until", "00:00:00", "--brief"]);
    assert_eq!(brief.lines().count(), 2, "{brief}");
}

#[test]
fn until_stops_after_the_last_step_at_that_time() {
    let steps = json_lines(&["run", "dhcprelease", "--format", "json", "--until", "00:33:27.001"]);
    let last = steps.last().expect("some steps");
    assert_eq!(last["time"], "00:33:27.001");
    let all = json_lines(&["run", "dhcprelease", "--format", "json"]);
    assert_eq!(all[steps.len()]["time"], "00:33:27.002");
}

#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    let scratch = Scratch::new("pipe");
    let mut scenario = builtin("dhcprelease").unwrap();
    scenario.events.truncate(2);
    scenario.end = Some(TimeSpec::Text("24:00:00".into()));
    let path = scratch.file("long.toml", &scenario.to_toml());

    let mut child = Command::new(env!("CARGO_BIN_EXE_dhcpfo"))
        .args(["run", &path])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    // The reader is dropped here, as `head -1` would close it.
    let out = child.wait_with_output().unwrap();
    assert!(first.starts_with("00:00:00.000  #1"), "{first}");
    assert!(out.status.success(), "{:?}", out.status);
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}
