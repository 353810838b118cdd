//! Scenarios: the TOML/JSON model, its validation, and the built-in library.
//!
//! A [`Scenario`] is exactly what a user writes (every field as given, so a
//! share URL round-trips it). [`Scenario::validate`] turns it into a
//! [`Config`] with every default applied and every value checked; a problem
//! comes back as a [`ScenarioError`] naming the field and, for syntax errors,
//! the line and column.
//!
//! Defaults follow ISC dhcpd 4.4 where the scenario leaves a value out
//! (`default-lease-time` 43200, `max-lease-time` 86400, `min-lease-time`
//! min(300, max), `max-response-delay` 20 s, `max-unacked-updates` 100,
//! `load balance max seconds` 0 = balancing off).

use std::net::Ipv4Addr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::addr::{Mac, Subnet};
use crate::balance::Hba;
use crate::packet::Role;
use crate::time::{Duration, Time};

/// A problem with a scenario, and where it is.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {message}")]
pub struct ScenarioError {
    /// Where: `line 4, column 7`, or a field path such as `event[2].at`.
    pub location: String,
    /// What is wrong, in plain words.
    pub message: String,
}

impl ScenarioError {
    fn at(location: impl Into<String>, message: impl Into<String>) -> ScenarioError {
        ScenarioError { location: location.into(), message: message.into() }
    }
}

/// A duration written either as text (`"1h30m"`) or as whole seconds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum DurationSpec {
    /// Whole seconds.
    Seconds(u64),
    /// Text such as `"90s"` or `"1h30m"`.
    Text(String),
}

/// An instant written either as text (`"00:33:27"`) or as seconds since the start.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum TimeSpec {
    /// Seconds since the start.
    Seconds(u64),
    /// `HH:MM:SS` or `HH:MM:SS.mmm`.
    Text(String),
}

/// Reads whole seconds or text, with a message that says which forms work.
struct SecondsOrText(&'static str);

impl serde::de::Visitor<'_> for SecondsOrText {
    type Value = Result<u64, String>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(self.0)
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Ok(v))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
        u64::try_from(v).map(Ok).map_err(|_| E::custom(format!("{v} is negative; {}", self.0)))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
        let _ = v;
        Err(E::custom(format!("a fractional number is not allowed here; {}", self.0)))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Err(v.to_string()))
    }
}

impl<'de> Deserialize<'de> for DurationSpec {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let expecting = "write a duration as whole seconds or as text such as \"90s\" or \"1h30m\"";
        Ok(match d.deserialize_any(SecondsOrText(expecting))? {
            Ok(secs) => DurationSpec::Seconds(secs),
            Err(text) => DurationSpec::Text(text),
        })
    }
}

impl<'de> Deserialize<'de> for TimeSpec {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let expecting = "write a time as whole seconds or as text such as \"00:33:27\"";
        Ok(match d.deserialize_any(SecondsOrText(expecting))? {
            Ok(secs) => TimeSpec::Seconds(secs),
            Err(text) => TimeSpec::Text(text),
        })
    }
}

/// A scenario as written in TOML (or JSON inside a share URL).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Short title.
    pub title: String,
    /// A few plain sentences shown beside the playground.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Wall-clock label of t = 0 (display only), e.g. `2006-07-27T00:00:00Z`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// Seed of all randomness.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// When the run stops; default: five minutes after the last scripted event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<TimeSpec>,
    /// The failover relationship.
    #[serde(default)]
    pub failover: FailoverSection,
    /// The address pool.
    pub pool: PoolSection,
    /// Lease times and the ping check.
    #[serde(default)]
    pub lease: LeaseSection,
    /// Latencies and server addresses.
    #[serde(default)]
    pub network: NetworkSection,
    /// The clients.
    #[serde(default, rename = "client", skip_serializing_if = "Vec::is_empty")]
    pub clients: Vec<ClientSpec>,
    /// What people and operators do, and when.
    #[serde(default, rename = "event", skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<EventSpec>,
}

fn default_seed() -> u64 {
    1
}

/// `[failover]`: the peer declaration of both servers.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FailoverSection {
    /// The relationship's name, as in `failover peer "NAME"` (default "dhcpfo").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Maximum client lead time (default 1h).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mclt: Option<DurationSpec>,
    /// Buckets 0..split that the primary serves (default 128).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split: Option<u16>,
    /// `max-response-delay` (default 20s as in dhcpd).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_response_delay: Option<DurationSpec>,
    /// `max-unacked-updates` (default 100 as in dhcpd).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_unacked_updates: Option<u32>,
    /// `load balance max seconds` (default 0: balancing off, as dhcpd 4.4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_balance_max_seconds: Option<u64>,
    /// `"off"` or a duration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_partner_down: Option<DurationSpec>,
    /// `"normal"` (pool already balanced) or `"fresh"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// `max-lease-misbalance`, percent (default 15).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_lease_misbalance: Option<u64>,
    /// `max-lease-ownership`, percent (default 10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_lease_ownership: Option<u64>,
    /// `min-balance` (default 60s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_balance: Option<DurationSpec>,
    /// `max-balance` (default 1h).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_balance: Option<DurationSpec>,
}

/// `[pool]`: one subnet and one range.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoolSection {
    /// CIDR subnet, e.g. `192.0.2.0/24`.
    pub subnet: String,
    /// First and last address of the range.
    pub range: [String; 2],
}

/// `[lease]`: lease-time parameters and the ping check.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeaseSection {
    /// `default-lease-time`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<DurationSpec>,
    /// `min-lease-time`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<DurationSpec>,
    /// `max-lease-time`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<DurationSpec>,
    /// `ping-check` (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ping_check: Option<bool>,
    /// `"timeout"` (4.4: wait `ping_timeout`) or `"second-edge"` (3.0: the
    /// timer fires on the next whole-second boundary, 0 to 1 s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ping_timer: Option<String>,
    /// `ping-timeout` (default 1s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ping_timeout: Option<DurationSpec>,
}

