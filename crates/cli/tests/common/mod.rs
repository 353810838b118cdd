//! Helpers shared by the integration tests: run the real `dhcpfo` binary, and
//! make scratch directories the tests own.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

/// Runs `dhcpfo` with `args` and waits for it.
pub fn dhcpfo(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dhcpfo")).args(args).output().expect("dhcpfo starts")
}

/// Standard output as text.
pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

/// Standard error as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("stderr is UTF-8")
}

/// Runs `dhcpfo`, expects success, and returns standard output.
pub fn ok(args: &[&str]) -> String {
    let out = dhcpfo(args);
    assert!(out.status.success(), "dhcpfo {args:?} failed: {}", stderr(&out));
    stdout(&out)
}

/// A fresh, empty directory for one test, removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    /// A directory named after the test and this process.
    pub fn new(test: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("dhcpfo-cli-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch directory");
        Scratch(dir)
    }

    /// Writes `text` to `name` inside and returns the path as a string.
    pub fn file(&self, name: &str, text: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, text).expect("write scratch file");
        path.to_str().expect("UTF-8 temp path").to_string()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
