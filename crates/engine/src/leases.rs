//! The `dhcpd.leases` file of ISC dhcpd 4.4: writing a server's lease database
//! at any moment of a run, and reading real files back.
//!
//! Follows the reference notes §1.7 (what `db.c` writes, in which order, and
//! which statements are left out when empty or equal to the binding state),
//! the `dhcpd.leases(5)` manual page, and files written by a real dhcpd 4.4.3
//! failover pair (`tests/data/leases/`).
//!
//! [`write()`] gives a snapshot: a header, one failover state record, then one
//! `lease` record per pool address in address order. dhcpd itself appends a
//! record on every change and, when it loads the file, lets the last record
//! of an address replace the earlier ones; a snapshot holds only those last
//! records, so it is a file dhcpd would load to the same state. Absolute dates
//! are the scenario's `start_epoch` plus the engine's seconds, in UTC, written
//! `W YYYY/MM/DD HH:MM:SS` with weekday 0 = Sunday (dhcpd's default
//! `db-time-format`). The failover relationship is the scenario's
//! `failover.name` ([`PEER_NAME`] unless set).
//!
//! [`read`] is a tolerant reader of real files: comments, `server-duid`,
//! `authoring-byte-order`, failover state records, repeated lease records
//! (the last one wins, as in dhcpd), `epoch N` and `never` dates, and any
//! statement or block it does not know, which it skips. Broken syntax in the
//! statements it does know is an error naming the line and column.
//!
//! Not modelled: the history of records (dhcpd's log structure), DHCPv6
//! records, `reserved`/`dynamic-bootp` flags, hostnames, scopes (`set`,
//! `on`), agent options, and the `db-time-format local` form on output.
//!
//! The failover record holds the server's own state and STOS (the saved state
//! while the process is stopped or in STARTUP, which dhcpd never records), and
//! the partner's last announced state, or `unknown-state`, at the moment the
//! server learnt it, as dhcpd writes it.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::iter::Peekable;
use std::net::Ipv4Addr;
use std::str::Chars;

use thiserror::Error;

use crate::addr::Mac;
use crate::failover::FailoverState;
use crate::lease::{BindingState, Lease};
use crate::packet::Role;
use crate::sim::World;
use crate::time::{self, Time};

/// The name of the failover relationship when a scenario does not set one
/// (`failover peer "dhcpfo" state { ... }`).
pub const PEER_NAME: &str = crate::scenario::DEFAULT_PEER_NAME;

/// A date written `never` (dhcpd's "no end"), as Unix seconds in [`LeaseRecord`].
pub const NEVER: u64 = u64::MAX;

// ----- writing -----
//
// Writing to a `String` cannot fail, so the results of `write!` are dropped.

/// The lease file of `role`'s server in `world`, as dhcpd 4.4 would hold it now.
///
/// The state record holds what the server itself knows (see
/// [`write_failover_state`]): its own state and STOS, and the state its peer
/// last announced.
pub fn write(world: &World, role: Role) -> String {
    write_at(world, role, world.now())
}

/// Like [`write()`], with the header naming instant `at` (for a world shown at a
/// moment after its last step, as [`crate::Snapshot::at`] does).
pub fn write_at(world: &World, role: Role, at: Time) -> String {
    let cfg = world.config();
    let server = world.server(role);
    let mut out = header(role, at, cfg.start_epoch, &cfg.peer_name);
    // Only the secondary records the MCLT in its state record (reference §1.7).
    let mclt = (role == Role::Secondary).then_some(cfg.mclt);
    let record = StateRecord {
        mine: file_state(server.state, server.saved_state),
        mine_at: server.stos,
        partner: server.partner,
        partner_at: server.partner_since,
        mclt,
    };
    out.push_str(&write_failover_state(&cfg.peer_name, &record, cfg.start_epoch));
    for lease in &server.leases {
        out.push_str(&write_lease(lease, cfg.start_epoch));
    }
    out
}