/// `[network]`: latencies and the servers' addresses.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkSection {
    /// One-way latency on every wire unless set apart (default 1ms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency: Option<DurationSpec>,
    /// One-way latency of the server-to-server link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_link_latency: Option<DurationSpec>,
    /// The primary's address (default: host 1 of the subnet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary: Option<String>,
    /// The secondary's address (default: host 2 of the subnet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secondary: Option<String>,
    /// One-way latency between the clients and the primary (default: `latency`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_latency: Option<DurationSpec>,
    /// One-way latency between the clients and the secondary (default: `latency`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secondary_latency: Option<DurationSpec>,
    /// Percent of DHCP packets lost between the clients and the primary (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_loss: Option<u8>,
    /// Percent of DHCP packets lost between the clients and the secondary (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secondary_loss: Option<u8>,
    /// Percent of TCP segments lost on the server link; TCP sends them again,
    /// so a loss shows as a delay (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_link_loss: Option<u8>,
    /// How many seconds the secondary's clock is ahead of the primary's
    /// (negative: behind). dhcpd refuses a peer more than 60 s off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock_offset: Option<i64>,
}

/// `[[client]]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientSpec {
    /// Unique name, used by events.
    pub name: String,
    /// Hardware address.
    pub mac: String,
    /// Client identifier (option 61) as hex bytes `01:02:...`; none by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// `"keeps-lease"` (default) or `"releases-on-shutdown"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// `"rfc2131"` (T1 = ½ lease exactly, the default) or `"dhclient"`
    /// (ISC dhclient's randomised T1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timing: Option<String>,
}

/// `[[event]]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventSpec {
    /// When.
    pub at: TimeSpec,
    /// Which client (client actions only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client: Option<String>,
    /// What.
    pub action: String,
}

/// How the ping check's wait before an OFFER is timed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PingTimer {
    /// ISC dhcpd 4.4: wait `ping-timeout` after the DISCOVER.
    Timeout,
    /// Older dhcpd: the timer fired at the next whole-second edge, 0 to 1 s later.
    SecondEdge,
}

/// What a client does when it shuts down.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClientProfile {
    /// Most systems: keep the lease, say nothing.
    KeepsLease,
    /// The Windows option from the thread: DHCPRELEASE on shutdown.
    ReleasesOnShutdown,
}

/// How a client computes T1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClientTiming {
    /// RFC 2131 §4.4.5: T1 = ½ lease, T2 = ⅞ lease.
    Rfc2131,
    /// ISC dhclient: T1 = lease/2 + 1 spread over about 75–100 %, T2 = ⅞ lease.
    Dhclient,
}

/// Which direction of the server link a cut affects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LinkCut {
    /// Nothing gets through either way.
    Both,
    /// Packets from the secondary to the primary are lost.
    ToPrimary,
    /// Packets from the primary to the secondary are lost.
    ToSecondary,
}

/// A client action or an operator action in the script.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// The client starts DHCP from INIT.
    Boot,
    /// The client sends DHCPRELEASE and removes the address.
    Release,
    /// The client shuts down (releasing first if its profile says so).
    Shutdown,
    /// The client leaves the network without a word.
    Leave,
    /// The client restarts at once, keeping its lease in memory (INIT-REBOOT).
    Reboot,
    /// The client finds its address in use and declines it.
    Decline,
    /// The client asks for configuration only (DHCPINFORM).
    Inform,
    /// Operator: cut the server link (both ways or one way).
    CutLink(LinkCut),
    /// Operator: repair the server link.
    HealLink,
    /// Operator: kill a server's dhcpd; its lease file survives.
    Stop(Role),
    /// Operator: start a stopped server from its lease file.
    Start(Role),
    /// Operator: start a stopped server with an empty lease file.
    StartEmpty(Role),
    /// Operator: orderly shutdown through OMAPI (SHUTDOWN, then exit).
    ShutdownServer(Role),
    /// Operator: set the server's local state to PARTNER-DOWN.
    PartnerDown(Role),
    /// Operator: set the server's local state to PAUSED.
    Pause(Role),
    /// Operator: take the server out of PAUSED (to COMMUNICATIONS-INTERRUPTED,
    /// from where the peers agree again).
    Resume(Role),
    /// Lose the next DHCP packet that would reach this server (`None`: the
    /// event's client).
    DropNext(Option<Role>),
}

/// Makes an operator action for one server.
type ServerAction = fn(Role) -> Action;

/// The operator actions and their names, with `{}` standing for the server.
const SERVER_ACTIONS: &[(&str, ServerAction)] = &[
    ("stop-{}", Action::Stop),
    ("start-{}", Action::Start),
    ("start-{}-empty", Action::StartEmpty),
    ("shutdown-{}", Action::ShutdownServer),
    ("partner-down-{}", Action::PartnerDown),
    ("pause-{}", Action::Pause),
    ("resume-{}", Action::Resume),
];

impl Action {
    fn parse(text: &str) -> Result<Action, String> {
        Ok(match text {
            "boot" => Action::Boot,
            "release" => Action::Release,
            "shutdown" => Action::Shutdown,
            "leave" => Action::Leave,
            "reboot" => Action::Reboot,
            "decline" => Action::Decline,
            "inform" => Action::Inform,
            "cut-link" => Action::CutLink(LinkCut::Both),
            "cut-link-to-primary" => Action::CutLink(LinkCut::ToPrimary),
            "cut-link-to-secondary" => Action::CutLink(LinkCut::ToSecondary),
            "heal-link" => Action::HealLink,
            "drop-next" => Action::DropNext(None),
            "drop-next-to-primary" => Action::DropNext(Some(Role::Primary)),
            "drop-next-to-secondary" => Action::DropNext(Some(Role::Secondary)),
            _ => {
                for role in [Role::Primary, Role::Secondary] {
                    for (pattern, make) in SERVER_ACTIONS {
                        if pattern.replace("{}", role.name()) == text {
                            return Ok(make(role));
                        }
                    }
                }
                return Err(format!(
                    "unknown action '{text}'; client actions are boot, release, shutdown, \
                     leave, reboot, decline, inform, drop-next; operator actions are cut-link, \
                     cut-link-to-primary, cut-link-to-secondary, heal-link, and for either \
                     server (primary shown) stop-primary, start-primary, start-primary-empty, \
                     shutdown-primary, partner-down-primary, pause-primary, resume-primary, \
                     drop-next-to-primary"
                ));
            }
        })
    }

