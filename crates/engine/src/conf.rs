//! Importing an ISC dhcpd 4.4 `dhcpd.conf` into a playground [`Scenario`].
//!
//! [`import`] reads the text in three passes. A tokenizer splits it into
//! words, quoted strings and punctuation (dropping `#` comments), a parser
//! builds the tree of statements (`…;`) and blocks (`… { … }`), and a walk
//! maps the parts the model has onto a scenario:
//!
//! - the first `pool` holding a `failover peer "NAME";` statement, its
//!   `range` and the `subnet` (address and `netmask`) around it;
//! - the `failover peer "NAME" { … }` declaration it names (dhcpd.conf(5) and
//!   the draft-ietf-dhc-failover-12 parameters): the role, `address` and
//!   `peer address`, `mclt`, `split` or `hba`, `max-response-delay`,
//!   `max-unacked-updates`, `load balance max seconds`, `auto-partner-down`;
//! - `default-lease-time`, `max-lease-time`, `min-lease-time`, `ping-check`,
//!   `ping-timeout` and `ping-timeout-ms`, from the innermost scope around the
//!   pool that sets them (pool, subnet, shared network, group, global).
//!
//! A statement left out stays `None` in the scenario, so the engine applies
//! dhcpd's own default. Everything else is read past and reported as a
//! [`ConfNote`] with its line and column; a whole ignored block (a host, a
//! class, another subnet) gets one note. Text dhcpd itself would refuse
//! (unbalanced braces, an unterminated string, a bad address or number in a
//! statement the model uses) and a configuration without a failover pool
//! give a [`ConfError`]. No input makes the importer panic.
//!
//! The model has one LAN, one pool and both servers in NORMAL, so: server
//! addresses outside the pool's subnet are replaced by addresses on it; an
//! `hba` that is not a prefix of buckets becomes the nearest `split`; a
//! secondary's file, which has no `mclt` or `split` (dhcpd learns them from
//! the primary), gets the defaults. A dhcpd.conf names no clients, so two
//! example clients are added, one hashing to each server (RFC 3074), each
//! releasing after its first renewal; a short dry run of the engine finds
//! when that renewal happens.
//!
//! Not modelled: `include` files, hosts and fixed addresses, classes,
//! conditionals and `on` events, options sent to clients, DNS updates,
//! several subnets, pools or failover relationships, and ports.

use std::fmt;
use std::net::Ipv4Addr;

use serde::Serialize;

use crate::addr::{Mac, Subnet};
use crate::balance::{bucket, Hba};
use crate::client::ClientState;
use crate::packet::Role;
use crate::scenario::{
    ClientSpec, DurationSpec, EventSpec, FailoverSection, LeaseSection, NetworkSection,
    PoolSection, Scenario, TimeSpec, MAX_END_SECS, MAX_POOL,
};
use crate::sim::World;
use crate::time::{Duration, Time};
use crate::trace::{Effect, Why};

/// What [`import`] made of a configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct Import {
    /// The scenario; it always passes [`Scenario::validate`].
    pub scenario: Scenario,
    /// What was left out or changed, in the order of the text.
    pub notes: Vec<ConfNote>,
}

/// How much a note matters to what the playground shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Left out, but it changes nothing the model shows (logging, DNS, ports).
    Info,
    /// Left out or adapted, and the real server may behave differently.
    Warning,
}

impl Severity {
    /// `"info"` or `"warning"`.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
        }
    }
}

/// A remark about one statement of the configuration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConfNote {
    /// Line of the statement, from 1.
    pub line: u32,
    /// Column of its first character, from 1.
    pub column: u32,
    /// How much it matters.
    pub severity: Severity,
    /// What happened to it, in plain words.
    pub message: String,
}

impl fmt::Display for ConfNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}: {}", self.line, self.column, self.message)
    }
}

/// A configuration the importer cannot turn into a scenario, and where.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {kind}")]
pub struct ConfError {
    /// Line, from 1.
    pub line: u32,
    /// Column, from 1.
    pub column: u32,
    /// What is wrong.
    pub kind: ConfErrorKind,
}

/// The kinds of [`ConfError`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConfErrorKind {
    /// A quoted string not closed on its own line.
    #[error("this string is not closed by a `\"` on its line")]
    UnterminatedString,
    /// A `}` with no block open.
    #[error("this `}}` closes no block")]
    UnexpectedClose,
    /// A `{` whose block is never closed.
    #[error("this `{{` is never closed by a `}}`")]
    UnclosedBlock,
    /// A statement without its closing `;` (the statement's first words).
    #[error("`{0}` must end with `;`")]
    MissingSemicolon(String),
    /// Blocks nested deeper than [`MAX_DEPTH`].
    #[error("blocks are nested more than {MAX_DEPTH} deep")]
    TooDeep,
    /// A malformed IPv4 address in a statement the model uses.
    #[error("`{0}` is not an IPv4 address")]
    BadAddress(String),
    /// A malformed value in a statement the model uses.
    #[error("{0}")]
    BadValue(String),
    /// No pool names a failover peer.
    #[error("no pool has a `failover peer` statement, so there is no failover pool to import")]
    NoFailoverPool,
    /// The failover pool names a peer that is never declared.
    #[error("failover peer \"{0}\" is used here but never declared")]
    UnknownPeer(String),
    /// The peer declaration says neither `primary;` nor `secondary;`.
    #[error("failover peer \"{0}\" says neither `primary;` nor `secondary;`")]
    MissingRole(String),
    /// Valid for dhcpd, but not expressible in the model.
    #[error("{0}")]
    Unsupported(String),
}

/// The deepest nesting of blocks the importer follows.
pub const MAX_DEPTH: usize = 64;

/// Steps of the dry run that times the example clients' releases.
const PROBE_STEPS: usize = 20_000;
/// The longest lease time the scenario format takes: a year.
const MAX_LEASE_SECS: u64 = 365 * 86_400;

/// Reads a dhcpd.conf and builds a scenario of its failover pool.
pub fn import(text: &str) -> Result<Import, ConfError> {
    let root = parse(lex(text)?)?;
    let target = locate(&root)?;
    let mut walk = Walk::new(&target);
    walk.statements(&root, &mut Vec::new(), true)?;
    let Walk { mut notes, leases, peer, .. } = walk;
    // The walk enters every block on the way to the declaration, so it has read it.
    let peer = peer.ok_or_else(|| ConfError::at(target.reference, target.unknown_peer()))?;
    let scenario = build(&target, &peer, &leases, &mut notes)?;
    let mut notes = notes.0;
    notes.sort_by_key(|n| (n.line, n.column));
    Ok(Import { scenario, notes })
}

impl ConfError {
    fn at(pos: Pos, kind: ConfErrorKind) -> ConfError {
        ConfError { line: pos.line, column: pos.column, kind }
    }
}

fn fail<T>(pos: Pos, kind: ConfErrorKind) -> Result<T, ConfError> {
    Err(ConfError::at(pos, kind))
}

// ---------------------------------------------------------------------------
// Tokens

/// A place in the text (1-based line and column, counted in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Pos {
    line: u32,
    column: u32,
}

const START: Pos = Pos { line: 1, column: 1 };

impl Default for Pos {
    fn default() -> Pos {
        START
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    /// A keyword, number, address or name.
    Word(String),
    /// The contents of a quoted string.
    Str(String),
    Open,
    Close,
    Semi,
    /// `,`, `(`, `)` or `=`.
    Punct(char),
}

#[derive(Clone, Debug)]
struct Token {
    tok: Tok,
    pos: Pos,
}

impl Token {
    /// The token as the text shows it (strings with their quotes).
    fn shown(&self) -> String {
        match &self.tok {
            Tok::Word(w) => w.clone(),
            Tok::Str(s) => format!("\"{s}\""),
            Tok::Open => "{".into(),
            Tok::Close => "}".into(),
            Tok::Semi => ";".into(),
            Tok::Punct(c) => c.to_string(),
        }
    }

    /// A word or a string's contents.
    fn text(&self) -> Option<&str> {
        match &self.tok {
            Tok::Word(w) | Tok::Str(w) => Some(w),
            _ => None,
        }
    }
}

/// Characters that end a word.
fn is_delimiter(c: char) -> bool {
    c.is_whitespace() || matches!(c, '{' | '}' | ';' | ',' | '(' | ')' | '=' | '"' | '#')
}

struct Lexer<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    pos: Pos,
}