/// What a server's `failover peer "NAME" state { ... }` record says. Times
/// are seconds since the scenario start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StateRecord {
    /// `my state`: never STARTUP or DOWN (see [`file_state`]).
    pub mine: FailoverState,
    /// When that state began (STOS).
    pub mine_at: u64,
    /// `partner state`: what the peer last announced; `None` is `unknown-state`.
    pub partner: Option<FailoverState>,
    /// The `at` of the partner state: when the server learnt it.
    pub partner_at: u64,
    /// `mclt`, written by the secondary only.
    pub mclt: Option<u64>,
}

/// The state dhcpd has on disk for a server in `state`: the saved state while
/// the process is stopped or in STARTUP (dhcpd never records STARTUP, and a
/// stopped process writes nothing more), else the state itself.
pub fn file_state(state: FailoverState, saved_state: FailoverState) -> FailoverState {
    match state {
        FailoverState::Startup | FailoverState::Down => saved_state,
        other => other,
    }
}

/// One `lease A.B.C.D { ... }` record with the statements in dhcpd's order.
///
/// Times are seconds since the scenario start (0 = unset, left out), written as
/// dates `start_epoch` seconds later.
pub fn write_lease(lease: &Lease, start_epoch: u64) -> String {
    let mut out = format!("lease {} {{\n", lease.address);
    let times = [
        ("starts", lease.starts),
        ("ends", lease.ends),
        ("tstp", lease.tstp),
        ("tsfp", lease.tsfp),
        ("atsfp", lease.atsfp),
        ("cltt", lease.cltt),
    ];
    for (name, secs) in times.into_iter().filter(|&(_, secs)| secs != 0) {
        let date = format_date(start_epoch.saturating_add(secs));
        let _ = writeln!(out, "  {name} {date};");
    }

    let _ = writeln!(out, "  binding state {};", lease.binding.name());
    // next and rewind are written only when they differ from the binding state.
    if lease.next != lease.binding {
        let _ = writeln!(out, "  next binding state {};", lease.next.name());
    }
    if lease.rewind != lease.binding {
        let _ = writeln!(out, "  rewind binding state {};", lease.rewind.name());
    }
    if let Some(mac) = lease.hardware {
        let _ = writeln!(out, "  hardware ethernet {mac};");
    }
    if let Some(uid) = &lease.uid {
        let _ = writeln!(out, "  uid {};", quote(uid));
    }
    out.push_str("}\n");
    out
}

/// The failover state record `db.c:write_failover_state` appends (reference
/// §1.7): my state and its STOS, the partner's state with its time, and the
/// MCLT if given. Every state has an `at` date, as dhcpd's parser wants one;
/// time 0 is written as the scenario start.
pub fn write_failover_state(name: &str, record: &StateRecord, start_epoch: u64) -> String {
    let date = |t: u64| format_date(start_epoch.saturating_add(t));
    let mut out = format!("\nfailover peer \"{name}\" state {{\n");
    let mine = file_state_name(Some(record.mine));
    let _ = writeln!(out, "  my state {mine} at {};", date(record.mine_at));
    let partner = file_state_name(record.partner);
    let _ = writeln!(out, "  partner state {partner} at {};", date(record.partner_at));
    if let Some(mclt) = record.mclt {
        let _ = writeln!(out, "  mclt {mclt};");
    }
    out.push_str("}\n");
    out
}

/// Unix seconds as dhcpd writes a date: `W YYYY/MM/DD HH:MM:SS`, UTC, weekday
/// 0 = Sunday (without the closing `;`).
pub fn format_date(unix: u64) -> String {
    let (year, month, day, h, m, s, weekday) = time::civil_from_unix(unix);
    format!("{weekday} {year}/{month:02}/{day:02} {h:02}:{m:02}:{s:02}")
}