    /// The name used in scenario files.
    pub fn name(self) -> String {
        let fixed = match self {
            Action::Boot => "boot",
            Action::Release => "release",
            Action::Shutdown => "shutdown",
            Action::Leave => "leave",
            Action::Reboot => "reboot",
            Action::Decline => "decline",
            Action::Inform => "inform",
            Action::CutLink(LinkCut::Both) => "cut-link",
            Action::CutLink(LinkCut::ToPrimary) => "cut-link-to-primary",
            Action::CutLink(LinkCut::ToSecondary) => "cut-link-to-secondary",
            Action::HealLink => "heal-link",
            Action::DropNext(None) => "drop-next",
            Action::DropNext(Some(Role::Primary)) => "drop-next-to-primary",
            Action::DropNext(Some(Role::Secondary)) => "drop-next-to-secondary",
            Action::Stop(r)
            | Action::Start(r)
            | Action::StartEmpty(r)
            | Action::ShutdownServer(r)
            | Action::PartnerDown(r)
            | Action::Pause(r)
            | Action::Resume(r) => {
                let pattern = SERVER_ACTIONS
                    .iter()
                    .find(|(_, make)| make(r) == self)
                    .map(|(p, _)| *p)
                    .unwrap_or("{}");
                return pattern.replace("{}", r.name());
            }
        };
        fixed.to_string()
    }

    /// Whether the action is done by a client (and so names one).
    pub fn needs_client(self) -> bool {
        matches!(
            self,
            Action::Boot
                | Action::Release
                | Action::Shutdown
                | Action::Leave
                | Action::Reboot
                | Action::Decline
                | Action::Inform
                | Action::DropNext(None)
        )
    }

    /// The server an operator action is aimed at, if any.
    pub fn server(self) -> Option<Role> {
        match self {
            Action::Stop(r)
            | Action::Start(r)
            | Action::StartEmpty(r)
            | Action::ShutdownServer(r)
            | Action::PartnerDown(r)
            | Action::Pause(r)
            | Action::Resume(r)
            | Action::DropNext(Some(r)) => Some(r),
            _ => None,
        }
    }
}

/// A client, validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientConfig {
    /// Name.
    pub name: String,
    /// Hardware address.
    pub mac: Mac,
    /// Client identifier option value, if any.
    pub client_id: Option<Vec<u8>>,
    /// Shutdown behaviour.
    pub profile: ClientProfile,
    /// T1 rule.
    pub timing: ClientTiming,
}

/// A scripted event, validated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScriptEvent {
    /// When it happens.
    pub at: Time,
    /// The client it concerns (client actions only).
    pub client: Option<usize>,
    /// What happens.
    pub action: Action,
}

/// A validated scenario: every default applied, every value typed.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Wall-clock label of t = 0.
    pub start_label: Option<String>,
    /// Unix seconds of t = 0 (from `start`; 2000-01-01 when none is given).
    /// Exports put absolute times on the wire and in lease files with it.
    pub start_epoch: u64,
    /// Seed.
    pub seed: u64,
    /// When the run stops.
    pub end: Time,
    /// MCLT in seconds.
    pub mclt: u64,
    /// The relationship's name (`failover peer "NAME"`).
    pub peer_name: String,
    /// `split`.
    pub split: u16,
    /// The HBA derived from `split`.
    pub hba: Hba,
    /// `max-response-delay` in seconds.
    pub max_response_delay: u64,
    /// `max-unacked-updates`.
    pub max_unacked_updates: u32,
    /// `load balance max seconds` (0 = balancing off).
    pub load_balance_max_seconds: u64,
    /// The subnet.
    pub subnet: Subnet,
    /// Every address of the range, in order.
    pub pool: Vec<Ipv4Addr>,
    /// The primary's address (its server identifier).
    pub primary_address: Ipv4Addr,
    /// The secondary's address.
    pub secondary_address: Ipv4Addr,
    /// `default-lease-time` in seconds.
    pub default_lease_time: u64,
    /// `min-lease-time` in seconds.
    pub min_lease_time: u64,
    /// `max-lease-time` in seconds.
    pub max_lease_time: u64,
    /// `ping-check`.
    pub ping_check: bool,
    /// How the ping wait is timed.
    pub ping_timer: PingTimer,
    /// `ping-timeout`.
    pub ping_timeout: Duration,
    /// Latency between clients and servers (`[primary, secondary]`).
    pub lan_latency: [Duration; 2],
    /// Latency of the server link.
    pub link_latency: Duration,
    /// Percent of DHCP packets lost between the clients and each server.
    pub lan_loss: [u8; 2],
    /// Percent of server-link segments lost (and sent again by TCP).
    pub link_loss: u8,
    /// The secondary's clock minus the primary's, seconds.
    pub clock_offset: i64,
    /// `auto-partner-down` in seconds (`None`: off).
    pub auto_partner_down: Option<u64>,
    /// Both servers start from empty lease files at t = 0.
    pub fresh_start: bool,
    /// `max-lease-misbalance`, percent.
    pub max_lease_misbalance: u64,
    /// `max-lease-ownership`, percent.
    pub max_lease_ownership: u64,
    /// `min-balance`, seconds.
    pub min_balance: u64,
    /// `max-balance`, seconds.
    pub max_balance: u64,
    /// Clients.
    pub clients: Vec<ClientConfig>,
    /// The script, in time order.
    pub events: Vec<ScriptEvent>,
}

/// t = 0 of a scenario without a `start` label: 2000-01-01T00:00:00Z.
pub const DEFAULT_START_EPOCH: u64 = 946_684_800;

