//! Small text helpers: time gaps, lease times, counted nouns, and the split
//! of an engine sentence into plain text, rule references and binding-state
//! names, so the narration can highlight the rule and colour the states as the
//! pool does. Failover states get one of three looks, by what they let a
//! server do: serve clients, serve nobody, or not run at all.

use dhcpfo_engine::{BindingState, Duration, FailoverState, Time};

/// A gap on the virtual clock as `+29m58s`, `+2s`, `+1.999s` or `+1ms`.
pub fn gap(d: Duration) -> String {
    let ms = d.0;
    if ms >= 60_000 {
        let secs = (ms + 500) / 1000;
        return format!("+{}", Duration::from_secs(secs).human());
    }
    match (ms / 1000, ms % 1000) {
        (0, frac) => format!("+{frac}ms"),
        (s, 0) => format!("+{s}s"),
        (s, frac) => format!("+{s}.{frac:03}s"),
    }
}

/// Whether a gap is long enough to call out as a jump in time.
pub fn is_long_gap(d: Duration) -> bool {
    d.0 >= 10_000
}

/// A lease time in whole seconds since the start, or an em dash when unset (0).
pub fn lease_time(secs: u64) -> String {
    if secs == 0 {
        "—".into()
    } else {
        Time::from_secs(secs).clock()
    }
}

/// `n` with digits grouped by thousands: `200,000`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `n` and the noun in the right number: `1 address`, `2 addresses`, `1,000 steps`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    let noun = if n == 1 { one } else { many };
    format!("{} {noun}", thousands(n))
}

/// A piece of an engine sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment<'a> {
    /// Plain words.
    Text(&'a str),
    /// A rule reference such as `RFC 2131 §4.4.1`, without its parentheses.
    Rule(&'a str),
    /// A binding state written in capitals, such as `RELEASED`.
    State(BindingState, &'a str),
}

/// Splits a sentence into text, rule references (parenthesised text that
/// cites an RFC, the draft, a section or dhcpd) and binding-state names.
pub fn segments(sentence: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut rest = sentence;
    while let Some(open) = rest.find('(') {
        let Some(len) = rest[open..].find(')') else { break };
        let inner = &rest[open + 1..open + len];
        if cites_rule(inner) {
            states_in(&rest[..open], &mut out);
            out.push(Segment::Rule(inner));
        } else {
            states_in(&rest[..open + len + 1], &mut out);
        }
        rest = &rest[open + len + 1..];
    }
    states_in(rest, &mut out);
    out
}

fn cites_rule(text: &str) -> bool {
    ["RFC", "draft-", "§", "dhcpd", "ISC", "dhclient"].iter().any(|k| text.contains(k))
}

/// Splits text into plain segments and binding-state names written in any case
/// (the engine's one-line summaries write them in lower case).
pub fn state_words(text: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    words_in(text, &mut out, |w| state_word(&w.to_ascii_uppercase()));
    out
}

/// Pushes `text` as plain segments, with upper-case binding-state words set apart.
fn states_in<'a>(text: &'a str, out: &mut Vec<Segment<'a>>) {
    words_in(text, out, state_word);
}

fn words_in<'a>(
    text: &'a str,
    out: &mut Vec<Segment<'a>>,
    classify: impl Fn(&str) -> Option<BindingState>,
) {
    let mut plain_from = 0;
    let mut word_from = None;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        if c.is_ascii_alphabetic() {
            word_from.get_or_insert(i);
            continue;
        }
        let Some(start) = word_from.take() else { continue };
        let Some(state) = classify(&text[start..i]) else { continue };
        if plain_from < start {
            out.push(Segment::Text(&text[plain_from..start]));
        }
        out.push(Segment::State(state, &text[start..i]));
        plain_from = i;
    }
    if plain_from < text.len() {
        out.push(Segment::Text(&text[plain_from..]));
    }
}

fn state_word(word: &str) -> Option<BindingState> {
    BINDING_STATES.into_iter().find(|s| s.name().to_ascii_uppercase() == word)
}

/// The seven binding states in draft-12 order.
pub const BINDING_STATES: [BindingState; 7] = BindingState::ALL;

/// A one-line meaning of each binding state, for the legend.
pub fn binding_meaning(state: BindingState) -> &'static str {
    match state {
        BindingState::Free => "available, the primary may lease it",
        BindingState::Active => "leased to a client",
        BindingState::Expired => "ran out, waiting for the peer to agree",
        BindingState::Released => "released, waiting for the peer to agree",
        BindingState::Abandoned => "unusable until it ends",
        BindingState::Reset => "freed by an operator, waiting for the peer",
        BindingState::Backup => "available, the secondary may lease it",
    }
}

/// The look of a failover state, by what it allows: `serving` (clients get answers),
/// `silent` (the process runs but answers nobody) or `down` (the process is stopped).
pub fn service_class(state: FailoverState, serves: bool) -> &'static str {
    match (state, serves) {
        (FailoverState::Down, _) => "down",
        (_, true) => "serving",
        (_, false) => "silent",
    }
}

/// What a look means, in a few words (tooltips and the legend).
pub fn service_words(class: &str) -> &'static str {
    match class {
        "serving" => "answers clients",
        "silent" => "answers no client",
        _ => "process stopped",
    }
}

/// A failover state as the page writes it: `COMMUNICATIONS-INTERRUPTED`.
pub fn state_upper(state: FailoverState) -> String {
    state.name().to_ascii_uppercase()
}

/// `v` with `places` decimals, written without the standard float formatter
/// (which would add several kilobytes to the page for SVG coordinates).
pub fn fixed(v: f64, places: u32) -> String {
    let scale = 10u64.pow(places.min(6));
    let scaled = (v * scale as f64).round();
    let sign = if scaled < 0.0 { "-" } else { "" };
    let n = scaled.abs() as u64;
    let (int, frac) = (n / scale, n % scale);
    if places == 0 {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac:0width$}", width = places.min(6) as usize)
    }
}