/// Bytes as a dhcpd quoted string: printable ASCII as is, `"` and `\` behind a
/// backslash, every other byte as a three-digit octal escape `\ooo`.
pub fn quote(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 2);
    out.push('"');
    for &b in bytes {
        match b {
            b'"' | b'\\' => {
                out.push('\\');
                out.push(char::from(b));
            }
            b' '..=b'~' => out.push(char::from(b)),
            _ => {
                let _ = write!(out, "\\{b:03o}");
            }
        }
    }
    out.push('"');
    out
}

fn header(role: Role, at: Time, start_epoch: u64, name: &str) -> String {
    let date = format_date(start_epoch.saturating_add(at.secs()));
    // Drop the weekday: the comment is for people.
    let date = date.split_once(' ').map_or(date.as_str(), |(_, rest)| rest);
    format!(
        "# Lease database of the {role} of failover peer \"{name}\" at t = {clock}\n\
         # ({date} UTC), in the dhcpd.leases format of ISC dhcpd 4.4 (see dhcpd.leases(5)),\n\
         # written by the DHCP Failover Playground. It is a snapshot: one record per\n\
         # address, the record dhcpd would keep as the last one for it.\n\
         \n\
         # dhcpd checks the byte order of the machine that wrote the file.\n\
         authoring-byte-order little-endian;\n\
         \n",
        clock = at.clock(),
    )
}

/// The name dhcpd writes; `unknown-state` for an unknown partner. DOWN is no
/// state of dhcpd's; [`file_state`] keeps it out, and if it came here anyway
/// it would be written as `shutdown`.
fn file_state_name(state: Option<FailoverState>) -> &'static str {
    match state {
        None => "unknown-state",
        Some(FailoverState::Down) => FailoverState::Shutdown.name(),
        Some(other) => other.name(),
    }
}

// ----- reading -----

/// What a lease file says, after the last record of each address has won.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LeaseFile {
    /// The last record of every address, in address order.
    pub leases: BTreeMap<Ipv4Addr, LeaseRecord>,
    /// The last failover state record of every relationship, in the order the
    /// relationships first appear.
    pub failover: Vec<FailoverRecord>,
    /// The `server-duid` statement's bytes, if the file has one.
    pub server_duid: Option<Vec<u8>>,
    /// How many `lease` records the file holds, repeats included.
    pub lease_records: usize,
}

/// One `lease` record. Dates are Unix seconds; 0 means the statement is
/// absent (dhcpd writes none for a zero time), [`NEVER`] means `never`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeaseRecord {
    /// The address.
    pub address: Ipv4Addr,
    /// `starts`.
    pub starts: u64,
    /// `ends`.
    pub ends: u64,
    /// `tstp`: time sent to partner.
    pub tstp: u64,
    /// `tsfp`: time sent from partner.
    pub tsfp: u64,
    /// `atsfp`: actual tsfp.
    pub atsfp: u64,
    /// `cltt`: client last transaction time.
    pub cltt: u64,
    /// `binding state`, if written (legacy `reserved` and `bootp` read as ACTIVE).
    pub binding: Option<BindingState>,
    /// `next binding state`, if written.
    pub next: Option<BindingState>,
    /// `rewind binding state`, if written.
    pub rewind: Option<BindingState>,
    /// `hardware ethernet`, if written with six bytes (other types are skipped).
    pub hardware: Option<Mac>,
    /// `uid`, if written.
    pub uid: Option<Vec<u8>>,
}

/// One `failover peer "NAME" state { ... }` record. Dates are Unix seconds,
/// 0 when the `at` part is absent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailoverRecord {
    /// The relationship's name.
    pub peer: String,
    /// `my state`; `None` when absent or `unknown-state`.
    pub my_state: Option<FailoverState>,
    /// When this server entered its state (its STOS).
    pub my_state_at: u64,
    /// `partner state`; `None` when absent or `unknown-state`.
    pub partner_state: Option<FailoverState>,
    /// When this server learnt the partner's state.
    pub partner_state_at: u64,
    /// `mclt` (written by the secondary only).
    pub mclt: Option<u64>,
}

impl LeaseFile {
    /// The last record of `address`.
    pub fn lease(&self, address: Ipv4Addr) -> Option<&LeaseRecord> {
        self.leases.get(&address)
    }