impl Lexer<'_> {
    fn bump(&mut self) -> Option<char> {
        let c = self.chars.next()?;
        if c == '\n' {
            self.pos.line = self.pos.line.saturating_add(1);
            self.pos.column = 1;
        } else {
            self.pos.column = self.pos.column.saturating_add(1);
        }
        Some(c)
    }

    fn next_token(&mut self) -> Result<Option<Token>, ConfError> {
        while let Some(&c) = self.chars.peek() {
            if c.is_whitespace() {
                self.bump();
            } else if c == '#' {
                while self.chars.peek().is_some_and(|&c| c != '\n') {
                    self.bump();
                }
            } else {
                return self.token(c).map(Some);
            }
        }
        Ok(None)
    }

    fn token(&mut self, c: char) -> Result<Token, ConfError> {
        let pos = self.pos;
        let tok = match c {
            '"' => return self.string(pos),
            '{' => Tok::Open,
            '}' => Tok::Close,
            ';' => Tok::Semi,
            ',' | '(' | ')' | '=' => Tok::Punct(c),
            _ => return Ok(self.word(pos)),
        };
        self.bump();
        Ok(Token { tok, pos })
    }

    fn word(&mut self, pos: Pos) -> Token {
        let mut word = String::new();
        while let Some(&c) = self.chars.peek() {
            if is_delimiter(c) {
                break;
            }
            word.push(c);
            self.bump();
        }
        Token { tok: Tok::Word(word), pos }
    }

    /// A quoted string; a backslash takes the next character literally. A
    /// string ends on its line (dhcpd would read on, but no real file relies
    /// on that, and a forgotten quote is then reported where it is).
    fn string(&mut self, pos: Pos) -> Result<Token, ConfError> {
        self.bump();
        let mut text = String::new();
        loop {
            match self.bump() {
                None | Some('\n') => return fail(pos, ConfErrorKind::UnterminatedString),
                Some('"') => return Ok(Token { tok: Tok::Str(text), pos }),
                Some('\\') => match self.bump() {
                    None | Some('\n') => return fail(pos, ConfErrorKind::UnterminatedString),
                    Some(escaped) => text.push(escaped),
                },
                Some(c) => text.push(c),
            }
        }
    }
}

fn lex(text: &str) -> Result<Vec<Token>, ConfError> {
    let mut lexer = Lexer { chars: text.chars().peekable(), pos: START };
    let mut tokens = Vec::new();
    while let Some(t) = lexer.next_token()? {
        tokens.push(t);
    }
    Ok(tokens)
}

// ---------------------------------------------------------------------------
// Statements

/// One statement: its words, and its block if it has one.
#[derive(Clone, Debug)]
struct Statement {
    head: Vec<Token>,
    /// Where the statement starts.
    pos: Pos,
    /// The line of its `;` or closing `}`.
    last_line: u32,
    block: Option<Vec<Statement>>,
}

impl Statement {
    /// The head's tokens, words in lower case (dhcpd's keywords ignore case).
    fn lowered(&self) -> Vec<String> {
        self.head
            .iter()
            .map(|t| match &t.tok {
                Tok::Word(w) => w.to_ascii_lowercase(),
                _ => t.shown(),
            })
            .collect()
    }

    /// The keyword the notes name it by: `ddns-update-style`, `option routers`, …
    fn name(&self) -> String {
        let words = self.lowered();
        let take = match words.first().map(String::as_str) {
            None => return "{".into(),
            Some("option" | "not" | "peer" | "failover" | "shared-network") => 2,
            Some("load") => 4,
            Some("allow" | "deny" | "ignore") => words.len().min(4),
            Some(_) => 1,
        };
        words.iter().take(take).cloned().collect::<Vec<_>>().join(" ")
    }

    /// The word or string at `i`.
    fn text(&self, i: usize) -> Option<&str> {
        self.head.get(i).and_then(Token::text)
    }

    /// Whether the head starts with these keywords.
    fn is(&self, keywords: &[&str]) -> bool {
        keywords.len() <= self.head.len()
            && keywords.iter().zip(&self.head).all(|(k, t)| match &t.tok {
                Tok::Word(w) => w.eq_ignore_ascii_case(k),
                _ => false,
            })
    }

    /// The statements of its block (none for a simple statement).
    fn children(&self) -> &[Statement] {
        self.block.as_deref().unwrap_or_default()
    }

    /// How many statements its block holds, at any depth.
    fn inner_count(&self) -> usize {
        self.children().iter().map(|c| 1 + c.inner_count()).sum()
    }

    /// The statement in short: `host laptop { … }`, `subnet 10.0.0.0 netmask 255.0.0.0 { }`.
    fn outline(&self) -> String {
        let mut words: Vec<String> = self.head.iter().take(5).map(Token::shown).collect();
        if self.head.len() > 5 {
            words.push("…".into());
        }
        match &self.block {
            Some(b) if b.is_empty() => words.push("{ }".into()),
            Some(_) => words.push("{ … }".into()),
            None => {}
        }
        words.join(" ")
    }

    /// `line 12` or `lines 12–15`.
    fn lines(&self) -> String {
        if self.last_line > self.pos.line {
            format!("lines {}–{}", self.pos.line, self.last_line)
        } else {
            format!("line {}", self.pos.line)
        }
    }
}

struct Parser {
    tokens: std::vec::IntoIter<Token>,
}

fn parse(tokens: Vec<Token>) -> Result<Vec<Statement>, ConfError> {
    let mut parser = Parser { tokens: tokens.into_iter() };
    parser.block(0, None).map(|(statements, _)| statements)
}

impl Parser {
    /// Statements up to the `}` that closes the block opened at `open` (or
    /// the end of the text at the top), with the line of that `}`.
    fn block(
        &mut self,
        depth: usize,
        open: Option<Pos>,
    ) -> Result<(Vec<Statement>, u32), ConfError> {
        let mut out = Vec::new();
        let mut head: Vec<Token> = Vec::new();
        loop {
            let Some(token) = self.tokens.next() else {
                return match (head.first(), open) {
                    (Some(first), _) => fail(first.pos, missing_semicolon(&head)),
                    (None, Some(pos)) => fail(pos, ConfErrorKind::UnclosedBlock),
                    (None, None) => Ok((out, 0)),
                };
            };
            match token.tok {
                Tok::Semi if head.is_empty() => {}
                Tok::Semi => out.push(statement(std::mem::take(&mut head), None, token.pos)),
                Tok::Close => {
                    if let Some(first) = head.first() {
                        return fail(first.pos, missing_semicolon(&head));
                    }
                    return match open {
                        Some(_) => Ok((out, token.pos.line)),
                        None => fail(token.pos, ConfErrorKind::UnexpectedClose),
                    };
                }
                Tok::Open if starts_value(&head) => self.inline_group(&mut head, token)?,
                Tok::Open => {
                    if depth >= MAX_DEPTH {
                        return fail(token.pos, ConfErrorKind::TooDeep);
                    }
                    let (inner, close_line) = self.block(depth + 1, Some(token.pos))?;
                    let mut s = statement(std::mem::take(&mut head), Some(inner), token.pos);
                    s.last_line = close_line;
                    out.push(s);
                }
                _ => head.push(token),
            }
        }
    }

    /// A brace group inside a value (`option x code 250 = { text, ip-address };`):
    /// its tokens stay part of the statement.
    fn inline_group(&mut self, head: &mut Vec<Token>, open: Token) -> Result<(), ConfError> {
        let open_pos = open.pos;
        let mut depth = 0usize;
        head.push(open);
        for token in self.tokens.by_ref() {
            match token.tok {
                Tok::Open => depth += 1,
                Tok::Close if depth == 0 => {
                    head.push(token);
                    return Ok(());
                }
                Tok::Close => depth -= 1,
                _ => {}
            }
            head.push(token);
        }
        fail(open_pos, ConfErrorKind::UnclosedBlock)
    }
}

/// Whether a `{` after these words opens a value rather than a block.
fn starts_value(head: &[Token]) -> bool {
    match head.last().map(|t| &t.tok) {
        Some(Tok::Punct('=')) => true,
        Some(Tok::Word(w)) => w.eq_ignore_ascii_case("of"),
        _ => false,
    }
}