/// The most addresses a pool may have (keeps the page and the engine fast).
pub const MAX_POOL: usize = 4096;
/// The relationship's name when the scenario gives none.
pub const DEFAULT_PEER_NAME: &str = "dhcpfo";
/// 2100-01-01T00:00:00Z: the first start refused (32-bit times on the wire).
pub const LATEST_START_EPOCH: u64 = 4_102_444_800;
/// The longest title.
pub const MAX_TITLE: usize = 200;
/// The longest description.
pub const MAX_DESCRIPTION: usize = 5000;
/// The longest client name.
pub const MAX_NAME: usize = 64;
/// The most clients a scenario may have.
pub const MAX_CLIENTS: usize = 1000;
/// The latest end a scenario may ask for: 30 days.
pub const MAX_END_SECS: u64 = 30 * 86_400;

impl Scenario {
    /// Parses TOML text. Syntax and type errors carry line and column.
    pub fn from_toml(text: &str) -> Result<Scenario, ScenarioError> {
        basic_toml::from_str(text).map_err(|e| toml_error(text, &e.to_string()))
    }

    /// Parses JSON text (the share-URL form).
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        serde_json::from_str(text).map_err(|e| {
            // serde_json repeats the position at the end of its message.
            let message = e.to_string();
            let message = match message.rfind(" at line ") {
                Some(i) => message[..i].to_string(),
                None => message,
            };
            ScenarioError::at(format!("line {}, column {}", e.line(), e.column()), message)
        })
    }

    /// The scenario as TOML text.
    pub fn to_toml(&self) -> String {
        // Serialising plain data with string keys cannot fail; fall back to JSON if it ever did.
        basic_toml::to_string(self).unwrap_or_else(|_| self.to_json())
    }

    /// The scenario as compact JSON.
    pub fn to_json(&self) -> String {
        // Serialising plain data with string keys into a String cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Checks every value and applies every default.
    pub fn validate(&self) -> Result<Arc<Config>, ScenarioError> {
        validate(self).map(Arc::new)
    }
}

fn toml_error(text: &str, message: &str) -> ScenarioError {
    // basic-toml reports "... at line L column C"; lift that into the location.
    let Some(idx) = message.rfind(" at line ") else {
        return ScenarioError::at("scenario", message.to_string());
    };
    let (msg, loc) = message.split_at(idx);
    // For an unknown key it points at the table; point at the key itself.
    if let Some(line) = unknown_key_line(text, msg) {
        return ScenarioError::at(format!("line {line}, column 1"), msg.to_string());
    }
    let loc = loc.trim_start_matches(" at ").replacen(" column ", ", column ", 1);
    ScenarioError::at(loc, msg.to_string())
}

/// The line (from 1) where the key of an "unknown field `KEY`" error is written.
fn unknown_key_line(text: &str, message: &str) -> Option<usize> {
    let key = message.strip_prefix("unknown field `")?.split('`').next()?;
    text.lines()
        .position(|l| {
            let rest = l.trim_start().strip_prefix(key);
            rest.is_some_and(|r| r.trim_start().starts_with('='))
        })
        .map(|i| i + 1)
}

fn duration(
    spec: &Option<DurationSpec>,
    path: &str,
    default: Duration,
) -> Result<Duration, ScenarioError> {
    match spec {
        None => Ok(default),
        Some(DurationSpec::Seconds(s)) => s
            .checked_mul(1000)
            .map(Duration)
            .ok_or_else(|| ScenarioError::at(path, "duration too large")),
        Some(DurationSpec::Text(t)) => Duration::parse(t).map_err(|m| ScenarioError::at(path, m)),
    }
}

fn instant(spec: &TimeSpec, path: &str) -> Result<Time, ScenarioError> {
    match spec {
        TimeSpec::Seconds(s) => {
            s.checked_mul(1000).map(Time).ok_or_else(|| ScenarioError::at(path, "time too large"))
        }
        TimeSpec::Text(t) => Time::parse(t).map_err(|m| ScenarioError::at(path, m)),
    }
}

fn whole_secs(d: Duration, path: &str, min: u64, max: u64) -> Result<u64, ScenarioError> {
    if !d.0.is_multiple_of(1000) {
        return Err(ScenarioError::at(path, "dhcpd counts this in whole seconds"));
    }
    let s = d.secs();
    if s < min || s > max {
        return Err(ScenarioError::at(path, format!("must be between {min}s and {max}s")));
    }
    Ok(s)
}

fn parse_hex_bytes(text: &str) -> Option<Vec<u8>> {
    let bytes: Option<Vec<u8>> = text
        .split(':')
        .map(|p| if p.len() == 2 { u8::from_str_radix(p, 16).ok() } else { None })
        .collect();
    bytes.filter(|b| !b.is_empty() && b.len() <= 255)
}

fn err<T>(location: impl Into<String>, message: impl Into<String>) -> Result<T, ScenarioError> {
    Err(ScenarioError::at(location, message))
}