    /// The last state record of relationship `peer`.
    pub fn failover_peer(&self, peer: &str) -> Option<&FailoverRecord> {
        self.failover.iter().find(|f| f.peer == peer)
    }
}

impl LeaseRecord {
    /// A record of `address` with nothing written in it.
    pub fn empty(address: Ipv4Addr) -> LeaseRecord {
        LeaseRecord {
            address,
            starts: 0,
            ends: 0,
            tstp: 0,
            tsfp: 0,
            atsfp: 0,
            cltt: 0,
            binding: None,
            next: None,
            rewind: None,
            hardware: None,
            uid: None,
        }
    }

    /// The next binding state as dhcpd loads it: when absent, the binding state.
    pub fn next_state(&self) -> Option<BindingState> {
        self.next.or(self.binding)
    }

    /// The rewind binding state as dhcpd loads it: when absent, the binding state.
    pub fn rewind_state(&self) -> Option<BindingState> {
        self.rewind.or(self.binding)
    }
}

/// Why a lease file could not be read, and where (1-based line and column,
/// counted in characters).
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("line {line}, column {column}: {kind}")]
pub struct LeasesError {
    /// Line of the offending token.
    pub line: usize,
    /// Column of the offending token.
    pub column: usize,
    /// What is wrong.
    pub kind: LeasesErrorKind,
}

/// The kinds of [`LeasesError`].
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum LeasesErrorKind {
    /// A quoted string runs to the end of the file.
    #[error("the string is not closed before the end of the file")]
    UnterminatedString,
    /// An escape in a quoted string is out of range.
    #[error("the escape {0} is not a byte")]
    BadEscape(String),
    /// The file ends in the middle of a statement or block.
    #[error("the file ends inside a statement or block")]
    UnexpectedEnd,
    /// A `}` closes nothing.
    #[error("this '}}' closes no block")]
    UnexpectedClose,
    /// A token other than the one the grammar needs.
    #[error("expected {expected}, found {found}")]
    Expected {
        /// What the statement needs here.
        expected: String,
        /// What the file has.
        found: String,
    },
    /// `lease X` where X is not an IPv4 address.
    #[error("'{0}' is not an IPv4 address")]
    BadAddress(String),
    /// An unknown binding state name.
    #[error("'{0}' is not a binding state")]
    BadBindingState(String),
    /// An unknown failover state name.
    #[error("'{0}' is not a failover state")]
    BadFailoverState(String),
    /// A date that is not `W YYYY/MM/DD HH:MM:SS`, `epoch N` or `never`.
    #[error("'{0}' is not a date like 4 2006/07/27 00:33:27, epoch N or never")]
    BadDate(String),
    /// An Ethernet address that is not colon-separated hex bytes.
    #[error("'{0}' is not a hardware address like 02:00:00:00:00:01")]
    BadHardware(String),
    /// Bytes (a uid, the server DUID) neither quoted nor colon-separated hex.
    #[error("'{0}' is neither a quoted string nor hex bytes like 01:02:03")]
    BadBytes(String),
    /// A number that does not parse.
    #[error("'{0}' is not a number")]
    BadNumber(String),
}

/// Reads a `dhcpd.leases` file. Never panics; errors name the line and column.
pub fn read(text: &str) -> Result<LeaseFile, LeasesError> {
    let tokens = Lexer::new(text).tokens()?;
    let mut parser = Parser { tokens, pos: 0, end: end_position(text) };
    parser.file()
}

// ----- the lexer -----

/// A token: punctuation, a quoted string (its bytes, escapes resolved), or a
/// word (any run of other non-blank characters: names, numbers, addresses).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Open,
    Close,
    Semi,
    Str(Vec<u8>),
    Word(String),
}

#[derive(Clone, Debug)]
struct Token {
    tok: Tok,
    line: usize,
    column: usize,
}

struct Lexer<'a> {
    chars: Peekable<Chars<'a>>,
    line: usize,
    column: usize,
}

