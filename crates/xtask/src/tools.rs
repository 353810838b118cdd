//! The "ensure tools" step: checks each pinned tool and installs only what is missing or has
//! the wrong version, printing one line per tool. Fast and idempotent when all is present.
//!
//! Sources: the wasm32 target from rustup, trunk and wasm-bindgen-cli from crates.io with
//! `cargo install`, wasm-opt (npm `binaryen`), `terser` (the release build's JavaScript
//! minifier, run by a Trunk hook) and `playwright-core` with `npm ci` in `web/`,
//! and Chromium with its driver from Debian. Trunk runs offline (see `Trunk.toml`), so a tool
//! that is still missing ends the build with a clear message instead of a download.

use std::path::Path;
use std::time::SystemTime;

use crate::shell::{self, Outcome};

/// The Rust target the UI and the engine's browser-side tests are built for.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// What `wasm-opt --version` must show in parentheses; equals `[tools] wasm_opt` in Trunk.toml.
const WASM_OPT_VERSION: &str = "version_132";

/// The oldest Node major version that playwright-core supports.
const NODE_MIN_MAJOR: u32 = 20;

/// A tool installed from crates.io with `cargo install`.
struct CargoTool {
    /// The binary name, which must print `NAME VERSION` for `--version`.
    program: &'static str,
    /// The crate that provides it.
    krate: &'static str,
    /// The exact version wanted.
    version: &'static str,
    /// Retry without `--locked` when the locked install fails (a lockfile entry the registry
    /// no longer serves).
    unlocked_fallback: bool,
}

/// Trunk, the bundler; 0.21.x is the newest line that builds with our rustc.
const TRUNK: CargoTool =
    CargoTool { program: "trunk", krate: "trunk", version: "0.21.14", unlocked_fallback: false };

/// wasm-bindgen-cli; must equal the `=` pin of `wasm-bindgen` in crates/ui/Cargo.toml.
const WASM_BINDGEN: CargoTool = CargoTool {
    program: "wasm-bindgen",
    krate: "wasm-bindgen-cli",
    version: "0.2.130",
    unlocked_fallback: true,
};

/// Ensures everything the build needs: the wasm target, trunk, wasm-bindgen, Node and the npm
/// packages (with wasm-opt checked).
pub fn ensure_tools() -> Outcome {
    ensure_wasm_target()?;
    ensure_cargo_tool(&TRUNK)?;
    ensure_cargo_tool(&WASM_BINDGEN)?;
    ensure_node()?;
    ensure_node_modules(Path::new("web"))?;
    check_wasm_opt()
}

/// Ensures the Debian packages the tests use, installing the missing ones: Chromium and
/// chromedriver for the browser tests, tshark for the capture tests.
pub fn ensure_test_packages() -> Outcome {
    let label = "chromium, chromedriver, tshark (Debian)";
    let wanted =
        [("chromium", "chromium"), ("chromedriver", "chromium-driver"), ("tshark", "tshark")];
    let missing: Vec<&str> = wanted
        .iter()
        .filter(|(program, _)| shell::find_on_path(program).is_none())
        .map(|(_, package)| *package)
        .collect();
    if missing.is_empty() {
        println!("{label}: present");
        return Ok(());
    }
    let list = missing.join(" ");
    println!("{label}: installing (apt-get install -y {list})");
    if shell::stdout_of("id", &["-u"]).as_deref() != Some("0") {
        return Err(format!(
            "installing {list} needs root: run `apt-get update && apt-get install -y {list}`, \
             then try again"
        ));
    }
    shell::run(shell::cmd("apt-get", &["update"]).env("DEBIAN_FRONTEND", "noninteractive"))?;
    let mut install = vec!["install", "-y"];
    install.extend(missing.iter().copied());
    shell::run(shell::cmd("apt-get", &install).env("DEBIAN_FRONTEND", "noninteractive"))
}

/// Adds the wasm32 target with rustup unless its standard library is already there.
fn ensure_wasm_target() -> Outcome {
    let label = format!("rust target {WASM_TARGET}");
    let libdir = shell::stdout_of("rustc", &["--print", "target-libdir", "--target", WASM_TARGET]);
    if libdir.is_some_and(|dir| Path::new(&dir).is_dir()) {
        println!("{label}: present");
        return Ok(());
    }
    println!("{label}: installing");
    shell::run(&mut shell::cmd("rustup", &["target", "add", WASM_TARGET]))
}

