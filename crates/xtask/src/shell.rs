//! Running other programs: where the repository is, which `PATH` child processes see, and
//! small helpers that echo a command, run it and turn a bad exit into a message.

use std::env;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The result of a task or step; the error is a message meant for a person.
pub type Outcome<T = ()> = Result<T, String>;

/// The repository root: two levels above this crate's manifest.
pub fn repo_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.ancestors().nth(2).unwrap_or(manifest).to_path_buf()
}

/// Puts `web/node_modules/.bin` (wasm-opt from npm binaryen, which Trunk must find first) and
/// cargo's install directory (trunk, wasm-bindgen) in front of `PATH` for every child process.
pub fn prepare_path(root: &Path) {
    let front = [root.join("web/node_modules/.bin"), cargo_bin_dir()];
    let rest = env::var_os("PATH").unwrap_or_default();
    let rest = env::split_paths(&rest).filter(|dir| !front.contains(dir));
    let joined = env::join_paths(front.iter().cloned().chain(rest));
    if let Ok(path) = joined {
        env::set_var("PATH", path);
    }
}

/// Where `cargo install` puts binaries.
fn cargo_bin_dir() -> PathBuf {
    let root = env::var_os("CARGO_INSTALL_ROOT")
        .or_else(|| env::var_os("CARGO_HOME"))
        .map(PathBuf::from)
        .unwrap_or_else(|| home_dir().join(".cargo"));
    root.join("bin")
}

/// The user's home directory (`/root` when `HOME` is unset, as for root in CI).
fn home_dir() -> PathBuf {
    env::var_os("HOME").map_or_else(|| PathBuf::from("/root"), PathBuf::from)
}

/// The cargo that started this program (`cargo run` sets `CARGO`), or `cargo` on `PATH`.
pub fn cargo() -> Command {
    Command::new(env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo")))
}

/// A command from a program name and its arguments.
pub fn cmd(program: &str, args: &[&str]) -> Command {
    let mut command = Command::new(program);
    command.args(args);
    command
}

/// The command as a person would type it (program name without its directory).
pub fn describe(command: &Command) -> String {
    let program = Path::new(command.get_program());
    let name = program.file_name().unwrap_or(program.as_os_str());
    let words = std::iter::once(name).chain(command.get_args());
    words.map(|word| word.to_string_lossy()).collect::<Vec<_>>().join(" ")
}

/// Echoes and runs a command with inherited output; a failure names the command.
pub fn run(command: &mut Command) -> Outcome {
    let shown = describe(command);
    println!("$ {shown}");
    let status = command
        .stdin(Stdio::null())
        .status()
        .map_err(|error| format!("could not start `{shown}`: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// The trimmed standard output of a quiet, successful run, or `None`.
pub fn stdout_of(program: &str, args: &[&str]) -> Option<String> {
    let output = cmd(program, args).stdin(Stdio::null()).stderr(Stdio::null()).output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout).trim().to_string();
    output.status.success().then_some(text)
}

/// The first executable file called `program` on `PATH`.
pub fn find_on_path(program: &str) -> Option<PathBuf> {
    let path = env::var_os("PATH")?;
    env::split_paths(&path).map(|dir| dir.join(program)).find(|candidate| candidate.is_file())
}

/// Whether `dir` or any directory below it holds a file with this extension.
pub fn any_file(dir: &Path, extension: &str) -> bool {
    files_under(dir).iter().any(|file| file.extension().is_some_and(|ext| ext == extension))
}

/// Whether any `.rs` file at or below `dir` contains `needle`.
pub fn any_rust_file_contains(dir: &Path, needle: &str) -> bool {
    files_under(dir)
        .iter()
        .filter(|file| file.extension().is_some_and(|ext| ext == "rs"))
        .any(|file| std::fs::read_to_string(file).is_ok_and(|text| text.contains(needle)))
}

/// Every file at or below `dir` (none when it does not exist).
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&next) else {
            continue;
        };
        for path in entries.flatten().map(|entry| entry.path()) {
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describe_shows_the_command_line() {
        let command = cmd("/usr/bin/trunk", &["build", "--release"]);
        assert_eq!(describe(&command), "trunk build --release");
    }

    #[test]
    fn repo_root_holds_the_workspace_manifest() {
        let manifest = std::fs::read_to_string(repo_root().join("Cargo.toml")).unwrap();
        assert!(manifest.contains("[workspace]"));
    }

    #[test]
    fn finds_this_crate_source() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        assert!(any_file(&src, "rs"));
        assert!(any_rust_file_contains(&src, "fn any_rust_file_contains"));
        assert!(!any_file(&src.join("no-such-dir"), "rs"));
    }
}
