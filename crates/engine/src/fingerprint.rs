//! A short fingerprint of a whole trace, to prove that two runs (natively and
//! in WebAssembly, or before and after a change) produced the same steps.

use crate::scenario::Config;
use crate::trace::Step;

/// FNV-1a over every step's time, summary and reasons.
pub fn of_trace(cfg: &Config, steps: &[Step]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for s in steps {
        eat(&s.at.millis().to_le_bytes());
        eat(s.summary(cfg).as_bytes());
        eat(s.why(cfg).as_bytes());
    }
    h
}
