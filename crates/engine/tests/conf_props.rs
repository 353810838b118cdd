//! Property tests of the dhcpd.conf importer: on random text, on token soup,
//! on mutated copies of the recorded pair's files and on well-formed files
//! with random values, it never panics, every place it names is inside the
//! text, and every scenario it returns validates. `PROPTEST_CASES` raises the
//! number of cases.

#![cfg(not(target_arch = "wasm32"))]

use dhcpfo_engine::conf::{import, ConfErrorKind};
use proptest::prelude::*;

/// 128 cases unless `PROPTEST_CASES` asks for more.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(128)
}

fn example(name: &str) -> String {
    let path = format!("{}/tests/data/conf/{name}.conf", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).expect("example config")
}

/// Imports `text` and checks what any answer must satisfy.
fn check(text: &str) -> Result<(), TestCaseError> {
    let lines = text.split('\n').count() as u32;
    match import(text) {
        Ok(imported) => {
            if let Err(e) = imported.scenario.validate() {
                return Err(TestCaseError::fail(format!("does not validate: {e}\n{text}")));
            }
            for n in &imported.notes {
                prop_assert!(n.line >= 1 && n.line <= lines && n.column >= 1, "{n}");
            }
        }
        Err(e) => prop_assert!(e.line >= 1 && e.line <= lines && e.column >= 1, "{e}"),
    }
    Ok(())
}

/// Words and punctuation dhcpd.conf is made of, to build token soup.
const PIECES: &[&str] = &[
    "{",
    "}",
    ";",
    "\"",
    "#",
    "\n",
    "=",
    ",",
    "(",
    ")",
    "failover",
    "peer",
    "\"dfo\"",
    "pool",
    "range",
    "subnet",
    "netmask",
    "shared-network",
    "group",
    "host",
    "primary",
    "secondary",
    "address",
    "mclt",
    "split",
    "hba",
    "load",
    "balance",
    "max",
    "seconds",
    "10.77.0.0",
    "10.77.0.100",
    "10.77.0.109",
    "255.255.255.0",
    "255.255.255.252",
    "10.77.1.1",
    "0",
    "30",
    "128",
    "256",
    "99999999999999999999",
    "default-lease-time",
    "min-lease-time",
    "max-lease-time",
    "ping-check",
    "true",
    "ping-timeout",
    "ping-timeout-ms",
    "ff:00",
    "auto-partner-down",
    "option",
    "of",
    "é",
    "\\",
];

/// Edits applied to a good file: where (a fraction of its length), what, and a piece.
fn arb_edits() -> impl Strategy<Value = Vec<(f64, u8, usize)>> {
    prop::collection::vec((0.0f64..1.0, 0u8..4, 0..PIECES.len()), 1..6)
}

fn apply(text: &str, edits: &[(f64, u8, usize)]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for &(at, op, piece) in edits {
        let i = ((chars.len() as f64) * at) as usize;
        let i = i.min(chars.len());
        let end = (i + 1 + piece % 7).min(chars.len());
        match op {
            0 => {
                chars.drain(i..end);
            }
            1 => {
                let insert: Vec<char> = format!(" {} ", PIECES[piece]).chars().collect();
                chars.splice(i..i, insert);
            }
            2 => {
                let copy: Vec<char> = chars[i..end].to_vec();
                chars.splice(i..i, copy);
            }
            _ => {
                let with: Vec<char> = PIECES[piece].chars().collect();
                chars.splice(i..end, with);
            }
        }
    }
    chars.into_iter().collect()
}

/// A well-formed primary's file with random values.
#[allow(clippy::too_many_arguments)]
fn template(
    prefix: u8,
    first: u8,
    last: u8,
    mclt: u32,
    split: u16,
    lease: (u32, u32, u32),
    ping: u32,
    peer_host: u8,
) -> String {
    let mask = std::net::Ipv4Addr::from(u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0));
    format!(
        "failover peer \"p\" {{\n primary;\n address 10.77.0.{peer_host};\n peer address \
         10.77.1.2;\n mclt {mclt};\n split {split};\n}}\nsubnet 10.77.0.0 netmask {mask} {{\n \
         default-lease-time {};\n max-lease-time {};\n min-lease-time {};\n ping-timeout \
         {ping};\n pool {{\n  failover peer \"p\";\n  range 10.77.0.{first} 10.77.0.{last};\n \
         }}\n}}\n",
        lease.0, lease.1, lease.2
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn random_text_never_panics(text in "\\PC{0,400}") {
        check(&text)?;
    }

    #[test]
    fn token_soup_never_panics(pieces in prop::collection::vec(0..PIECES.len(), 0..120)) {
        let text: Vec<&str> = pieces.iter().map(|&i| PIECES[i]).collect();
        check(&text.join(" "))?;
    }

    #[test]
    fn mutated_examples_never_panic(which in 0usize..3, edits in arb_edits()) {
        let name = ["a-release-primary", "a-release-secondary", "d1-primary"][which];
        check(&apply(&example(name), &edits))?;
    }

    #[test]
    fn well_formed_files_import_or_say_why(
        prefix in 16u8..=32,
        (first, last) in (1u8..=254, 1u8..=254),
        mclt in any::<u32>(),
        split in 0u16..=400,
        lease in (any::<u32>(), any::<u32>(), any::<u32>()),
        ping in 0u32..200,
        peer_host in 0u8..=255,
    ) {
        let text = template(prefix, first, last, mclt, split, lease, ping, peer_host);
        match import(&text) {
            Ok(imported) => {
                imported.scenario.validate().map_err(|e| TestCaseError::fail(e.to_string()))?;
            }
            Err(e) => prop_assert!(matches!(e.kind, ConfErrorKind::Unsupported(_)), "{e}\n{text}"),
        }
    }
}