fn statement(head: Vec<Token>, block: Option<Vec<Statement>>, end: Pos) -> Statement {
    let pos = head.first().map_or(end, |t| t.pos);
    Statement { head, pos, last_line: end.line, block }
}

fn missing_semicolon(head: &[Token]) -> ConfErrorKind {
    let shown: Vec<String> = head.iter().take(4).map(Token::shown).collect();
    let more = if head.len() > 4 { " …" } else { "" };
    ConfErrorKind::MissingSemicolon(format!("{}{more}", shown.join(" ")))
}

// ---------------------------------------------------------------------------
// Values

/// The one value of `s` at `at`, which must be its last word.
fn value(s: &Statement, at: usize) -> Result<&Token, ConfError> {
    let Some(token) = s.head.get(at) else {
        let name = s.name();
        return fail(s.pos, ConfErrorKind::BadValue(format!("`{name}` needs a value")));
    };
    if let Some(extra) = s.head.get(at + 1) {
        let message =
            format!("`{}` after `{}` was not expected; put a `;` there", extra.shown(), s.name());
        return fail(extra.pos, ConfErrorKind::BadValue(message));
    }
    Ok(token)
}

fn number(s: &Statement, at: usize) -> Result<u64, ConfError> {
    let token = value(s, at)?;
    match token.tok {
        Tok::Word(ref w) if w.bytes().all(|b| b.is_ascii_digit()) => w.parse().or_else(|_| {
            let message = format!("`{w}` is too large for `{}`", s.name());
            fail(token.pos, ConfErrorKind::BadValue(message))
        }),
        _ => {
            let message = format!("`{}` needs a whole number, not `{}`", s.name(), token.shown());
            fail(token.pos, ConfErrorKind::BadValue(message))
        }
    }
}

fn boolean(s: &Statement, at: usize) -> Result<bool, ConfError> {
    let token = value(s, at)?;
    match token.text().map(str::to_ascii_lowercase).as_deref() {
        Some("true" | "on") if matches!(token.tok, Tok::Word(_)) => Ok(true),
        Some("false" | "off") if matches!(token.tok, Tok::Word(_)) => Ok(false),
        _ => {
            let message = format!("`{}` takes true or false, not `{}`", s.name(), token.shown());
            fail(token.pos, ConfErrorKind::BadValue(message))
        }
    }
}

/// Whether a word is written as a dotted number (an address, good or bad).
fn looks_numeric(word: &str) -> bool {
    word.contains('.') && word.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

fn address_token(token: &Token) -> Result<Ipv4Addr, ConfError> {
    match &token.tok {
        Tok::Word(w) => {
            w.parse().or_else(|_| fail(token.pos, ConfErrorKind::BadAddress(w.clone())))
        }
        _ => fail(token.pos, ConfErrorKind::BadAddress(token.shown())),
    }
}

/// `subnet A netmask M`, as a CIDR subnet.
fn subnet_header(s: &Statement) -> Result<Subnet, ConfError> {
    let (Some(net), Some(keyword), Some(_)) = (s.head.get(1), s.head.get(2), s.head.get(3)) else {
        let message = "`subnet` needs an address and a `netmask`".to_string();
        return fail(s.pos, ConfErrorKind::BadValue(message));
    };
    if !keyword.text().is_some_and(|k| k.eq_ignore_ascii_case("netmask")) {
        let message =
            format!("expected `netmask` after the subnet address, not `{}`", keyword.shown());
        return fail(keyword.pos, ConfErrorKind::BadValue(message));
    }
    let network = address_token(net)?;
    let mask_token = value(s, 3)?;
    let mask = u32::from(address_token(mask_token)?);
    if mask.leading_ones() + mask.trailing_zeros() != 32 {
        let message =
            format!("`{}` is not a netmask: its one bits must come first", mask_token.shown());
        return fail(mask_token.pos, ConfErrorKind::BadValue(message));
    }
    if u32::from(network) & !mask != 0 {
        let message = format!("{network} has bits set outside netmask {}", Ipv4Addr::from(mask));
        return fail(net.pos, ConfErrorKind::BadValue(message));
    }
    // leading_ones of a u32 is at most 32, so it fits a u8.
    Ok(Subnet { network, prefix: mask.leading_ones() as u8 })
}

/// `range [dynamic-bootp] LOW [HIGH]`.
fn range_addresses(s: &Statement) -> Result<(Ipv4Addr, Ipv4Addr), ConfError> {
    let at = if s.is(&["range", "dynamic-bootp"]) { 2 } else { 1 };
    let low = match s.head.get(at) {
        Some(token) => address_token(token)?,
        None => {
            let message = "`range` needs its first and last address".to_string();
            return fail(s.pos, ConfErrorKind::BadValue(message));
        }
    };
    if s.head.len() == at + 1 {
        return Ok((low, low));
    }
    let high = address_token(value(s, at + 1)?)?;
    Ok((low, high))
}

// ---------------------------------------------------------------------------
// Finding the failover pool

/// The parts of the tree the scenario is built from, by path of block indices.
struct Target {
    pool: Vec<usize>,
    /// The pool's `failover peer "NAME";` statement.
    reference: Pos,
    peer_name: String,
    peer: Vec<usize>,
    subnet_path: Vec<usize>,
    subnet: Subnet,
    /// The pool's first range, in the order written.
    range: (Ipv4Addr, Ipv4Addr),
    range_pos: Pos,
}

impl Target {
    fn unknown_peer(&self) -> ConfErrorKind {
        ConfErrorKind::UnknownPeer(self.peer_name.clone())
    }

    fn in_pool(&self, path: &[usize]) -> bool {
        path.split_last().is_some_and(|(_, parent)| parent == self.pool.as_slice())
    }
}

/// The path and statement of the first statement (in text order) that `want` accepts.
fn find<'a>(
    statements: &'a [Statement],
    path: &mut Vec<usize>,
    want: &dyn Fn(&Statement) -> bool,
) -> Option<(Vec<usize>, &'a Statement)> {
    for (i, s) in statements.iter().enumerate() {
        path.push(i);
        let found = if want(s) { Some((path.clone(), s)) } else { find(s.children(), path, want) };
        path.pop();
        if found.is_some() {
            return found;
        }
    }
    None
}

/// The statements inside the block at `path` (the top level for an empty path).
fn children_at<'a>(root: &'a [Statement], path: &[usize]) -> &'a [Statement] {
    let mut statements = root;
    for &i in path {
        statements = statements.get(i).map_or(&[], Statement::children);
    }
    statements
}

fn is_reference(s: &Statement) -> bool {
    s.is(&["failover", "peer"]) && s.block.is_none()
}

fn is_failover_pool(s: &Statement) -> bool {
    s.is(&["pool"]) && s.children().iter().any(is_reference)
}

fn is_declaration(s: &Statement, name: &str) -> bool {
    s.is(&["failover", "peer"]) && s.block.is_some() && s.text(2) == Some(name)
}

fn locate(root: &[Statement]) -> Result<Target, ConfError> {
    let Some((pool, pool_statement)) = find(root, &mut Vec::new(), &is_failover_pool) else {
        let declared = find(root, &mut Vec::new(), &|s| s.is(&["failover", "peer"]));
        return fail(declared.map_or(START, |(_, s)| s.pos), ConfErrorKind::NoFailoverPool);
    };
    let (reference, peer_name) = pool_reference(pool_statement)?;
    let Some((peer, _)) = find(root, &mut Vec::new(), &|s| is_declaration(s, &peer_name)) else {
        return fail(reference, ConfErrorKind::UnknownPeer(peer_name));
    };
    let Some(range_statement) = pool_statement.children().iter().find(|s| s.is(&["range"])) else {
        let message = "the failover pool has no `range`".to_string();
        return fail(pool_statement.pos, ConfErrorKind::Unsupported(message));
    };
    let range = range_addresses(range_statement)?;
    let range_pos = range_statement.pos;
    let (subnet_path, subnet) = pool_subnet(root, &pool, range.0, range_pos)?;
    check_subnet(subnet, range, range_pos)?;
    Ok(Target { pool, reference, peer_name, peer, subnet_path, subnet, range, range_pos })
}

