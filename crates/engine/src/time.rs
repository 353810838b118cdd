//! Virtual time for the simulation.
//!
//! The engine never reads a clock. Everything happens at a [`Time`], a count of
//! milliseconds since the scenario's start (t = 0). Durations are plain
//! [`Duration`] values in milliseconds as well. ISC dhcpd keeps lease times in
//! whole seconds (`cur_time`), so the server model works on [`Time::secs`].
//!
//! Parsing accepts the forms the scenario format documents: durations such as
//! `"90s"`, `"30m"`, `"1h30m"`, `"250ms"` or a bare number of seconds, and
//! instants such as `"00:33:27"`, `"00:33:27.500"` or seconds since the start.

use std::fmt;

/// An instant on the virtual clock: milliseconds since the scenario start.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time(pub u64);

/// A span of virtual time in milliseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration(pub u64);

impl Time {
    /// The scenario start.
    pub const ZERO: Time = Time(0);

    /// An instant `secs` whole seconds after the start.
    pub const fn from_secs(secs: u64) -> Time {
        Time(secs * 1000)
    }

    /// Whole seconds since the start, rounded down: the server's `cur_time`.
    pub const fn secs(self) -> u64 {
        self.0 / 1000
    }

    /// Milliseconds since the start.
    pub const fn millis(self) -> u64 {
        self.0
    }

    /// This instant moved `d` later (saturating).
    pub const fn plus(self, d: Duration) -> Time {
        Time(self.0.saturating_add(d.0))
    }

    /// The span from `earlier` to `self`, or zero when `earlier` is later.
    pub const fn since(self, earlier: Time) -> Duration {
        Duration(self.0.saturating_sub(earlier.0))
    }

    /// Parses `HH:MM:SS`, `HH:MM:SS.mmm`, `MM:SS` or seconds (`"2007"`, `"12.5"`).
    pub fn parse(text: &str) -> Result<Time, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("empty time".into());
        }
        if !text.contains(':') {
            return parse_seconds(text).map(Time);
        }
        let (clock, frac) = match text.split_once('.') {
            Some((c, f)) => (c, Some(f)),
            None => (text, None),
        };
        let parts: Vec<&str> = clock.split(':').collect();
        if parts.len() > 3 || parts.iter().any(|p| p.is_empty() || p.len() > 6) {
            return Err(format!("'{text}' is not HH:MM:SS"));
        }
        let mut total: u64 = 0;
        for (i, p) in parts.iter().enumerate() {
            let v: u64 = p.parse().map_err(|_| format!("'{text}' is not HH:MM:SS"))?;
            if i > 0 && v >= 60 {
                return Err(format!("'{text}': minutes and seconds must be below 60"));
            }
            total = total
                .checked_mul(60)
                .and_then(|t| t.checked_add(v))
                .ok_or("time too large")?;
        }
        let millis = match frac {
            Some(f) => parse_fraction(f).ok_or_else(|| format!("'{text}': bad fraction"))?,
            None => 0,
        };
        total
            .checked_mul(1000)
            .and_then(|t| t.checked_add(millis))
            .map(Time)
            .ok_or_else(|| "time too large".into())
    }

    /// `HH:MM:SS`, with `.mmm` only when the instant is not on a whole second.
    pub fn clock(self) -> String {
        let s = self.secs();
        let base = format!("{:02}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60);
        match self.0 % 1000 {
            0 => base,
            ms => format!("{base}.{ms:03}"),
        }
    }

    /// `HH:MM:SS.mmm`, always with milliseconds (for trace lines).
    pub fn clock_millis(self) -> String {
        let s = self.secs();
        format!(
            "{:02}:{:02}:{:02}.{:03}",
            s / 3600,
            (s / 60) % 60,
            s % 60,
            self.0 % 1000
        )
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.clock())
    }
}

impl Duration {
    /// `secs` whole seconds.
    pub const fn from_secs(secs: u64) -> Duration {
        Duration(secs * 1000)
    }

    /// Whole seconds, rounded down.
    pub const fn secs(self) -> u64 {
        self.0 / 1000
    }