fn validate(s: &Scenario) -> Result<Config, ScenarioError> {
    if s.title.trim().is_empty() {
        return err("title", "a scenario needs a title");
    }
    check_text(&s.title, "title", MAX_TITLE)?;
    check_text(&s.description, "description", MAX_DESCRIPTION)?;
    let failover = validate_failover(&s.failover)?;
    let (subnet, pool) = validate_pool(&s.pool)?;
    let primary_address = server_address(&s.network.primary, "network.primary", subnet, &pool, 1)?;
    let secondary_address =
        server_address(&s.network.secondary, "network.secondary", subnet, &pool, 2)?;
    if primary_address == secondary_address {
        return err("network.secondary", "both servers have the same address");
    }
    let lease = validate_lease(&s.lease)?;
    let net = validate_network(&s.network)?;
    let clients = validate_clients(&s.clients)?;
    let events = validate_events(&s.events, &clients)?;
    let last_event = events.last().map(|e| e.at).unwrap_or(Time::ZERO);
    let end = match &s.end {
        Some(spec) => instant(spec, "end")?,
        None => last_event.plus(Duration::from_secs(300)).min(Time::from_secs(MAX_END_SECS)),
    };
    if end.secs() > MAX_END_SECS {
        return err("end", "a run may last at most 30 days");
    }
    if let Some(i) = s.events.iter().position(|e| instant(&e.at, "").is_ok_and(|t| t > end)) {
        let msg = format!("this event comes after the end of the run ({})", end.clock());
        return err(format!("event[{i}].at"), msg);
    }
    let start_epoch = match &s.start {
        Some(label) => crate::time::parse_utc(label).or_else(|m| err("start", m))?,
        None => DEFAULT_START_EPOCH,
    };
    // Failover messages and captures carry 32-bit Unix times, and leases may
    // reach a year or two past the end of the run.
    if start_epoch >= LATEST_START_EPOCH {
        return err("start", "times on the wire are 32-bit: the start must be before 2100");
    }
    Ok(Config {
        title: s.title.clone(),
        description: s.description.clone(),
        start_label: s.start.clone(),
        start_epoch,
        seed: s.seed,
        end,
        mclt: failover.mclt,
        peer_name: failover.peer_name,
        split: failover.split,
        hba: Hba::from_split(failover.split),
        max_response_delay: failover.max_response_delay,
        max_unacked_updates: failover.max_unacked_updates,
        load_balance_max_seconds: failover.load_balance_max_seconds,
        subnet,
        pool,
        primary_address,
        secondary_address,
        default_lease_time: lease.default,
        min_lease_time: lease.min,
        max_lease_time: lease.max,
        ping_check: lease.ping_check,
        ping_timer: lease.ping_timer,
        ping_timeout: lease.ping_timeout,
        lan_latency: net.lan_latency,
        link_latency: net.link_latency,
        lan_loss: net.lan_loss,
        link_loss: net.link_loss,
        clock_offset: net.clock_offset,
        auto_partner_down: failover.auto_partner_down,
        fresh_start: failover.fresh_start,
        max_lease_misbalance: failover.max_lease_misbalance,
        max_lease_ownership: failover.max_lease_ownership,
        min_balance: failover.min_balance,
        max_balance: failover.max_balance,
        clients,
        events,
    })
}

/// `[failover]`, validated.
struct FailoverValues {
    peer_name: String,
    mclt: u64,
    split: u16,
    max_response_delay: u64,
    max_unacked_updates: u32,
    load_balance_max_seconds: u64,
    auto_partner_down: Option<u64>,
    fresh_start: bool,
    max_lease_misbalance: u64,
    max_lease_ownership: u64,
    min_balance: u64,
    max_balance: u64,
}

fn validate_failover(f: &FailoverSection) -> Result<FailoverValues, ScenarioError> {
    let mclt = duration(&f.mclt, "failover.mclt", Duration::from_secs(3600))?;
    let mclt = whole_secs(mclt, "failover.mclt", 1, 86_400 * 7)?;
    let split = f.split.unwrap_or(128);
    if split > 256 {
        return err("failover.split", "split is a bucket count, 0 to 256");
    }
    let path = "failover.max_response_delay";
    let delay = duration(&f.max_response_delay, path, Duration::from_secs(20))?;
    let max_response_delay = whole_secs(delay, path, 1, 3600)?;
    // dhcpd: a missing or zero max-unacked-updates means its default, 100.
    let max_unacked_updates = match f.max_unacked_updates {
        None | Some(0) => 100,
        Some(n) if n > 10_000 => return err("failover.max_unacked_updates", "at most 10000"),
        Some(n) => n,
    };
    let auto_partner_down = auto_partner_down(&f.auto_partner_down)?;
    let fresh_start = start_mode(f.start.as_deref())?;
    let percent = |v: Option<u64>, path: &str, default: u64| match v {
        None => Ok(default),
        Some(p) if p <= 100 => Ok(p),
        Some(_) => err(path, "a percentage, 0 to 100"),
    };
    let max_lease_misbalance =
        percent(f.max_lease_misbalance, "failover.max_lease_misbalance", 15)?;
    let max_lease_ownership = percent(f.max_lease_ownership, "failover.max_lease_ownership", 10)?;
    let min_balance = duration(&f.min_balance, "failover.min_balance", Duration::from_secs(60))?;
    let min_balance = whole_secs(min_balance, "failover.min_balance", 1, 86_400)?;
    let max_balance = duration(&f.max_balance, "failover.max_balance", Duration::from_secs(3600))?;
    let max_balance = whole_secs(max_balance, "failover.max_balance", 1, 86_400)?;
    if max_balance < min_balance {
        return err("failover.max_balance", "max-balance is below min-balance");
    }
    let peer_name = f.name.clone().unwrap_or_else(|| DEFAULT_PEER_NAME.to_string());
    check_text(&peer_name, "failover.name", MAX_NAME)?;
    if peer_name.is_empty() || peer_name.contains(['"', '\\']) {
        return err("failover.name", "a relationship name is non-empty text without quotes");
    }
    Ok(FailoverValues {
        peer_name,
        mclt,
        split,
        max_response_delay,
        max_unacked_updates,
        load_balance_max_seconds: f.load_balance_max_seconds.unwrap_or(0),
        auto_partner_down,
        fresh_start,
        max_lease_misbalance,
        max_lease_ownership,
        min_balance,
        max_balance,
    })
}

fn auto_partner_down(spec: &Option<DurationSpec>) -> Result<Option<u64>, ScenarioError> {
    let path = "failover.auto_partner_down";
    match spec {
        None | Some(DurationSpec::Seconds(0)) => Ok(None),
        Some(DurationSpec::Text(t)) if t == "off" => Ok(None),
        Some(_) => {
            let d = duration(spec, path, Duration(0))?;
            Ok(Some(whole_secs(d, path, 1, 86_400 * 7)?))
        }
    }
}