/// Where the pool names its peer, and the name.
fn pool_reference(pool: &Statement) -> Result<(Pos, String), ConfError> {
    // `locate` only calls this for a pool that holds a reference.
    let Some(reference) = pool.children().iter().find(|s| is_reference(s)) else {
        return fail(pool.pos, ConfErrorKind::NoFailoverPool);
    };
    match reference.head.get(2).and_then(Token::text) {
        Some(name) if reference.head.len() == 3 => Ok((reference.pos, name.to_string())),
        _ => {
            let message = "write the peer's name: `failover peer \"NAME\";`".to_string();
            fail(reference.pos, ConfErrorKind::BadValue(message))
        }
    }
}

/// The subnet around the pool, or else the first subnet beside it (in a
/// shared network) that holds the range's first address.
fn pool_subnet(
    root: &[Statement],
    pool: &[usize],
    first: Ipv4Addr,
    range_pos: Pos,
) -> Result<(Vec<usize>, Subnet), ConfError> {
    for depth in (1..pool.len()).rev() {
        let (parent, index) = (&pool[..depth - 1], pool[depth - 1]);
        if let Some(s) = children_at(root, parent).get(index).filter(|s| s.is(&["subnet"])) {
            return Ok((pool[..depth].to_vec(), subnet_header(s)?));
        }
    }
    for depth in (0..pool.len()).rev() {
        for (i, s) in children_at(root, &pool[..depth]).iter().enumerate() {
            if s.is(&["subnet"]) && s.block.is_some() && subnet_header(s)?.contains(first) {
                let mut path = pool[..depth].to_vec();
                path.push(i);
                return Ok((path, subnet_header(s)?));
            }
        }
    }
    let message = format!("no subnet is declared around the failover pool's range ({first} …)");
    fail(range_pos, ConfErrorKind::Unsupported(message))
}