    /// Parses `"90s"`, `"30m"`, `"1h30m"`, `"1d"`, `"250ms"`, `"1.5s"` or bare seconds.
    pub fn parse(text: &str) -> Result<Duration, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("empty duration".into());
        }
        if text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            return parse_seconds(text).map(Duration);
        }
        let mut total: u64 = 0;
        let mut rest = text;
        while !rest.is_empty() {
            let num_len = rest
                .bytes()
                .take_while(|b| b.is_ascii_digit() || *b == b'.')
                .count();
            if num_len == 0 {
                return Err(format!(
                    "'{text}' is not a duration such as 90s, 30m or 1h30m"
                ));
            }
            let (num, tail) = rest.split_at(num_len);
            let unit_len = tail.bytes().take_while(|b| b.is_ascii_alphabetic()).count();
            let (unit, tail) = tail.split_at(unit_len);
            let scale: u64 = match unit {
                "ms" => 1,
                "s" => 1000,
                "m" => 60_000,
                "h" => 3_600_000,
                "d" => 86_400_000,
                _ => {
                    return Err(format!(
                        "'{text}': unknown unit '{unit}' (use ms, s, m, h or d)"
                    ))
                }
            };
            let part = parse_scaled(num, scale).ok_or_else(|| format!("'{text}': bad number"))?;
            total = total.checked_add(part).ok_or("duration too large")?;
            rest = tail;
        }
        Ok(Duration(total))
    }

    /// A compact human form: `1h30m`, `90s`, `250ms`.
    pub fn human(self) -> String {
        let ms = self.0;
        if ms == 0 {
            return "0s".into();
        }
        if ms % 1000 != 0 {
            return if ms < 1000 {
                format!("{ms}ms")
            } else {
                format!("{:.3}s", ms as f64 / 1e3)
            };
        }
        let s = ms / 1000;
        let (h, m, sec) = (s / 3600, (s / 60) % 60, s % 60);
        let mut out = String::new();
        if h > 0 {
            out.push_str(&format!("{h}h"));
        }
        if m > 0 {
            out.push_str(&format!("{m}m"));
        }
        if sec > 0 {
            out.push_str(&format!("{sec}s"));
        }
        out
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.human())
    }
}

fn parse_seconds(text: &str) -> Result<u64, String> {
    parse_scaled(text, 1000).ok_or_else(|| format!("'{text}' is not a number of seconds"))
}

/// `num` (digits with at most one dot) times `scale`, exact to the millisecond.
fn parse_scaled(num: &str, scale: u64) -> Option<u64> {
    let (int, frac) = match num.split_once('.') {
        Some((i, f)) => (i, f),
        None => (num, ""),
    };
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let int_val: u64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let mut total = int_val.checked_mul(scale)?;
    if !frac.is_empty() {
        if !frac.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 9 {
            return None;
        }
        let frac_val: u64 = frac.parse().ok()?;
        let denom = 10u64.pow(frac.len() as u32);
        total = total.checked_add(frac_val.checked_mul(scale)? / denom)?;
    }
    Some(total)
}

/// Milliseconds of a fraction of a second; digits past the third are cut off.
fn parse_fraction(frac: &str) -> Option<u64> {
    if frac.is_empty() || frac.len() > 9 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let kept = &frac[..frac.len().min(3)];
    let v: u64 = kept.parse().ok()?;
    Some(v * 10u64.pow(3 - kept.len() as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_durations() {
        assert_eq!(Duration::parse("90s"), Ok(Duration(90_000)));
        assert_eq!(Duration::parse("1h30m"), Ok(Duration(5_400_000)));
        assert_eq!(Duration::parse("250ms"), Ok(Duration(250)));
        assert_eq!(Duration::parse("3600"), Ok(Duration(3_600_000)));
        assert_eq!(Duration::parse("1.5s"), Ok(Duration(1500)));
        assert!(Duration::parse("1x").is_err());
        assert!(Duration::parse("h").is_err());
        assert!(Duration::parse("").is_err());
    }

    #[test]
    fn parses_instants() {
        assert_eq!(Time::parse("00:33:27"), Ok(Time(2_007_000)));
        assert_eq!(Time::parse("00:33:27.5"), Ok(Time(2_007_500)));
        assert_eq!(Time::parse("2007"), Ok(Time(2_007_000)));
        assert_eq!(Time::parse("33:27"), Ok(Time(2_007_000)));
        assert!(Time::parse("00:61:00").is_err());
        assert!(Time::parse("1:2:3:4").is_err());
        assert_eq!(Time::parse("00:33:27.0015"), Ok(Time(2_007_001)));
        assert!(Time::parse("00:00:00.1234567890").is_err());
    }

    #[test]
    fn formats() {
        assert_eq!(Time(2_007_000).clock(), "00:33:27");
        assert_eq!(Time(2_007_001).clock(), "00:33:27.001");
        assert_eq!(Duration(5_400_000).human(), "1h30m");
        assert_eq!(Duration(250).human(), "250ms");
    }
}