fn start_mode(start: Option<&str>) -> Result<bool, ScenarioError> {
    match start {
        None | Some("normal") => Ok(false),
        Some("fresh") => Ok(true),
        Some(other) => err(
            "failover.start",
            format!("'{other}' is not a start mode; use \"normal\" or \"fresh\""),
        ),
    }
}

/// Text shown in the page and printed one line per step: bounded, no control characters
/// (newlines and tabs are allowed in descriptions only).
fn check_text(text: &str, path: &str, max: usize) -> Result<(), ScenarioError> {
    let count = text.chars().count();
    if count > max {
        return err(path, format!("{count} characters; at most {max}"));
    }
    let multi_line = path == "description";
    if text.chars().any(|c| c.is_control() && !(multi_line && (c == '\n' || c == '\t'))) {
        return err(path, "control characters (such as a line break) are not allowed here");
    }
    Ok(())
}

fn address(text: &str, path: &str) -> Result<Ipv4Addr, ScenarioError> {
    text.parse().or_else(|_| err(path, format!("'{text}' is not an IPv4 address")))
}

fn validate_pool(p: &PoolSection) -> Result<(Subnet, Vec<Ipv4Addr>), ScenarioError> {
    let subnet: Subnet = p.subnet.parse().or_else(|m: String| err("pool.subnet", m))?;
    if subnet.prefix > 30 {
        return err("pool.subnet", "the subnet needs room for two servers");
    }
    let first = address(&p.range[0], "pool.range[0]")?;
    let last = address(&p.range[1], "pool.range[1]")?;
    for (i, a) in [first, last].iter().enumerate() {
        if !subnet.contains(*a) {
            return err(format!("pool.range[{i}]"), format!("{a} is outside {subnet}"));
        }
    }
    if u32::from(last) < u32::from(first) {
        return err("pool.range", "the range ends before it starts");
    }
    let broadcast = Ipv4Addr::from(u32::from(subnet.host(0)) | !subnet.mask());
    for (i, a) in [first, last].iter().enumerate() {
        if *a == subnet.host(0) || *a == broadcast {
            let what = if *a == broadcast { "broadcast" } else { "network" };
            return err(
                format!("pool.range[{i}]"),
                format!("{a} is the {what} address of {subnet}"),
            );
        }
    }
    let size = (u32::from(last) - u32::from(first)) as usize + 1;
    if size > MAX_POOL {
        return err("pool.range", format!("at most {MAX_POOL} addresses"));
    }
    Ok((subnet, (u32::from(first)..=u32::from(last)).map(Ipv4Addr::from).collect()))
}

fn server_address(
    spec: &Option<String>,
    path: &str,
    subnet: Subnet,
    pool: &[Ipv4Addr],
    host: u32,
) -> Result<Ipv4Addr, ScenarioError> {
    let a = match spec {
        Some(t) => address(t, path)?,
        None => subnet.host(host),
    };
    if !subnet.contains(a) {
        return err(path, format!("{a} is outside {subnet}"));
    }
    if pool.contains(&a) {
        return err(path, format!("{a} is inside the pool range"));
    }
    Ok(a)
}

/// `[lease]`, validated.
struct LeaseValues {
    default: u64,
    min: u64,
    max: u64,
    ping_check: bool,
    ping_timer: PingTimer,
    ping_timeout: Duration,
}

fn lease_secs(spec: &Option<DurationSpec>, path: &str, default: u64) -> Result<u64, ScenarioError> {
    let d = duration(spec, path, Duration::from_secs(default))?;
    whole_secs(d, path, 0, 86_400 * 365)
}

fn validate_lease(l: &LeaseSection) -> Result<LeaseValues, ScenarioError> {
    let max = lease_secs(&l.max, "lease.max", 86_400)?;
    let default = lease_secs(&l.default, "lease.default", 43_200)?;
    for (v, path) in [(max, "lease.max"), (default, "lease.default")] {
        if v == 0 {
            return err(path, "a lease must last at least 1s");
        }
    }
    // dhcpd: a missing or zero min-lease-time is 300 s, but never above max-lease-time.
    let min = match lease_secs(&l.min, "lease.min", 0)? {
        0 => 300.min(max),
        m => m,
    };
    let ping_timer = match l.ping_timer.as_deref() {
        None | Some("timeout") => PingTimer::Timeout,
        Some("second-edge") => PingTimer::SecondEdge,
        Some(o) => {
            let msg = format!("'{o}' is not a ping timer; use \"timeout\" or \"second-edge\"");
            return err("lease.ping_timer", msg);
        }
    };
    let ping_timeout = duration(&l.ping_timeout, "lease.ping_timeout", Duration::from_secs(1))?;
    if ping_timeout.0 > 60_000 {
        return err("lease.ping_timeout", "at most 60s");
    }
    let ping_check = l.ping_check.unwrap_or(true);
    Ok(LeaseValues { default, min, max, ping_check, ping_timer, ping_timeout })
}

/// `[network]`, validated.
struct NetworkValues {
    lan_latency: [Duration; 2],
    link_latency: Duration,
    lan_loss: [u8; 2],
    link_loss: u8,
    clock_offset: i64,
}

fn validate_network(n: &NetworkSection) -> Result<NetworkValues, ScenarioError> {
    let lan = duration(&n.latency, "network.latency", Duration(1))?;
    let link = duration(&n.server_link_latency, "network.server_link_latency", lan)?;
    let primary = duration(&n.primary_latency, "network.primary_latency", lan)?;
    let secondary = duration(&n.secondary_latency, "network.secondary_latency", lan)?;
    for (d, p) in [
        (lan, "network.latency"),
        (link, "network.server_link_latency"),
        (primary, "network.primary_latency"),
        (secondary, "network.secondary_latency"),
    ] {
        if d.0 > 10_000 {
            return err(p, "at most 10s");
        }
    }
    let mut losses = [0u8; 3];
    for (i, (v, p)) in [
        (n.primary_loss, "network.primary_loss"),
        (n.secondary_loss, "network.secondary_loss"),
        (n.server_link_loss, "network.server_link_loss"),
    ]
    .into_iter()
    .enumerate()
    {
        match v {
            Some(l) if l > 100 => return err(p, "a percentage, 0 to 100"),
            Some(l) if i == 2 && l > 90 => {
                return err(p, "at most 90: TCP gives up on a link that loses more")
            }
            Some(l) => losses[i] = l,
            None => {}
        }
    }
    let clock_offset = n.clock_offset.unwrap_or(0);
    if clock_offset.unsigned_abs() > 86_400 {
        return err("network.clock_offset", "at most a day either way");
    }
    Ok(NetworkValues {
        lan_latency: [primary, secondary],
        link_latency: link,
        lan_loss: [losses[0], losses[1]],
        link_loss: losses[2],
        clock_offset,
    })
}