impl<'a> Lexer<'a> {
    fn new(text: &'a str) -> Lexer<'a> {
        Lexer { chars: text.chars().peekable(), line: 1, column: 1 }
    }

    fn tokens(mut self) -> Result<Vec<Token>, LeasesError> {
        let mut out = Vec::new();
        while let Some(&c) = self.chars.peek() {
            let (line, column) = (self.line, self.column);
            let tok = match c {
                // A comment runs to the end of the line.
                '#' => {
                    while self.bump().is_some_and(|c| c != '\n') {}
                    continue;
                }
                c if c.is_whitespace() => {
                    self.bump();
                    continue;
                }
                '{' | '}' | ';' => {
                    self.bump();
                    punctuation(c)
                }
                '"' => Tok::Str(self.string(line, column)?),
                _ => Tok::Word(self.word()),
            };
            out.push(Token { tok, line, column });
        }
        Ok(out)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.chars.next()?;
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn word(&mut self) -> String {
        let mut word = String::new();
        while let Some(&c) = self.chars.peek() {
            if c.is_whitespace() || matches!(c, '{' | '}' | ';' | '"' | '#') {
                break;
            }
            word.push(c);
            self.bump();
        }
        word
    }

    /// A quoted string, from its opening quote (at `line`, `column`) to the closing one.
    fn string(&mut self, line: usize, column: usize) -> Result<Vec<u8>, LeasesError> {
        self.bump();
        let mut bytes = Vec::new();
        loop {
            match self.bump() {
                None => return Err(error_at(line, column, LeasesErrorKind::UnterminatedString)),
                Some('"') => return Ok(bytes),
                Some('\\') => {
                    // The backslash is one column back.
                    let (l, c) = (self.line, self.column - 1);
                    let byte = self.escape().map_err(|kind| error_at(l, c, kind))?;
                    bytes.extend_from_slice(&byte);
                }
                Some(c) => bytes.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
            }
        }
    }

    /// The bytes an escape stands for, after its backslash: `\t \r \n \b`,
    /// octal `\o` to `\ooo`, hex `\xh` or `\xhh`, else the character itself.
    fn escape(&mut self) -> Result<Vec<u8>, LeasesErrorKind> {
        let Some(c) = self.bump() else {
            return Err(LeasesErrorKind::UnterminatedString);
        };
        let byte = match c {
            't' => b'\t',
            'r' => b'\r',
            'n' => b'\n',
            'b' => 8,
            'x' => {
                let (value, count) = self.digits(16, 2);
                if count == 0 {
                    return Err(LeasesErrorKind::BadEscape("\\x".into()));
                }
                // Two hex digits are at most 255.
                value as u8
            }
            _ => match c.to_digit(8) {
                Some(first) => self.octal_escape(first)?,
                None => return Ok(c.encode_utf8(&mut [0; 4]).as_bytes().to_vec()),
            },
        };
        Ok(vec![byte])
    }

    /// The rest of an octal escape whose first digit was `first`.
    fn octal_escape(&mut self, first: u32) -> Result<u8, LeasesErrorKind> {
        let (rest, count) = self.digits(8, 2);
        let value = first * 8u32.pow(count) + rest;
        u8::try_from(value).map_err(|_| LeasesErrorKind::BadEscape(format!("\\{value:o}")))
    }

    /// Up to `max` digits of `radix`: their value and how many there were.
    fn digits(&mut self, radix: u32, max: u32) -> (u32, u32) {
        let (mut value, mut count) = (0, 0);
        while count < max {
            let Some(d) = self.chars.peek().and_then(|c| c.to_digit(radix)) else {
                break;
            };
            value = value * radix + d;
            count += 1;
            self.bump();
        }
        (value, count)
    }
}

fn punctuation(c: char) -> Tok {
    match c {
        '{' => Tok::Open,
        '}' => Tok::Close,
        _ => Tok::Semi,
    }
}

/// The line and column just past the last character.
fn end_position(text: &str) -> (usize, usize) {
    let line = text.matches('\n').count() + 1;
    let last = text.rsplit('\n').next().unwrap_or("");
    (line, last.chars().count() + 1)
}

fn error_at(line: usize, column: usize, kind: LeasesErrorKind) -> LeasesError {
    LeasesError { line, column, kind }
}

fn token_error(token: &Token, kind: LeasesErrorKind) -> LeasesError {
    error_at(token.line, token.column, kind)
}

fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Open => "'{'".into(),
        Tok::Close => "'}'".into(),
        Tok::Semi => "';'".into(),
        Tok::Str(_) => "a quoted string".into(),
        Tok::Word(w) => format!("'{w}'"),
    }
}