/// Installs a crates.io tool unless `PROGRAM --version` already shows the pinned version.
fn ensure_cargo_tool(tool: &CargoTool) -> Outcome {
    let label = format!("{} {}", tool.program, tool.version);
    match installed_version(tool.program) {
        Some(found) if found == tool.version => {
            println!("{label}: present");
            return Ok(());
        }
        Some(found) => println!("{label}: installing (found {found})"),
        None => println!("{label}: installing (not found)"),
    }
    install_cargo_tool(tool)?;
    match installed_version(tool.program) {
        Some(found) if found == tool.version => Ok(()),
        found => Err(format!(
            "installed {} {}, but `{} --version` on PATH shows {}: remove the other copy",
            tool.krate,
            tool.version,
            tool.program,
            found.unwrap_or_else(|| "nothing".to_string())
        )),
    }
}

/// `cargo install --locked`, then without `--locked` when the tool allows it.
fn install_cargo_tool(tool: &CargoTool) -> Outcome {
    let install = |locked: bool| {
        let mut command = shell::cargo();
        command.arg("install");
        if locked {
            command.arg("--locked");
        }
        shell::run(command.args([tool.krate, "--version", tool.version]))
    };
    match install(true) {
        Err(error) if tool.unlocked_fallback => {
            println!("{error}; retrying without --locked");
            install(false)
        }
        result => result,
    }
}

/// The second word of `PROGRAM --version` (`trunk 0.21.14` gives `0.21.14`).
fn installed_version(program: &str) -> Option<String> {
    let text = shell::stdout_of(program, &["--version"])?;
    text.split_whitespace().nth(1).map(str::to_string)
}

/// Checks that Node is installed and new enough for playwright-core.
fn ensure_node() -> Outcome {
    let version = shell::stdout_of("node", &["--version"]).ok_or_else(|| {
        format!("Node.js {NODE_MIN_MAJOR} or newer (with npm) is needed; install it first")
    })?;
    match node_major(&version) {
        Some(major) if major >= NODE_MIN_MAJOR => {
            println!("node {version}: present");
            Ok(())
        }
        _ => Err(format!("Node.js {version} is too old: {NODE_MIN_MAJOR} or newer is needed")),
    }
}

/// The major version in `node --version` output such as `v20.20.2`.
fn node_major(version: &str) -> Option<u32> {
    version.trim_start_matches('v').split('.').next()?.parse().ok()
}

/// Runs `npm ci` in `web/` when `node_modules` is missing or older than the lockfile.
fn ensure_node_modules(web: &Path) -> Outcome {
    let label = "npm packages of web/package-lock.json (binaryen, terser, playwright-core)";
    if node_modules_fresh(web) {
        println!("{label}: present");
        return Ok(());
    }
    println!("{label}: installing (npm ci)");
    shell::run(shell::cmd("npm", &["ci", "--no-audit", "--no-fund"]).current_dir(web))
}

/// Whether npm's record of the installed tree is at least as new as the lockfile.
fn node_modules_fresh(web: &Path) -> bool {
    let installed = modified(&web.join("node_modules/.package-lock.json"));
    let locked = modified(&web.join("package-lock.json"));
    let has_wasm_opt = web.join("node_modules/.bin/wasm-opt").is_file();
    let has_terser = web.join("node_modules/terser/package.json").is_file();
    matches!((installed, locked), (Some(i), Some(l)) if i >= l) && has_wasm_opt && has_terser
}

/// A file's modification time, if it exists.
fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|meta| meta.modified()).ok()
}

/// Checks that the first wasm-opt on PATH is the one Trunk.toml asks for.
fn check_wasm_opt() -> Outcome {
    let label = format!("wasm-opt {WASM_OPT_VERSION}");
    let found = shell::stdout_of("wasm-opt", &["--version"]);
    match found.as_deref().and_then(parenthesised) {
        Some(version) if version == WASM_OPT_VERSION => {
            println!("{label}: present (npm binaryen)");
            Ok(())
        }
        other => Err(format!(
            "wasm-opt on PATH is {}, Trunk.toml wants {WASM_OPT_VERSION} (npm binaryen in web/)",
            other.unwrap_or("missing")
        )),
    }
}

/// The text inside the last pair of parentheses (`wasm-opt version 132 (version_132)`).
fn parenthesised(text: &str) -> Option<&str> {
    let open = text.rfind('(')?;
    let close = open + text[open..].find(')')?;
    Some(&text[open + 1..close])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tool_versions() {
        assert_eq!(node_major("v20.20.2"), Some(20));
        assert_eq!(node_major("garbage"), None);
        assert_eq!(parenthesised("wasm-opt version 132 (version_132)"), Some("version_132"));
        assert_eq!(parenthesised("wasm-opt 132"), None);
    }

    #[test]
    fn node_modules_without_a_lockfile_are_stale() {
        assert!(!node_modules_fresh(Path::new("no-such-directory")));
    }
}
