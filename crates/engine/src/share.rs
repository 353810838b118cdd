//! The share-URL codec: a scenario and a step in a URL fragment.
//!
//! Form: `v1.<payload>.<step>`, where the payload is the scenario as compact
//! JSON, compressed with raw DEFLATE and written in unpadded base64url. The
//! `v1` prefix is a promise: a link handed out once keeps opening. For
//! convenience `#NAME` and `#NAME.STEP` open a built-in scenario.
//! Decoding never panics; every failure says what was wrong.

use crate::scenario::{builtin, Scenario, ScenarioError};

/// The largest decompressed scenario accepted from a URL.
const MAX_JSON: usize = 256 * 1024;
/// The largest fragment accepted (and so the largest one worth making).
pub const MAX_FRAGMENT: usize = 64 * 1024;

/// Why a fragment could not be opened.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ShareError {
    /// Empty or not of a known form.
    #[error("the link does not hold a scenario (expected #v1.… or a built-in name)")]
    Unrecognised,
    /// A version this build does not know.
    #[error("the link was made by a newer version ({0}) of the playground")]
    UnknownVersion(String),
    /// Too long to be one of ours.
    #[error("the link is too long ({0} characters)")]
    TooLong(usize),
    /// Bad base64url.
    #[error("the link is damaged: character {0} is not base64url")]
    BadBase64(usize),
    /// Bad compressed data.
    #[error("the link is damaged: its compressed data does not unpack")]
    BadCompression,
    /// The scenario unpacks to more than any scenario may hold.
    #[error("the scenario in the link unpacks to more than {} KiB", MAX_JSON / 1024)]
    TooBig,
    /// Bad step number.
    #[error("the step '{0}' in the link is not a number")]
    BadStep(String),
    /// The scenario inside is invalid.
    #[error("the scenario in the link is invalid: {0}")]
    Scenario(ScenarioError),
}

/// Encodes a scenario and the step shown.
pub fn encode(scenario: &Scenario, step: usize) -> String {
    let json = scenario.to_json();
    let packed = crate::deflate::compress(json.as_bytes());
    format!("v1.{}.{step}", base64url(&packed))
}

/// Decodes a fragment (with or without the leading `#`) into a scenario and a step.
pub fn decode(fragment: &str) -> Result<(Scenario, usize), ShareError> {
    let fragment = fragment.trim().trim_start_matches('#');
    if fragment.len() > MAX_FRAGMENT {
        return Err(ShareError::TooLong(fragment.len()));
    }
    let mut parts = fragment.split('.');
    let head = parts.next().unwrap_or_default();
    if head.is_empty() {
        return Err(ShareError::Unrecognised);
    }
    if head != "v1" {
        if let Some(s) = builtin(head) {
            let step = parse_step(parts.next())?;
            return if parts.next().is_some() {
                Err(ShareError::Unrecognised)
            } else {
                Ok((s, step))
            };
        }
        let is_version = head.len() > 1
            && head.starts_with('v')
            && head[1..].bytes().all(|b| b.is_ascii_digit());
        return Err(if is_version {
            ShareError::UnknownVersion(head.into())
        } else {
            ShareError::Unrecognised
        });
    }
    let payload = parts.next().ok_or(ShareError::Unrecognised)?;
    let step = parse_step(parts.next())?;
    if parts.next().is_some() {
        return Err(ShareError::Unrecognised);
    }
    let packed = unbase64url(payload)?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_JSON).map_err(
        |e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => ShareError::TooBig,
            _ => ShareError::BadCompression,
        },
    )?;
    let text = String::from_utf8(json).map_err(|_| ShareError::BadCompression)?;
    let scenario = Scenario::from_json(&text).map_err(ShareError::Scenario)?;
    scenario.validate().map_err(ShareError::Scenario)?;
    Ok((scenario, step))
}

fn parse_step(part: Option<&str>) -> Result<usize, ShareError> {
    match part {
        None | Some("") => Ok(0),
        Some(p) => p.parse().map_err(|_| ShareError::BadStep(p.chars().take(20).collect())),
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 3);
    for chunk in bytes.chunks(3) {
        let n =
            chunk.iter().enumerate().fold(0u32, |acc, (i, &b)| acc | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

fn unbase64url(text: &str) -> Result<Vec<u8>, ShareError> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for (i, c) in text.bytes().enumerate() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return Err(ShareError::BadBase64(i + 1)),
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{BUILTINS, DEFAULT_SCENARIO};

    #[test]
    fn round_trips_every_builtin() {
        for b in BUILTINS {
            let s = builtin(b.name).unwrap();
            let frag = encode(&s, 42);
            assert!(frag.starts_with("v1."));
            let (back, step) = decode(&frag).unwrap();
            assert_eq!(back, s);
            assert_eq!(step, 42);
            let (back, step) = decode(&format!("#{frag}")).unwrap();
            assert_eq!((back, step), (s, 42));
        }
    }

    #[test]
    fn base64_round_trip() {
        for len in 0..20 {
            let data: Vec<u8> = (0..len).map(|i| (i * 37 + 5) as u8).collect();
            assert_eq!(unbase64url(&base64url(&data)).unwrap(), data);
        }
    }

    #[test]
    fn builtin_names_open() {
        let (s, step) = decode("#dhcprelease.12").unwrap();
        assert_eq!(s, builtin(DEFAULT_SCENARIO).unwrap());
        assert_eq!(step, 12);
    }

    #[test]
    fn bad_links_say_why() {
        assert_eq!(decode(""), Err(ShareError::Unrecognised));
        assert_eq!(decode("#hello"), Err(ShareError::Unrecognised));
        assert_eq!(decode("#v9.abc.1"), Err(ShareError::UnknownVersion("v9".into())));
        assert_eq!(decode("#v1.ab$c.1"), Err(ShareError::BadBase64(3)));
        assert_eq!(decode("#v1.abcd.1"), Err(ShareError::BadCompression));
        let good = encode(&builtin(DEFAULT_SCENARIO).unwrap(), 0);
        let bad_step = good.replace(".0", ".x");
        assert!(matches!(decode(&bad_step), Err(ShareError::BadStep(_))));
        let payload = base64url(&miniz_oxide::deflate::compress_to_vec(b"{\"title\":1}", 9));
        assert!(matches!(decode(&format!("v1.{payload}.0")), Err(ShareError::Scenario(_))));
    }

    #[test]
    fn a_scenario_that_unpacks_too_large_says_so() {
        let big = vec![b' '; MAX_JSON * 4];
        let packed = miniz_oxide::deflate::compress_to_vec(&big, 9);
        let fragment = format!("v1.{}.0", base64url(&packed));
        assert_eq!(decode(&fragment), Err(ShareError::TooBig));
    }
}