// ----- the parser -----

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    /// Where the text ends, for errors about a missing token.
    end: (usize, usize),
}

impl Parser {
    fn file(&mut self) -> Result<LeaseFile, LeasesError> {
        let mut file = LeaseFile::default();
        while self.peek().is_some() {
            let token = self.next()?;
            match &token.tok {
                Tok::Word(w) if w == "lease" => {
                    let record = self.lease()?;
                    file.lease_records += 1;
                    // A later record of the same address replaces the earlier one.
                    file.leases.insert(record.address, record);
                }
                Tok::Word(w) if w == "failover" => {
                    let record = self.failover()?;
                    match file.failover.iter_mut().find(|f| f.peer == record.peer) {
                        Some(slot) => *slot = record,
                        None => file.failover.push(record),
                    }
                }
                Tok::Word(w) if w == "server-duid" => {
                    file.server_duid = Some(self.bytes()?);
                    self.punct(Tok::Semi)?;
                }
                Tok::Close => return Err(token_error(&token, LeasesErrorKind::UnexpectedClose)),
                _ => self.skip_statement(token)?,
            }
        }
        Ok(file)
    }

    /// `lease ADDRESS { ... }`, from the address on.
    fn lease(&mut self) -> Result<LeaseRecord, LeasesError> {
        let (text, token) = self.word("an IPv4 address")?;
        let address =
            text.parse().map_err(|_| token_error(&token, LeasesErrorKind::BadAddress(text)))?;
        self.punct(Tok::Open)?;
        let mut record = LeaseRecord::empty(address);
        loop {
            let token = self.next()?;
            if token.tok == Tok::Close {
                return Ok(record);
            }
            self.lease_statement(&mut record, token)?;
        }
    }

    fn lease_statement(
        &mut self,
        record: &mut LeaseRecord,
        first: Token,
    ) -> Result<(), LeasesError> {
        let Tok::Word(keyword) = &first.tok else {
            return self.skip_statement(first);
        };
        match keyword.as_str() {
            "starts" => record.starts = self.date()?,
            "ends" => record.ends = self.date()?,
            "tstp" => record.tstp = self.date()?,
            "tsfp" => record.tsfp = self.date()?,
            "atsfp" => record.atsfp = self.date()?,
            "cltt" => record.cltt = self.date()?,
            "binding" => record.binding = Some(self.binding_state()?),
            "next" | "rewind" => {
                self.keyword("binding")?;
                let state = Some(self.binding_state()?);
                match keyword.as_str() {
                    "next" => record.next = state,
                    _ => record.rewind = state,
                }
            }
            "hardware" => record.hardware = self.hardware()?,
            "uid" => record.uid = Some(self.bytes()?),
            _ => return self.skip_statement(first),
        }
        self.punct(Tok::Semi)
    }

    /// `failover peer NAME state { ... }`, from `peer` on.
    fn failover(&mut self) -> Result<FailoverRecord, LeasesError> {
        self.keyword("peer")?;
        let token = self.next()?;
        let peer = match &token.tok {
            Tok::Str(bytes) => String::from_utf8_lossy(bytes).into_owned(),
            Tok::Word(w) => w.clone(),
            other => return Err(self.expected("the relationship's name", other, &token)),
        };
        self.keyword("state")?;
        self.punct(Tok::Open)?;
        let mut record = FailoverRecord {
            peer,
            my_state: None,
            my_state_at: 0,
            partner_state: None,
            partner_state_at: 0,
            mclt: None,
        };
        loop {
            let token = self.next()?;
            if token.tok == Tok::Close {
                return Ok(record);
            }
            self.failover_statement(&mut record, token)?;
        }
    }