fn check_subnet(subnet: Subnet, range: (Ipv4Addr, Ipv4Addr), pos: Pos) -> Result<(), ConfError> {
    if subnet.prefix > 30 {
        let message = format!("subnet {subnet} has no room for the range and two servers");
        return fail(pos, ConfErrorKind::Unsupported(message));
    }
    for a in [range.0, range.1] {
        if !subnet.contains(a) {
            let message = format!("the range address {a} is outside subnet {subnet}");
            return fail(pos, ConfErrorKind::Unsupported(message));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Walking the tree

#[derive(Default)]
struct Notes(Vec<ConfNote>);

impl Notes {
    fn add(&mut self, pos: Pos, severity: Severity, message: impl Into<String>) {
        let message = message.into();
        self.0.push(ConfNote { line: pos.line, column: pos.column, severity, message });
    }

    fn info(&mut self, pos: Pos, message: impl Into<String>) {
        self.add(pos, Severity::Info, message);
    }

    fn warn(&mut self, pos: Pos, message: impl Into<String>) {
        self.add(pos, Severity::Warning, message);
    }
}

/// A value and the depth of the scope that set it.
#[derive(Clone, Copy, Debug)]
struct Setting<T> {
    value: T,
    depth: usize,
    pos: Pos,
}

/// Keeps the value of the innermost scope (the later one within a scope).
fn set<T>(slot: &mut Option<Setting<T>>, value: T, depth: usize, pos: Pos) {
    if slot.as_ref().is_none_or(|old| depth >= old.depth) {
        *slot = Some(Setting { value, depth, pos });
    }
}

/// The lease-time and ping parameters that apply to the pool.
#[derive(Default)]
struct Leases {
    default: Option<Setting<u64>>,
    max: Option<Setting<u64>>,
    min: Option<Setting<u64>>,
    ping_check: Option<Setting<bool>>,
    ping_timeout: Option<Setting<u64>>,
    ping_timeout_ms: Option<Setting<u64>>,
}

impl Leases {
    /// Reads `s` if it is one of the parameters; `Ok(false)` if it is not.
    fn read(&mut self, s: &Statement, depth: usize) -> Result<bool, ConfError> {
        let pos = s.pos;
        let slot = match s.lowered().first().map(String::as_str) {
            Some("ping-check") => {
                set(&mut self.ping_check, boolean(s, 1)?, depth, pos);
                return Ok(true);
            }
            Some("default-lease-time") => &mut self.default,
            Some("max-lease-time") => &mut self.max,
            Some("min-lease-time") => &mut self.min,
            Some("ping-timeout") => &mut self.ping_timeout,
            Some("ping-timeout-ms") => &mut self.ping_timeout_ms,
            _ => return Ok(false),
        };
        set(slot, number(s, 1)?, depth, pos);
        Ok(true)
    }
}

/// The walk over the tree: notes, lease parameters and the peer declaration.
struct Walk<'t> {
    target: &'t Target,
    notes: Notes,
    leases: Leases,
    peer: Option<PeerDeclaration>,
    /// Ranges and peer references met in the pool so far.
    pool_ranges: usize,
    pool_references: usize,
}

impl<'t> Walk<'t> {
    fn new(target: &'t Target) -> Walk<'t> {
        let (notes, leases) = (Notes::default(), Leases::default());
        Walk { target, notes, leases, peer: None, pool_ranges: 0, pool_references: 0 }
    }

    /// Walks a list of statements; `applies` says whether the scope's
    /// parameters reach the failover pool (false in a block entered only
    /// because it holds the peer declaration).
    fn statements(
        &mut self,
        list: &[Statement],
        path: &mut Vec<usize>,
        applies: bool,
    ) -> Result<(), ConfError> {
        for (i, s) in list.iter().enumerate() {
            path.push(i);
            let result = self.statement(s, path, applies);
            path.pop();
            result?;
        }
        Ok(())
    }

    fn statement(
        &mut self,
        s: &Statement,
        path: &mut Vec<usize>,
        applies: bool,
    ) -> Result<(), ConfError> {
        let target = self.target;
        if *path == target.peer {
            self.peer = Some(PeerDeclaration::read(s, &mut self.notes)?);
            return Ok(());
        }
        if target.pool.starts_with(path) || *path == target.subnet_path {
            return self.statements(s.children(), path, true);
        }
        if target.peer.starts_with(path) {
            return self.statements(s.children(), path, false);
        }
        if s.block.is_some() {
            return self.ignored_block(s);
        }
        if applies && self.leases.read(s, path.len())? {
            return Ok(());
        }
        if !applies && Leases::default().read(s, path.len())? {
            let message =
                format!("`{}` here does not reach the failover pool and was ignored", s.name());
            self.notes.warn(s.pos, message);
            return Ok(());
        }
        self.simple(s, path);
        Ok(())
    }

    /// A statement without a block that is not a lease parameter.
    fn simple(&mut self, s: &Statement, path: &[usize]) {
        let in_pool = self.target.in_pool(path);
        if s.is(&["range"]) && in_pool {
            self.pool_ranges += 1;
            if self.pool_ranges > 1 {
                let message = "the model has one range per pool: only the first range of the \
                               failover pool is imported and this one was ignored";
                self.notes.warn(s.pos, message);
            }
        } else if s.is(&["range"]) {
            let message = "this range is outside the failover pool; only the pool's own range \
                           is imported";
            self.notes.warn(s.pos, message);
        } else if is_reference(s) && in_pool {
            self.pool_references += 1;
            if self.pool_references > 1 {
                self.notes.warn(s.pos, "the pool names a failover peer twice; the first is used");
            }
        } else if is_reference(s) {
            let message = "`failover peer` belongs inside a pool; this one was ignored";
            self.notes.warn(s.pos, message);
        } else {
            not_modelled(s, &mut self.notes);
        }
    }

    /// One note for a block the model leaves out, and everything in it.
    fn ignored_block(&mut self, s: &Statement) -> Result<(), ConfError> {
        let (severity, why) = if s.is(&["subnet"]) {
            self.other_subnet(s)?
        } else {
            block_reason(s, &self.target.peer_name)
        };
        let inside = match s.inner_count() {
            0 => String::new(),
            1 => " with the statement inside it".to_string(),
            n => format!(" with the {n} statements inside it"),
        };
        let message = format!("`{}` ({}) was ignored{inside}: {why}", s.outline(), s.lines());
        self.notes.add(s.pos, severity, message);
        Ok(())
    }

    fn other_subnet(&self, s: &Statement) -> Result<(Severity, String), ConfError> {
        let other = subnet_header(s)?;
        let holds_addresses = s.inner_count() > 0
            && find(s.children(), &mut Vec::new(), &|c| c.is(&["range"]) || c.is(&["pool"]))
                .is_some();
        let severity = if holds_addresses { Severity::Warning } else { Severity::Info };
        let why = format!(
            "{other} is not the failover pool's subnet, and the model has one LAN, {}",
            self.target.subnet
        );
        Ok((severity, why))
    }
}

/// Why a kind of block is left out, and how much that matters.
fn block_reason(s: &Statement, peer_name: &str) -> (Severity, String) {
    let word = s.lowered().first().cloned().unwrap_or_default();
    let warn = |why: &str| (Severity::Warning, why.to_string());
    match word.as_str() {
        "failover" => warn(&format!(
            "the model has one failover relationship, the one the pool names (\"{peer_name}\")"
        )),
        "pool" if is_failover_pool(s) => warn("the model has one pool: the first failover pool"),
        "pool" => warn("the model has one pool, the failover pool"),
        "shared-network" => warn("the model has one LAN, the failover pool's"),
        "host" => warn("hosts (fixed addresses, per-client settings) are not modelled"),
        "class" | "subclass" => warn("client classes are not modelled"),
        "group" => warn("the group holds no part of the failover pool"),
        "if" | "elsif" | "else" | "on" => warn("conditions and event hooks are not modelled"),
        "key" | "zone" => (Severity::Info, "the model does no DNS updates".to_string()),
        _ => warn("it is not modelled"),
    }
}

/// The note for a simple statement the model does not have.
fn not_modelled(s: &Statement, notes: &mut Notes) {
    let name = s.name();
    match harmless(&name) {
        Some(why) => notes.info(s.pos, format!("`{name}` is not modelled and was ignored: {why}")),
        None if name == "include" => {
            notes.warn(s.pos, "`include` was ignored: the importer reads one file")
        }
        None => notes.warn(s.pos, format!("`{name}` is not modelled and was ignored")),
    }
}

/// Statements that change nothing the playground shows, with the reason.
fn harmless(name: &str) -> Option<&'static str> {
    let why = match name {
        "authoritative" | "not authoritative" => {
            "it only matters to clients from another network, and the model has one"
        }
        n if n.starts_with("ddns-") => "the model does no DNS updates",
        n if n.starts_with("omapi-") => "the model has no management interface",
        n if n.starts_with("option ") => "the model's packets carry no configured options",
        n if n.starts_with("log-") => "the playground's trace is its log",
        "port" | "peer port" | "local-port" | "remote-port" | "local-address" => {
            "the model's links are virtual and have no ports"
        }
        "lease-file-name" | "pid-file-name" | "db-time-format" => "the model writes no files",
        _ => return None,
    };
    Some(why)
}

// ---------------------------------------------------------------------------
// The failover peer declaration

/// An `address` or `peer address`.
#[derive(Clone, Debug)]
enum Endpoint {
    Ip(Ipv4Addr, Pos),
    Host(String, Pos),
}

/// What a `failover peer "NAME" { … }` declaration says, with where it says it.
#[derive(Default)]
struct PeerDeclaration {
    pos: Pos,
    name: String,
    role: Option<(Role, Pos)>,
    local: Option<Endpoint>,
    remote: Option<Endpoint>,
    mclt: Option<(u64, Pos)>,
    split: Option<(u64, Pos)>,
    max_response_delay: Option<(u64, Pos)>,
    max_unacked_updates: Option<(u64, Pos)>,
    load_balance_max_seconds: Option<u64>,
    auto_partner_down: Option<(u64, Pos)>,
    max_lease_misbalance: Option<(u64, Pos)>,
    max_lease_ownership: Option<(u64, Pos)>,
    min_balance: Option<(u64, Pos)>,
    max_balance: Option<(u64, Pos)>,
}

impl PeerDeclaration {
    fn read(s: &Statement, notes: &mut Notes) -> Result<PeerDeclaration, ConfError> {
        let name = s.text(2).unwrap_or_default().to_string();
        let mut peer = PeerDeclaration { pos: s.pos, name, ..PeerDeclaration::default() };
        if let Some(extra) = s.head.get(3) {
            notes.warn(extra.pos, format!("`{}` here was ignored", extra.shown()));
        }
        for c in s.children() {
            peer.statement(c, notes)?;
        }
        if peer.role.is_none() {
            return fail(s.pos, ConfErrorKind::MissingRole(peer.name));
        }
        Ok(peer)
    }

    fn statement(&mut self, s: &Statement, notes: &mut Notes) -> Result<(), ConfError> {
        let words = s.lowered();
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        let pos = s.pos;
        match words.as_slice() {
            _ if s.block.is_some() => notes.warn(pos, format!("`{}` was ignored", s.outline())),
            ["primary"] => self.role = Some((Role::Primary, pos)),
            ["secondary"] => self.role = Some((Role::Secondary, pos)),
            ["address", ..] => self.local = Some(endpoint(s, 1)?),
            ["peer", "address", ..] => self.remote = Some(endpoint(s, 2)?),
            ["mclt", ..] => self.mclt = Some((number(s, 1)?, pos)),
            ["split", ..] => self.read_split(s, number(s, 1)?, notes),
            ["hba", ..] => self.read_hba(s, notes)?,
            ["max-response-delay", ..] => self.max_response_delay = Some((number(s, 1)?, pos)),
            ["max-unacked-updates", ..] => self.max_unacked_updates = Some((number(s, 1)?, pos)),
            ["load", "balance", "max", "seconds", ..] => {
                self.load_balance_max_seconds = Some(number(s, 4)?)
            }
            ["auto-partner-down", ..] => self.auto_partner_down = Some((number(s, 1)?, pos)),
            ["max-lease-misbalance", ..] => self.max_lease_misbalance = Some((number(s, 1)?, pos)),
            ["max-lease-ownership", ..] => self.max_lease_ownership = Some((number(s, 1)?, pos)),
            ["min-balance", ..] => self.min_balance = Some((number(s, 1)?, pos)),
            ["max-balance", ..] => self.max_balance = Some((number(s, 1)?, pos)),
            _ => not_modelled(s, notes),
        }
        Ok(())
    }

    fn read_split(&mut self, s: &Statement, split: u64, notes: &mut Notes) {
        if self.split.is_some() {
            let message = "dhcpd takes one `split` or `hba`; this second one was ignored";
            notes.warn(s.pos, message);
            return;
        }
        self.split = Some((split, s.pos));
    }

    fn read_hba(&mut self, s: &Statement, notes: &mut Notes) -> Result<(), ConfError> {
        let bytes = hba_bytes(s)?;
        let (split, moved) = nearest_split(&bytes);
        if moved > 0 && self.split.is_none() {
            let message = format!(
                "this hba is not a simple split (buckets 0 to N-1 to the primary), which the \
                 model cannot express; it uses the nearest, split {split}, which moves {moved} \
                 of the 256 buckets to the other server"
            );
            notes.warn(s.pos, message);
        }
        self.read_split(s, u64::from(split), notes);
        Ok(())
    }
}

fn endpoint(s: &Statement, at: usize) -> Result<Endpoint, ConfError> {
    let token = value(s, at)?;
    match token.text() {
        Some(w) if looks_numeric(w) => Ok(Endpoint::Ip(address_token(token)?, token.pos)),
        Some(host) => Ok(Endpoint::Host(host.to_string(), token.pos)),
        None => fail(token.pos, ConfErrorKind::BadAddress(token.shown())),
    }
}

/// The 32 bytes of `hba XX:XX:…`.
fn hba_bytes(s: &Statement) -> Result<[u8; 32], ConfError> {
    let text: String = s.head.iter().skip(1).map(Token::shown).collect();
    let parts: Vec<&str> = text.split(':').collect();
    let mut bytes = [0u8; 32];
    let good = parts.len() == 32
        && parts.iter().zip(bytes.iter_mut()).all(|(p, b)| {
            let parsed = u8::from_str_radix(p, 16).ok().filter(|_| (1..=2).contains(&p.len()));
            parsed.map(|v| *b = v).is_some()
        });
    if !good {
        let message = "`hba` takes 32 hex bytes separated by colons".to_string();
        return fail(s.pos, ConfErrorKind::BadValue(message));
    }
    Ok(bytes)
}

/// The split closest to an HBA (fewest buckets changing server, then the
/// same share), and how many buckets change.
fn nearest_split(hba: &[u8; 32]) -> (u16, u32) {
    let ones: u32 = hba.iter().map(|b| b.count_ones()).sum();
    let distance = |n: u16| -> u32 {
        let bits = Hba::from_split(n).bytes();
        bits.iter().zip(hba).map(|(a, b)| (a ^ b).count_ones()).sum()
    };
    let best = (0..=256u16).min_by_key(|&n| (distance(n), u32::from(n).abs_diff(ones)));
    // The range is not empty, so `min_by_key` always finds one.
    let best = best.unwrap_or(128);
    (best, distance(best))
}

// ---------------------------------------------------------------------------
// Building the scenario

/// A value brought into the range the scenario format takes, with a note when it moved.
fn within(value: u64, low: u64, high: u64, name: &str, pos: Pos, notes: &mut Notes) -> u64 {
    let fitted = value.clamp(low, high);
    if fitted != value {
        notes.warn(
            pos,
            format!(
                "`{name} {value}` is outside what the model takes ({low} to {high}); the \
                 scenario uses {fitted}"
            ),
        );
    }
    fitted
}

/// The title of an imported scenario; control characters in the peer name become
/// spaces and a very long name is shortened, as titles must be.
fn imported_title(name: &str, role: Role) -> String {
    let clean: String = name.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let short: String = clean.chars().take(120).collect();
    let more = if short.len() < clean.len() { "…" } else { "" };
    format!("Imported: failover peer \"{short}{more}\" ({}'s dhcpd.conf)", role.name())
}

fn seconds(value: u64) -> DurationSpec {
    DurationSpec::Text(format!("{value}s"))
}

fn build(
    target: &Target,
    peer: &PeerDeclaration,
    leases: &Leases,
    notes: &mut Notes,
) -> Result<Scenario, ConfError> {
    let role = peer.role.map_or(Role::Primary, |(role, _)| role);
    role_notes(peer, role, notes);
    let failover = failover_section(peer, notes);
    let mut range = fit_range(target, notes);
    let [primary, secondary] = server_addresses(target, peer, role, &mut range, notes)?;
    let mut scenario = Scenario {
        title: imported_title(&peer.name, role),
        description: String::new(),
        start: None,
        seed: 1,
        end: None,
        failover,
        pool: PoolSection {
            subnet: target.subnet.to_string(),
            range: [Ipv4Addr::from(range.0).to_string(), Ipv4Addr::from(range.1).to_string()],
        },
        lease: lease_section(leases, notes),
        network: NetworkSection { primary, secondary, ..NetworkSection::default() },
        clients: Vec::new(),
        events: Vec::new(),
    };
    let examples = add_example_clients(&mut scenario);
    scenario.description = describe(&scenario, role, &examples);
    scenario.validate().map_err(|e| {
        let message = format!("the imported scenario does not validate ({e}); please report this");
        ConfError::at(START, ConfErrorKind::Unsupported(message))
    })?;
    Ok(scenario)
}

/// The notes about what one side's file cannot say.
fn role_notes(peer: &PeerDeclaration, role: Role, notes: &mut Notes) {
    let pos = peer.role.map_or(peer.pos, |(_, pos)| pos);
    match role {
        Role::Secondary => secondary_notes(peer, notes),
        Role::Primary => {
            if peer.mclt.is_none() {
                let message = "a primary needs `mclt` (dhcpd warns without one); the scenario \
                               uses the model's default, 1 hour";
                notes.warn(pos, message);
            }
            if peer.split.is_none() {
                let message = "a primary needs `split` or `hba` (dhcpd refuses to start \
                               without one); the scenario uses split 128";
                notes.warn(pos, message);
            }
        }
    }
    if peer.load_balance_max_seconds.unwrap_or(0) == 0 {
        let message = "`load balance max seconds` is 0 or missing, which turns load balancing \
                       off in dhcpd 4.4: both servers answer every DISCOVER";
        notes.info(peer.pos, message);
    }
}

fn secondary_notes(peer: &PeerDeclaration, notes: &mut Notes) {
    let pos = peer.role.map_or(peer.pos, |(_, pos)| pos);
    let missing: Vec<&str> = [("mclt", peer.mclt.is_none()), ("split", peer.split.is_none())]
        .iter()
        .filter(|(_, missing)| *missing)
        .map(|(name, _)| *name)
        .collect();
    if !missing.is_empty() {
        let message = format!(
            "this is the secondary's file: dhcpd's secondary learns {} from the primary when \
             they connect, so the scenario uses the defaults (mclt 1 hour, split 128); import \
             the primary's file for its values",
            missing.join(" and ")
        );
        notes.info(pos, message);
    }
    for (name, given) in [("mclt", peer.mclt.map(|m| m.1)), ("split", peer.split.map(|s| s.1))] {
        if let Some(at) = given {
            let message = format!(
                "dhcpd's secondary takes `{name}` from the primary, not from its own file; the \
                 scenario uses this value for the pair"
            );
            notes.warn(at, message);
        }
    }
}

fn failover_section(peer: &PeerDeclaration, notes: &mut Notes) -> FailoverSection {
    let mut fit = |slot: Option<(u64, Pos)>, low, high, name: &str| {
        slot.map(|(value, pos)| within(value, low, high, name, pos, notes))
    };
    let mclt = fit(peer.mclt, 1, 7 * 86_400, "mclt").map(seconds);
    // `within` keeps the split in 0..=256, so it fits a u16.
    let split = fit(peer.split, 0, 256, "split").map(|s| s as u16);
    let delay = fit(peer.max_response_delay, 1, 3600, "max-response-delay").map(seconds);
    // Capped at 10000 above, so it fits a u32.
    let unacked = fit(peer.max_unacked_updates, 0, 10_000, "max-unacked-updates").map(|n| n as u32);
    // dhcpd: 0 turns auto-partner-down off.
    let auto_partner_down = match peer.auto_partner_down {
        None => None,
        Some((0, _)) => Some(DurationSpec::Text("off".into())),
        Some(slot) => fit(Some(slot), 1, 7 * 86_400, "auto-partner-down").map(seconds),
    };
    let max_lease_misbalance = fit(peer.max_lease_misbalance, 0, 100, "max-lease-misbalance");
    let max_lease_ownership = fit(peer.max_lease_ownership, 0, 100, "max-lease-ownership");
    let min_balance = fit(peer.min_balance, 1, 86_400, "min-balance");
    let max_balance = fit(peer.max_balance, 1, 86_400, "max-balance");
    // The scenario refuses max-balance below min-balance (dhcpd would run no
    // sooner than min-balance anyway): raise the maximum, and say so.
    let (low, high) = (min_balance.unwrap_or(60), max_balance.unwrap_or(3600));
    let max_balance = if high < low {
        let pos = peer.max_balance.or(peer.min_balance).map(|(_, pos)| pos);
        if let Some(pos) = pos {
            let message = format!(
                "max-balance ({high} s) is below min-balance ({low} s); the scenario uses {low} s \
                 for both"
            );
            notes.warn(pos, message);
        }
        Some(low)
    } else {
        max_balance
    };
    // The relationship's name carries over, so exported lease files match the
    // configuration (names with quotes or control characters keep the default).
    let usable = !peer.name.is_empty()
        && peer.name.chars().count() <= 64
        && !peer.name.chars().any(|c| c.is_control() || c == '"' || c == '\\');
    FailoverSection {
        name: usable.then(|| peer.name.clone()),
        mclt,
        split,
        max_response_delay: delay,
        max_unacked_updates: unacked,
        load_balance_max_seconds: peer.load_balance_max_seconds,
        auto_partner_down,
        start: Some("normal".into()),
        max_lease_misbalance,
        max_lease_ownership,
        min_balance: min_balance.map(seconds),
        max_balance: max_balance.map(seconds),
    }
}

fn lease_section(leases: &Leases, notes: &mut Notes) -> LeaseSection {
    // A default or maximum of 0 would leave clients no lease; the scenario needs
    // at least a second, so 0 falls back to dhcpd's default, with a note.
    let mut time = |slot: Option<Setting<u64>>, name: &str, zero_is_default: bool| {
        let s = slot?;
        if zero_is_default && s.value == 0 {
            let message = format!(
                "`{name} 0` would give clients no lease; the scenario uses dhcpd's default"
            );
            notes.warn(s.pos, message);
            return None;
        }
        Some(seconds(within(s.value, 0, MAX_LEASE_SECS, name, s.pos, notes)))
    };
    let default = time(leases.default, "default-lease-time", true);
    let min = time(leases.min, "min-lease-time", false);
    let max = time(leases.max, "max-lease-time", true);
    // dhcpd uses ping-timeout-ms instead of ping-timeout when it is above 0.
    let ping_timeout = match (leases.ping_timeout_ms, leases.ping_timeout) {
        (Some(ms), _) if ms.value > 0 => {
            let ms = within(ms.value, 1, 60_000, "ping-timeout-ms", ms.pos, notes);
            Some(DurationSpec::Text(format!("{ms}ms")))
        }
        (_, Some(s)) => Some(seconds(within(s.value, 0, 60, "ping-timeout", s.pos, notes))),
        _ => None,
    };
    LeaseSection {
        default,
        min,
        max,
        ping_check: leases.ping_check.map(|s| s.value),
        ping_timer: None,
        ping_timeout,
    }
}

/// The pool's range in address order, at most [`MAX_POOL`] addresses long.
fn fit_range(target: &Target, notes: &mut Notes) -> (u32, u32) {
    let (a, b) = (u32::from(target.range.0), u32::from(target.range.1));
    let (mut first, mut last) = (a.min(b), a.max(b));
    if a > b {
        let message =
            "the range is written high to low; dhcpd and the scenario take it low to high";
        notes.info(target.range_pos, message);
    }
    // The subnet's network and broadcast addresses are never handed out.
    let network = u32::from(target.subnet.host(0));
    let broadcast = network | !target.subnet.mask();
    if first == network && first < last {
        first += 1;
        let message = "the range starts at the network address, which no client gets; the \
                       scenario's range starts one address later";
        notes.info(target.range_pos, message);
    }
    if last == broadcast && first < last {
        last -= 1;
        let message = "the range ends at the broadcast address, which no client gets; the \
                       scenario's range ends one address earlier";
        notes.info(target.range_pos, message);
    }
    // The scenario caps a pool at MAX_POOL addresses, a small number.
    let cap = first.saturating_add(MAX_POOL as u32 - 1);
    if last > cap {
        let message = format!(
            "the model runs at most {MAX_POOL} addresses; the range is cut to {}–{}",
            Ipv4Addr::from(first),
            Ipv4Addr::from(cap)
        );
        notes.warn(target.range_pos, message);
        return (first, cap);
    }
    (first, last)
}

/// The servers' addresses on the pool's LAN: the configured ones where they
/// fit, else free hosts (`None`: the scenario's default, hosts 1 and 2).
fn server_addresses(
    target: &Target,
    peer: &PeerDeclaration,
    role: Role,
    range: &mut (u32, u32),
    notes: &mut Notes,
) -> Result<[Option<String>; 2], ConfError> {
    let endpoints = match role {
        Role::Primary => [&peer.local, &peer.remote],
        Role::Secondary => [&peer.remote, &peer.local],
    };
    let mut chosen: [Option<Ipv4Addr>; 2] = [None, None];
    let mut refused: [Option<Refused>; 2] = [None, None];
    for (i, endpoint) in endpoints.into_iter().enumerate() {
        match endpoint.as_ref().map(|e| usable(e, target.subnet, *range, chosen[1 - i])) {
            Some(Ok(a)) => chosen[i] = Some(a),
            Some(Err(why)) => refused[i] = Some(why),
            None => {}
        }
    }
    let taken: Vec<Ipv4Addr> = chosen.iter().flatten().copied().collect();
    make_room(target, range, &taken, 2 - taken.len(), notes)?;
    let mut out: [Option<String>; 2] = [None, None];
    for (i, (slot, server)) in out.iter_mut().zip([Role::Primary, Role::Secondary]).enumerate() {
        if let Some(a) = chosen[i] {
            *slot = Some(a.to_string());
            continue;
        }
        let taken: Vec<Ipv4Addr> = chosen.iter().flatten().copied().collect();
        let (picked, explicit) = pick_host(target.subnet, *range, &taken, i);
        chosen[i] = Some(picked);
        *slot = explicit.then(|| picked.to_string());
        if let Some(Refused { pos, severity, why }) = refused[i].take() {
            let message = format!("{why}, so the scenario shows the {} at {picked}", server.name());
            notes.add(pos, severity, message);
        }
    }
    Ok(out)
}

/// Why a configured server address cannot be shown on the model's LAN.
struct Refused {
    pos: Pos,
    severity: Severity,
    why: String,
}

/// A configured server address, if the model's LAN can show it.
fn usable(
    endpoint: &Endpoint,
    subnet: Subnet,
    range: (u32, u32),
    other: Option<Ipv4Addr>,
) -> Result<Ipv4Addr, Refused> {
    let (a, pos) = match endpoint {
        Endpoint::Ip(a, pos) => (*a, *pos),
        Endpoint::Host(name, pos) => {
            let why = format!("`{name}` is a host name, which the importer does not look up");
            return Err(Refused { pos: *pos, severity: Severity::Warning, why });
        }
    };
    let why = if !subnet.contains(a) {
        format!("{a} is outside {subnet}; the model has one LAN, the pool's")
    } else if !is_host(subnet, a) {
        format!("{a} is the network or broadcast address of {subnet}")
    } else if in_range(a, range) {
        format!("{a} is inside the pool's range")
    } else if other == Some(a) {
        format!("{a} is the other server's address too")
    } else {
        return Ok(a);
    };
    Err(Refused { pos, severity: Severity::Info, why })
}

fn in_range(a: Ipv4Addr, range: (u32, u32)) -> bool {
    (range.0..=range.1).contains(&u32::from(a))
}

/// Whether `a` is neither the subnet's network nor its broadcast address.
fn is_host(subnet: Subnet, a: Ipv4Addr) -> bool {
    let host_bits = u32::from(a) & !subnet.mask();
    host_bits != 0 && host_bits != !subnet.mask()
}

/// Trims the range's end until the subnet has `need` free hosts beside it.
fn make_room(
    target: &Target,
    range: &mut (u32, u32),
    taken: &[Ipv4Addr],
    need: usize,
    notes: &mut Notes,
) -> Result<(), ConfError> {
    let subnet = target.subnet;
    let end = range.1;
    while free_hosts(subnet, *range, taken, need).len() < need {
        if range.1 <= range.0 {
            let message = format!("subnet {subnet} has no room for two servers beside the range");
            return fail(target.range_pos, ConfErrorKind::Unsupported(message));
        }
        range.1 -= 1;
    }
    if range.1 != end {
        let message = format!(
            "the range leaves no room on {subnet} for both servers; the scenario ends it at {}",
            Ipv4Addr::from(range.1)
        );
        notes.warn(target.range_pos, message);
    }
    Ok(())
}

/// Server `i`'s address when the file gives none that fits: host `i + 1`
/// when free (the scenario's default, so `false`: no need to write it),
/// otherwise the first free host.
fn pick_host(subnet: Subnet, range: (u32, u32), taken: &[Ipv4Addr], i: usize) -> (Ipv4Addr, bool) {
    // `i` is 0 or 1.
    let default = subnet.host(i as u32 + 1);
    if !in_range(default, range) && !taken.contains(&default) && is_host(subnet, default) {
        return (default, false);
    }
    // `make_room` has made sure a free host exists; the default is a fallback that cannot happen.
    let free = free_hosts(subnet, range, taken, 1).first().copied();
    (free.unwrap_or(default), true)
}

/// Up to `limit` hosts of the subnet, lowest first, outside the range and not taken.
fn free_hosts(
    subnet: Subnet,
    range: (u32, u32),
    taken: &[Ipv4Addr],
    limit: usize,
) -> Vec<Ipv4Addr> {
    let network = u32::from(subnet.network) & subnet.mask();
    let broadcast = network | !subnet.mask();
    let mut out = Vec::new();
    let mut candidate = network.saturating_add(1);
    while candidate < broadcast && out.len() < limit {
        let a = Ipv4Addr::from(candidate);
        if (range.0..=range.1).contains(&candidate) {
            candidate = range.1.saturating_add(1);
        } else {
            if !taken.contains(&a) {
                out.push(a);
            }
            candidate += 1;
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Example clients

/// An added client: its MAC, hash bucket and release time.
struct Example {
    name: &'static str,
    mac: Mac,
    bucket: u8,
    release_at: Option<Time>,
}

/// Adds two clients, one hashing to each server where the split allows, that
/// boot at 00:00:00 and release after their first renewal.
fn add_example_clients(scenario: &mut Scenario) -> [Example; 2] {
    let split = scenario.failover.split.unwrap_or(128);
    let macs = example_macs(split);
    let mut examples = [("c1", macs[0]), ("c2", macs[1])].map(|(name, mac)| Example {
        name,
        mac,
        bucket: bucket(&mac.0),
        release_at: None,
    });
    for e in &examples {
        scenario.clients.push(ClientSpec {
            name: e.name.into(),
            mac: e.mac.to_string(),
            client_id: None,
            profile: None,
            timing: None,
        });
        scenario.events.push(event(Time::ZERO, e.name, "boot"));
    }
    let releases = probe_releases(scenario);
    for (e, at) in examples.iter_mut().zip(releases) {
        e.release_at = at;
        if let Some(at) = at {
            scenario.events.push(event(at, e.name, "release"));
        }
    }
    // A run ends five minutes after the last event unless told otherwise, within 30 days.
    let last = releases.iter().flatten().max().copied().unwrap_or(Time::ZERO);
    if last.secs() + 300 > MAX_END_SECS {
        scenario.end = Some(TimeSpec::Seconds(MAX_END_SECS));
    }
    examples
}

fn event(at: Time, client: &str, action: &str) -> EventSpec {
    EventSpec { at: TimeSpec::Text(at.clock()), client: Some(client.into()), action: action.into() }
}

/// The first locally administered MAC the primary serves under `split`, and
/// the first the secondary serves (any two when one server serves all).
fn example_macs(split: u16) -> [Mac; 2] {
    let hba = Hba::from_split(split);
    let mac = |n: u16| Mac([0x02, 0, 0, 0, (n >> 8) as u8, (n & 0xff) as u8]);
    let first = |primary: bool| {
        (1..=u16::MAX).map(mac).find(|m| hba.primary_serves(bucket(&m.0)) == primary)
    };
    match (first(true), first(false)) {
        (Some(p), Some(s)) => [p, s],
        _ => [mac(1), mac(2)],
    }
}

/// Runs the scenario so far and picks each client's release: halfway
/// between its first renewal and its next T1, on a whole second.
fn probe_releases(scenario: &Scenario) -> [Option<Time>; 2] {
    let mut probe = scenario.clone();
    probe.end = Some(TimeSpec::Seconds(MAX_END_SECS));
    let Ok(cfg) = probe.validate() else {
        return [None, None];
    };
    let mut world = World::new(cfg);
    let mut found = [None, None];
    for _ in 0..PROBE_STEPS {
        let Some(step) = world.step() else { break };
        for (client, t1) in step.effects.iter().filter_map(renewal) {
            if let Some(slot @ None) = found.get_mut(client) {
                let halfway = step.at.plus(Duration(t1.since(step.at).0 / 2));
                let whole = Time(halfway.0.div_ceil(1000) * 1000);
                *slot = Some(whole.min(Time::from_secs(MAX_END_SECS)));
            }
        }
        if found.iter().all(Option::is_some) {
            break;
        }
    }
    found
}

/// A client bound again after renewing or rebinding, and its next T1.
fn renewal(effect: &Effect) -> Option<(usize, Time)> {
    match effect {
        Effect::Client {
            client,
            from: ClientState::Renewing | ClientState::Rebinding,
            to: ClientState::Bound,
            why: Why::Bound { t1, .. },
        } => Some((usize::from(*client), *t1)),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// Description

fn describe(scenario: &Scenario, role: Role, examples: &[Example; 2]) -> String {
    let pool = &scenario.pool;
    let mut text = format!(
        "Imported from the {}'s dhcpd.conf: subnet {}, range {}–{}. The pair starts in \
         NORMAL with the pool already balanced.",
        role.name(),
        pool.subnet,
        pool.range[0],
        pool.range[1]
    );
    let failover = &scenario.failover;
    if role == Role::Secondary && (failover.mclt.is_none() || failover.split.is_none()) {
        text.push_str(
            " A secondary learns the MCLT and the split from the primary, so where its file \
             has none the defaults apply (1 hour, split 128).",
        );
    }
    text.push(' ');
    text.push_str(&clients_sentence(scenario, examples));
    text.push_str(&releases_sentence(examples));
    text
}

fn releases_sentence([c1, c2]: &[Example; 2]) -> String {
    match (c1.release_at, c2.release_at) {
        (Some(a), Some(b)) if a == b => {
            format!(" Both release at {}, after their first renewal.", a.clock())
        }
        _ => [c1, c2]
            .iter()
            .map(|e| match e.release_at {
                Some(at) => {
                    format!(" {} releases at {}, after its first renewal.", e.name, at.clock())
                }
                None => format!(" {} gets no renewal in a dry run, so it only boots.", e.name),
            })
            .collect(),
    }
}

fn clients_sentence(scenario: &Scenario, examples: &[Example; 2]) -> String {
    let split = scenario.failover.split.unwrap_or(128);
    let [c1, c2] = examples;
    let mut text = format!(
        "A dhcpd.conf names no clients, so two examples were added, both booting at 00:00:00: \
         {} ({}, hash bucket {}) and {} ({}, bucket {}).",
        c1.name, c1.mac, c1.bucket, c2.name, c2.mac, c2.bucket
    );
    text.push_str(&match split {
        0 => " With split 0 every bucket belongs to the secondary.".to_string(),
        256 => " With split 256 every bucket belongs to the primary.".to_string(),
        n => format!(
            " Under split {n} the primary serves buckets below {n}: {} hashes to the primary \
             and {} to the secondary.",
            c1.name, c2.name
        ),
    });
    if scenario.failover.load_balance_max_seconds.unwrap_or(0) == 0 {
        text.push_str(
            " Load balancing is off (load balance max seconds is 0), so both servers answer \
             every DISCOVER whatever the hash.",
        );
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        lex(text).unwrap().iter().map(Token::shown).collect()
    }

    #[test]
    fn tokens_split_on_punctuation_and_skip_comments() {
        let got = words("a-b 10.0.0.1;# x { y\n\"q \\\" r\" {}=(,)");
        let want = ["a-b", "10.0.0.1", ";", "\"q \" r\"", "{", "}", "=", "(", ",", ")"];
        assert_eq!(got, want);
    }

    #[test]
    fn positions_count_lines_and_columns() {
        let open = lex("a\n  bc \"x é\" d\n\"y\nz\"").unwrap_err();
        assert_eq!((open.line, open.column), (3, 1));
        let tokens = lex("a\n  bc \"x é\" d").unwrap();
        let pos: Vec<(u32, u32)> = tokens.iter().map(|t| (t.pos.line, t.pos.column)).collect();
        assert_eq!(pos, [(1, 1), (2, 3), (2, 6), (2, 12)]);
    }

    #[test]
    fn value_braces_stay_in_the_statement() {
        let tree = parse(lex("option x code 250 = { text, ip-address }; a;").unwrap()).unwrap();
        assert_eq!(tree.len(), 2);
        assert!(tree[0].block.is_none());
    }

    #[test]
    fn exact_hba_is_a_split() {
        let mut bytes = [0u8; 32];
        bytes[..16].fill(0xff);
        assert_eq!(nearest_split(&bytes), (128, 0));
        bytes[0] = 0xfe;
        assert_eq!(nearest_split(&bytes).1, 1);
        // Even buckets only: every split moves about half of them; 127 moves the fewest.
        assert_eq!(nearest_split(&[0x55u8; 32]), (127, 127));
    }

    #[test]
    fn free_hosts_skip_the_range() {
        let subnet: Subnet = "10.0.0.0/29".parse().unwrap();
        let range = (u32::from(Ipv4Addr::new(10, 0, 0, 1)), u32::from(Ipv4Addr::new(10, 0, 0, 4)));
        let taken = [Ipv4Addr::new(10, 0, 0, 5)];
        assert_eq!(free_hosts(subnet, range, &taken, 2), [Ipv4Addr::new(10, 0, 0, 6)]);
        let full = (range.0, u32::from(Ipv4Addr::new(10, 0, 0, 6)));
        assert!(free_hosts(subnet, full, &[], 2).is_empty());
    }

    #[test]
    fn example_macs_hash_to_each_side() {
        let [p, s] = example_macs(128);
        assert!(bucket(&p.0) < 128 && bucket(&s.0) >= 128);
        let [a, b] = example_macs(0);
        assert_ne!(a, b);
    }
}