fn validate_clients(specs: &[ClientSpec]) -> Result<Vec<ClientConfig>, ScenarioError> {
    if specs.len() > MAX_CLIENTS {
        return err("client", format!("at most {MAX_CLIENTS} clients"));
    }
    let mut clients: Vec<ClientConfig> = Vec::with_capacity(specs.len());
    for (i, c) in specs.iter().enumerate() {
        let client = validate_client(c, &format!("client[{i}]"))?;
        if clients.iter().any(|o| o.name == client.name) {
            return err(format!("client[{i}].name"), format!("'{}' is used twice", c.name));
        }
        if clients.iter().any(|o| o.mac == client.mac) {
            return err(format!("client[{i}].mac"), format!("{} is used twice", client.mac));
        }
        if client.client_id.is_some() && clients.iter().any(|o| o.client_id == client.client_id) {
            let msg =
                "this client identifier is used twice; servers would take both for one client";
            return err(format!("client[{i}].client_id"), msg);
        }
        clients.push(client);
    }
    Ok(clients)
}

fn validate_client(c: &ClientSpec, path: &str) -> Result<ClientConfig, ScenarioError> {
    if c.name.trim().is_empty() {
        return err(format!("{path}.name"), "a client needs a name");
    }
    check_text(&c.name, &format!("{path}.name"), MAX_NAME)?;
    let mac: Mac = c.mac.parse().or_else(|m: String| err(format!("{path}.mac"), m))?;
    // A client's hardware address is a unicast address, and not one the captures
    // give the servers.
    if mac.0[0] & 1 == 1 || mac.0 == [0; 6] || mac.0[..5] == [0x02, 0xdf, 0, 0, 0] {
        let msg = format!("{mac} cannot be a client's address (group, zero or a server's)");
        return err(format!("{path}.mac"), msg);
    }
    let client_id = match &c.client_id {
        None => None,
        Some(t) => Some(parse_hex_bytes(t).ok_or_else(|| {
            ScenarioError::at(
                format!("{path}.client_id"),
                "write the identifier as hex bytes, e.g. 01:02:00:00:00:00:01",
            )
        })?),
    };
    let profile = match c.profile.as_deref() {
        None | Some("keeps-lease") => ClientProfile::KeepsLease,
        Some("releases-on-shutdown") => ClientProfile::ReleasesOnShutdown,
        Some(o) => {
            let msg = format!("'{o}' is not a profile; use keeps-lease or releases-on-shutdown");
            return err(format!("{path}.profile"), msg);
        }
    };
    let timing = match c.timing.as_deref() {
        None | Some("rfc2131") => ClientTiming::Rfc2131,
        Some("dhclient") => ClientTiming::Dhclient,
        Some(o) => {
            let msg = format!("'{o}' is not a timing; use \"rfc2131\" or \"dhclient\"");
            return err(format!("{path}.timing"), msg);
        }
    };
    Ok(ClientConfig { name: c.name.clone(), mac, client_id, profile, timing })
}

fn validate_events(
    specs: &[EventSpec],
    clients: &[ClientConfig],
) -> Result<Vec<ScriptEvent>, ScenarioError> {
    let mut events = Vec::with_capacity(specs.len());
    for (i, e) in specs.iter().enumerate() {
        let path = format!("event[{i}]");
        let at = instant(&e.at, &format!("{path}.at"))?;
        if at.secs() > MAX_END_SECS {
            return err(format!("{path}.at"), "events must fall within 30 days");
        }
        let action = Action::parse(&e.action).or_else(|m| err(format!("{path}.action"), m))?;
        let client = match (e.client.as_deref(), action.needs_client()) {
            (None, true) => {
                let msg = format!("action '{}' needs a client", e.action);
                return err(format!("{path}.client"), msg);
            }
            (Some(_), false) => {
                let msg = format!("'{}' is an operator action and names no client", e.action);
                return err(format!("{path}.client"), msg);
            }
            (None, false) => None,
            (Some(name), true) => match clients.iter().position(|c| c.name == name) {
                Some(i) => Some(i),
                None => {
                    return err(format!("{path}.client"), format!("no client is named '{name}'"))
                }
            },
        };
        events.push(ScriptEvent { at, client, action });
    }
    // A stable sort keeps the file's order among events at the same instant.
    events.sort_by_key(|e| e.at);
    Ok(events)
}

mod compiled {
    include!(concat!(env!("OUT_DIR"), "/builtins.rs"));
}

/// A built-in scenario: its short name and its definition.
#[derive(Clone, Copy, Debug)]
pub struct Builtin {
    /// Short name, as `dhcpfo run NAME` takes it.
    pub name: &'static str,
    /// The scenario as JSON, compiled at build time from `scenarios/NAME.toml`.
    pub json: &'static str,
}

/// The built-in library, the default scenario first.
pub const BUILTINS: &[Builtin] = &{
    const N: usize = compiled::BUILTIN_JSON.len();
    let mut out = [Builtin { name: "", json: "" }; N];
    let mut i = 0;
    while i < N {
        out[i] = Builtin { name: compiled::BUILTIN_JSON[i].0, json: compiled::BUILTIN_JSON[i].1 };
        i += 1;
    }
    out
};