    fn failover_statement(
        &mut self,
        record: &mut FailoverRecord,
        first: Token,
    ) -> Result<(), LeasesError> {
        let Tok::Word(keyword) = &first.tok else {
            return self.skip_statement(first);
        };
        match keyword.as_str() {
            "my" => (record.my_state, record.my_state_at) = self.failover_state()?,
            "partner" => (record.partner_state, record.partner_state_at) = self.failover_state()?,
            "mclt" => record.mclt = Some(self.number()?),
            _ => return self.skip_statement(first),
        }
        self.punct(Tok::Semi)
    }

    /// `state NAME [at DATE]`, after `my` or `partner`.
    fn failover_state(&mut self) -> Result<(Option<FailoverState>, u64), LeasesError> {
        self.keyword("state")?;
        let (name, token) = self.word("a failover state")?;
        let state = failover_state_named(&name)
            .ok_or_else(|| token_error(&token, LeasesErrorKind::BadFailoverState(name)))?;
        let at = match self.peek().map(|t| &t.tok) {
            Some(Tok::Word(w)) if w == "at" => {
                self.pos += 1;
                self.date()?
            }
            _ => 0,
        };
        Ok((state, at))
    }

    /// `state NAME`, after `binding`.
    fn binding_state(&mut self) -> Result<BindingState, LeasesError> {
        self.keyword("state")?;
        let (name, token) = self.word("a binding state")?;
        binding_state_named(&name)
            .ok_or_else(|| token_error(&token, LeasesErrorKind::BadBindingState(name)))
    }

    /// A date: `W YYYY/MM/DD HH:MM:SS`, `epoch N` or `never`, as Unix seconds.
    fn date(&mut self) -> Result<u64, LeasesError> {
        let (first, token) = self.word("a date")?;
        match first.as_str() {
            "never" => Ok(NEVER),
            "epoch" => self.number(),
            _ => {
                let (day, _) = self.word("a date like 2006/07/27")?;
                let (clock, _) = self.word("a time like 00:33:27")?;
                parse_date(&first, &day, &clock).ok_or_else(|| {
                    token_error(&token, LeasesErrorKind::BadDate(format!("{first} {day} {clock}")))
                })
            }
        }
    }

    /// `TYPE XX:XX:...`: the address when it is a six-byte Ethernet one.
    fn hardware(&mut self) -> Result<Option<Mac>, LeasesError> {
        let (kind, _) = self.word("a hardware type such as ethernet")?;
        let (text, token) = self.word("a hardware address")?;
        let bytes = hex_bytes(&text)
            .ok_or_else(|| token_error(&token, LeasesErrorKind::BadHardware(text)))?;
        Ok(match <[u8; 6]>::try_from(bytes) {
            Ok(six) if kind == "ethernet" => Some(Mac(six)),
            _ => None,
        })
    }

    /// A quoted string or colon-separated hex bytes.
    fn bytes(&mut self) -> Result<Vec<u8>, LeasesError> {
        let token = self.next()?;
        match &token.tok {
            Tok::Str(bytes) => Ok(bytes.clone()),
            Tok::Word(w) => hex_bytes(w)
                .ok_or_else(|| token_error(&token, LeasesErrorKind::BadBytes(w.clone()))),
            other => Err(self.expected("a quoted string or hex bytes", other, &token)),
        }
    }

    fn number(&mut self) -> Result<u64, LeasesError> {
        let (text, token) = self.word("a number")?;
        text.parse().map_err(|_| token_error(&token, LeasesErrorKind::BadNumber(text)))
    }

