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
            total = total.checked_mul(60).and_then(|t| t.checked_add(v)).ok_or("time too large")?;
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
        format!("{:02}:{:02}:{:02}.{:03}", s / 3600, (s / 60) % 60, s % 60, self.0 % 1000)
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
            let num_len = rest.bytes().take_while(|b| b.is_ascii_digit() || *b == b'.').count();
            if num_len == 0 {
                return Err(format!("'{text}' is not a duration such as 90s, 30m or 1h30m"));
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
                _ => return Err(format!("'{text}': unknown unit '{unit}' (use ms, s, m, h or d)")),
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
        if !ms.is_multiple_of(1000) {
            return if ms < 1000 {
                format!("{ms}ms")
            } else {
                format!("{}.{:03}s", ms / 1000, ms % 1000)
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

/// Unix seconds of an RFC 3339 UTC instant such as `2006-07-27T00:00:00Z`
/// (a date alone means midnight; an offset other than `Z`/`+00:00` is refused).
pub fn parse_utc(text: &str) -> Result<u64, String> {
    let bad = || format!("'{text}' is not a UTC time like 2006-07-27T00:00:00Z");
    let t = text.trim();
    let t = t.strip_suffix('Z').or_else(|| t.strip_suffix("+00:00")).unwrap_or(t);
    let (date, clock) = t.split_once(['T', ' ']).unwrap_or((t, "00:00:00"));
    let d: Vec<&str> = date.split('-').collect();
    let [y, m, day] = d[..] else {
        return Err(bad());
    };
    let (y, m, day): (i64, u32, u32) = (
        y.parse().map_err(|_| bad())?,
        m.parse().map_err(|_| bad())?,
        day.parse().map_err(|_| bad())?,
    );
    if !(1970..=9999).contains(&y) || !(1..=12).contains(&m) || day < 1 || day > month_days(y, m) {
        return Err(bad());
    }
    let secs = Time::parse(clock).map_err(|_| bad())?.secs();
    if secs >= 86_400 {
        return Err(bad());
    }
    let days = days_from_civil(y, m, day);
    Ok(days as u64 * 86_400 + secs)
}

/// `YYYY/MM/DD HH:MM:SS` and the weekday (0 = Sunday) of Unix seconds `t`, UTC.
pub fn civil_from_unix(t: u64) -> (i64, u32, u32, u32, u32, u32, u32) {
    let days = (t / 86_400) as i64;
    let rem = t % 86_400;
    // Days since 1970-01-01 to a civil date (proleptic Gregorian).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    let weekday = ((days + 4).rem_euclid(7)) as u32;
    let (h, mi, s) = ((rem / 3600) as u32, ((rem / 60) % 60) as u32, (rem % 60) as u32);
    (year, month, day, h, mi, s, weekday)
}

/// Days in month `m` of year `y` (proleptic Gregorian).
fn month_days(y: i64, m: u32) -> u32 {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
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
    fn utc_labels() {
        assert_eq!(parse_utc("1970-01-01T00:00:00Z"), Ok(0));
        assert_eq!(parse_utc("2026-12-04T15:23:46Z"), Ok(1_796_397_826));
        assert_eq!(parse_utc("2006-07-27T00:00:00Z"), Ok(1_153_958_400));
        assert!(parse_utc("2006-13-27T00:00:00Z").is_err());
        assert!(parse_utc("2023-02-29T23:59:50Z").is_err());
        assert!(parse_utc("2024-02-29T23:59:50Z").is_ok());
        assert!(parse_utc("2026-04-31T00:00:00Z").is_err());
        assert!(parse_utc("yesterday").is_err());
        // 2026-12-04 was a Friday (weekday 5).
        assert_eq!(civil_from_unix(1_796_397_826), (2026, 12, 4, 15, 23, 46, 5));
        assert_eq!(civil_from_unix(0), (1970, 1, 1, 0, 0, 0, 4));
    }

    #[test]
    fn formats() {
        assert_eq!(Time(2_007_000).clock(), "00:33:27");
        assert_eq!(Time(2_007_001).clock(), "00:33:27.001");
        assert_eq!(Duration(5_400_000).human(), "1h30m");
        assert_eq!(Duration(250).human(), "250ms");
    }
}