/// The default scenario's name.
pub const DEFAULT_SCENARIO: &str = "dhcprelease";

/// The built-in scenario called `name`, parsed.
pub fn builtin(name: &str) -> Option<Scenario> {
    BUILTINS.iter().find(|b| b.name == name).and_then(|b| Scenario::from_json(b.json).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_parses_and_validates() {
        assert_eq!(BUILTINS[0].name, DEFAULT_SCENARIO);
        for b in BUILTINS {
            let path = format!("{}/scenarios/{}.toml", env!("CARGO_MANIFEST_DIR"), b.name);
            let text = std::fs::read_to_string(path).unwrap();
            let s = Scenario::from_toml(&text).unwrap_or_else(|e| panic!("{}: {e}", b.name));
            assert_eq!(builtin(b.name).as_ref(), Some(&s), "{}: JSON and TOML agree", b.name);
            s.validate().unwrap_or_else(|e| panic!("{}: {e}", b.name));
            let back = Scenario::from_toml(&s.to_toml()).expect("TOML round trip");
            assert_eq!(back, s, "{}", b.name);
            assert_eq!(Scenario::from_json(&s.to_json()).unwrap(), s, "{}", b.name);
        }
    }

    #[test]
    fn errors_name_the_place() {
        let base = builtin(DEFAULT_SCENARIO).unwrap();
        let mut s = base.clone();
        s.events[1].at = TimeSpec::Text("00:61:00".into());
        assert_eq!(s.validate().unwrap_err().location, "event[1].at");
        let mut s = base.clone();
        s.clients[0].mac = "nonsense".into();
        assert_eq!(s.validate().unwrap_err().location, "client[0].mac");
        let mut s = base.clone();
        s.events[0].client = Some("nobody".into());
        let e = s.validate().unwrap_err();
        assert!(e.message.contains("nobody"), "{e}");
        let e = Scenario::from_toml("title = \"x\"\n[pool]\nsubnet = 5\n").unwrap_err();
        assert!(e.location.starts_with("line"), "{e:?}");
        let e = Scenario::from_toml(
            "title = \"x\"\nbogus = 1\n[pool]\nsubnet=\"a\"\nrange=[\"a\",\"b\"]\n",
        )
        .unwrap_err();
        assert!(e.message.contains("bogus"), "{e:?}");
        assert_eq!(e.location, "line 2, column 1", "{e:?}");
        let e = Scenario::from_toml(
            "title = \"x\"\n[pool]\nsubnet=\"a\"\nrange=[\"a\",\"b\"]\n[lease]\nmaxx = 1\n",
        )
        .unwrap_err();
        assert_eq!(e.location, "line 6, column 1", "{e:?}");
    }

    #[test]
    fn odd_values_are_refused_with_their_place() {
        let base = builtin(DEFAULT_SCENARIO).unwrap();
        let refused = |f: &dyn Fn(&mut Scenario)| {
            let mut s = base.clone();
            f(&mut s);
            s.validate().unwrap_err()
        };
        let e = refused(&|s| s.end = Some(TimeSpec::Text("00:10:00".into())));
        assert_eq!(e.location, "event[2].at", "{e}");
        let e = refused(&|s| {
            s.clients[0].client_id = Some("01:02".into());
            s.clients[1].client_id = Some("01:02".into());
        });
        assert_eq!(e.location, "client[1].client_id", "{e}");
        let e = refused(&|s| s.pool.range = ["192.0.2.0".into(), "192.0.2.9".into()]);
        assert!(e.message.contains("network address"), "{e}");
        let e = refused(&|s| s.pool.range = ["192.0.2.250".into(), "192.0.2.255".into()]);
        assert!(e.message.contains("broadcast address"), "{e}");
        let e = refused(&|s| s.title = "x".repeat(MAX_TITLE + 1));
        assert_eq!(e.location, "title", "{e}");
        let e = refused(&|s| s.clients[0].name = "two\nlines".into());
        assert_eq!(e.location, "client[0].name", "{e}");
        let e = refused(&|s| s.start = Some("2100-01-01T00:00:00Z".into()));
        assert_eq!(e.location, "start", "{e}");
        // An event at the very end of the allowed span does not blame a missing `end`.
        let mut s = base.clone();
        s.events[3].at = TimeSpec::Seconds(MAX_END_SECS);
        assert!(s.validate().is_ok());
    }

    #[test]
    fn numbers_in_the_wrong_form_say_which_forms_work() {
        let text = |at: &str| {
            format!(
                "title = \"t\"\n[pool]\nsubnet = \"192.0.2.0/24\"\nrange = [\"192.0.2.10\", \
                 \"192.0.2.20\"]\n[[client]]\nname = \"a\"\nmac = \"02:00:00:00:00:01\"\n\
                 [[event]]\nat = {at}\nclient = \"a\"\naction = \"boot\"\n"
            )
        };
        let e = Scenario::from_toml(&text("-1")).unwrap_err();
        assert!(e.message.contains("negative"), "{e}");
        let e = Scenario::from_toml(&text("1.5")).unwrap_err();
        assert!(e.message.contains("fractional"), "{e}");
        let e = Scenario::from_toml(&text("true")).unwrap_err();
        assert!(e.message.contains("whole seconds"), "{e}");
        assert!(Scenario::from_toml(&text("\"00:00:05\"")).is_ok());
        let e = Scenario::from_json("{\"title\": 1}").unwrap_err();
        assert!(!e.message.contains(" at line "), "{e}");
    }

    #[test]
    fn dhcpd_lease_time_defaults() {
        let mut s = builtin(DEFAULT_SCENARIO).unwrap();
        s.lease = LeaseSection::default();
        let c = s.validate().unwrap();
        assert_eq!(
            (c.default_lease_time, c.max_lease_time, c.min_lease_time),
            (43_200, 86_400, 300)
        );
        s.lease.max = Some(DurationSpec::Seconds(120));
        assert_eq!(s.validate().unwrap().min_lease_time, 120);
    }
}