    /// Skips a statement this reader does not know, from its first token to
    /// its `;`, or to the `}` closing a block it opened. A `}` of the enclosing
    /// block ends it too, and is left for the caller.
    fn skip_statement(&mut self, first: Token) -> Result<(), LeasesError> {
        let mut depth = 0usize;
        let mut token = first;
        loop {
            match token.tok {
                Tok::Semi if depth == 0 => return Ok(()),
                Tok::Open => depth += 1,
                Tok::Close => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return Ok(());
                    }
                }
                _ => {}
            }
            if depth == 0 && self.peek().is_some_and(|t| t.tok == Tok::Close) {
                return Ok(());
            }
            token = self.next()?;
        }
    }

    fn keyword(&mut self, keyword: &str) -> Result<(), LeasesError> {
        let token = self.next()?;
        match &token.tok {
            Tok::Word(w) if w == keyword => Ok(()),
            other => Err(self.expected(&format!("'{keyword}'"), other, &token)),
        }
    }

    fn word(&mut self, what: &str) -> Result<(String, Token), LeasesError> {
        let token = self.next()?;
        match &token.tok {
            Tok::Word(w) => Ok((w.clone(), token)),
            other => Err(self.expected(what, other, &token)),
        }
    }

    fn punct(&mut self, want: Tok) -> Result<(), LeasesError> {
        let token = self.next()?;
        if token.tok == want {
            return Ok(());
        }
        Err(self.expected(&describe(&want), &token.tok, &token))
    }

    fn expected(&self, what: &str, found: &Tok, at: &Token) -> LeasesError {
        let kind = LeasesErrorKind::Expected { expected: what.into(), found: describe(found) };
        token_error(at, kind)
    }

    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn next(&mut self) -> Result<Token, LeasesError> {
        let Some(token) = self.tokens.get(self.pos).cloned() else {
            return Err(error_at(self.end.0, self.end.1, LeasesErrorKind::UnexpectedEnd));
        };
        self.pos += 1;
        Ok(token)
    }
}

/// A binding state by the name dhcpd writes. The legacy `reserved` and `bootp`
/// load as ACTIVE, as in dhcpd.
fn binding_state_named(name: &str) -> Option<BindingState> {
    if matches!(name, "reserved" | "bootp") {
        return Some(BindingState::Active);
    }
    BindingState::ALL.into_iter().find(|s| s.name() == name)
}

/// A failover state by the name dhcpd writes: `Some(None)` for `unknown-state`.
fn failover_state_named(name: &str) -> Option<Option<FailoverState>> {
    if name == "unknown-state" {
        return Some(None);
    }
    FailoverState::RUNNING.into_iter().find(|s| s.name() == name).map(Some)
}

/// Unix seconds of `W YYYY/MM/DD HH:MM:SS` (UTC). As in dhcpd, the weekday is
/// not checked against the date, and a year below 1900 counts from 1900.
fn parse_date(weekday: &str, day: &str, clock: &str) -> Option<u64> {
    let weekday: u8 = weekday.parse().ok()?;
    let [year, month, day] = numbers(day, '/')?;
    let [h, m, s] = numbers(clock, ':')?;
    if weekday > 6 {
        return None;
    }
    let year = if year < 1900 { year + 1900 } else { year };
    time::parse_utc(&format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}Z")).ok()
}

/// Exactly three numbers of at most four digits, separated by `sep`.
fn numbers(text: &str, sep: char) -> Option<[u64; 3]> {
    let mut out = [0; 3];
    let mut parts = text.split(sep);
    for slot in &mut out {
        let part = parts.next()?;
        if part.is_empty() || part.len() > 4 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *slot = part.parse().ok()?;
    }
    parts.next().is_none().then_some(out)
}

/// Colon-separated hex bytes of one or two digits each (`02:77:0:0:0:4`).
fn hex_bytes(text: &str) -> Option<Vec<u8>> {
    text.split(':')
        .map(|part| match part.len() {
            1 | 2 => u8::from_str_radix(part, 16).ok(),
            _ => None,
        })
        .collect()
}
