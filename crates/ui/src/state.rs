//! The page's state as plain data, and the reducer that changes it.
//!
//! [`Loaded`] is a scenario after validation together with its whole
//! [`Timeline`], computed once. [`Playback`] is everything the page shows at
//! one moment: which scenario, how many steps are applied, the exact
//! [`World`] after them, whether it plays and how fast, the selected packet
//! and any error to report. [`Action`] lists every way the page can change.
//! [`Violation`] is a broken safety property the engine's monitor recorded
//! in a step; a load lists them once so every part of the page can mark them.
//! A load also lists every packet lost on its way ([`Loaded::drop_of`]), so the
//! step that sends it can already show it vanishing.
//! Nothing here touches the browser, so it runs and is tested anywhere.

use std::net::Ipv4Addr;
use std::ops::Deref;
use std::rc::Rc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use dhcpfo_engine::packet::{Node, Packet};
use dhcpfo_engine::scenario::{builtin, EventSpec, TimeSpec, BUILTINS, DEFAULT_SCENARIO};
use dhcpfo_engine::share;
use dhcpfo_engine::trace::{Cause, DropReason, Effect, Step, Why};
use dhcpfo_engine::{Config, Duration, Scenario, ScenarioError, Time, Timeline, World};
use yew::virtual_dom::Key;
use yew::{AttrValue, Reducible};

/// A shared value whose equality is identity, so props holding it compare in O(1).
#[derive(Debug)]
pub struct Shared<T>(pub Rc<T>);

impl<T> Shared<T> {
    /// Wraps a value.
    pub fn new(value: T) -> Shared<T> {
        Shared(Rc::new(value))
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

static NEXT_LOAD_ID: AtomicU32 = AtomicU32::new(1);

/// A validated scenario and its complete run.
#[derive(Debug)]
pub struct Loaded {
    /// Distinguishes one load from the next (two loads of the same scenario differ).
    pub id: u32,
    /// The scenario as written; the share link carries it.
    pub scenario: Scenario,
    /// The validated configuration.
    pub config: Arc<Config>,
    /// Every step of the run, computed once.
    pub timeline: Timeline,
    /// The built-in this scenario equals, if any.
    pub builtin: Option<&'static str>,
    /// Names, hardware addresses and addresses as text, made once.
    pub labels: Labels,
    /// Every safety violation of the run, in step order.
    pub violations: Vec<Violation>,
    /// Every packet lost on its way, by packet id and receiver, in that order.
    drops: Vec<(u32, Node, DropReason)>,
    share_prefix: String,
}

/// A broken safety property, as the engine's monitor recorded it in a step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// Index of the step (0-based) that recorded it.
    pub step: usize,
    /// The address concerned.
    pub address: Ipv4Addr,
    /// The engine's sentence for it (it starts with "SAFETY VIOLATION").
    pub sentence: String,
}

/// Whether an effect is a note of the safety monitor.
pub fn is_violation(effect: &Effect) -> bool {
    matches!(effect.why(), Why::SafetyViolation { .. })
}

/// The safety violations recorded in the step at `index`, in effect order.
pub fn violations_in(cfg: &Config, index: usize, step: &Step) -> Vec<Violation> {
    let found = step.effects.iter().filter_map(|e| match e.why() {
        Why::SafetyViolation { address, .. } => Some((*address, step.effect_sentence(cfg, e))),
        _ => None,
    });
    found.map(|(address, sentence)| Violation { step: index, address, sentence }).collect()
}

/// Text shown for every client and address, made once per load so that a step
/// formats nothing it showed before.
#[derive(Debug)]
pub struct Labels {
    /// One per client, in scenario order.
    pub clients: Vec<ClientLabel>,
    /// One per pool address, in pool order.
    pub addresses: Vec<AddressLabel>,
}

/// A client's name and hardware address as text.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientLabel {
    /// The list key.
    pub key: Key,
    /// Name.
    pub name: AttrValue,
    /// Hardware address.
    pub mac: AttrValue,
}

/// An address as text.
#[derive(Clone, Debug, PartialEq)]
pub struct AddressLabel {
    /// The list key.
    pub key: Key,
    /// Dotted quad.
    pub text: AttrValue,
    /// Last octet.
    pub octet: AttrValue,
}

impl Labels {
    fn of(config: &Config) -> Labels {
        let clients = config
            .clients
            .iter()
            .map(|c| ClientLabel {
                key: Key::from(c.name.as_str()),
                name: AttrValue::from(c.name.clone()),
                mac: AttrValue::from(c.mac.to_string()),
            })
            .collect();
        let addresses = config.pool.iter().map(|&a| AddressLabel::of(a)).collect();
        Labels { clients, addresses }
    }

    /// The label of the pool address at `index`, made afresh if the pool has no such entry.
    pub fn address(&self, index: usize, address: std::net::Ipv4Addr) -> AddressLabel {
        match self.addresses.get(index) {
            Some(label) => label.clone(),
            None => AddressLabel::of(address),
        }
    }
}

impl AddressLabel {
    fn of(address: std::net::Ipv4Addr) -> AddressLabel {
        let text = address.to_string();
        AddressLabel {
            key: Key::from(text.as_str()),
            octet: AttrValue::from(address.octets()[3].to_string()),
            text: AttrValue::from(text),
        }
    }
}

impl PartialEq for Loaded {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Loaded {
    /// Validates and runs a scenario.
    pub fn new(scenario: Scenario) -> Result<Loaded, ScenarioError> {
        let config = scenario.validate()?;
        let timeline = Timeline::run(config.clone());
        let builtin =
            BUILTINS.iter().find(|b| builtin(b.name).as_ref() == Some(&scenario)).map(|b| b.name);
        // The fragment is `v1.<payload>.<step>`: keep everything before the step.
        let encoded = share::encode(&scenario, 0);
        let share_prefix = match encoded.rsplit_once('.') {
            Some((prefix, _)) => prefix.to_string(),
            None => encoded,
        };
        let id = NEXT_LOAD_ID.fetch_add(1, Ordering::Relaxed);
        let labels = Labels::of(&config);
        let steps = timeline.steps().iter().enumerate();
        let violations = steps.flat_map(|(i, s)| violations_in(&config, i, s)).collect();
        let mut drops: Vec<_> = timeline
            .steps()
            .iter()
            .filter_map(|s| match &s.cause {
                Cause::Dropped(p, reason) => Some((p.id, s.node, *reason)),
                _ => None,
            })
            .collect();
        drops.sort_unstable_by_key(|&(id, to, _)| (id, to));
        Ok(Loaded {
            id,
            scenario,
            config,
            timeline,
            builtin,
            labels,
            violations,
            drops,
            share_prefix,
        })
    }

    /// Loads a built-in scenario by name.
    pub fn builtin(name: &str) -> Result<Loaded, String> {
        let scenario = builtin(name).ok_or_else(|| format!("no built-in scenario '{name}'"))?;
        Loaded::new(scenario).map_err(|e| e.to_string())
    }

    /// The default scenario, which the engine's own tests keep valid.
    pub fn default_scenario() -> Loaded {
        Loaded::builtin(DEFAULT_SCENARIO).expect("the default scenario is valid")
    }

    /// How many steps the run has.
    pub fn total(&self) -> usize {
        self.timeline.steps().len()
    }

    /// The step with index `index` (0-based), if any.
    pub fn step(&self, index: usize) -> Option<&Step> {
        self.timeline.steps().get(index)
    }

    /// Whether the run stopped at the engine's step limit before the scenario's end.
    pub fn truncated(&self) -> bool {
        self.timeline.truncated()
    }

    /// The virtual time the page follows the run to: the scenario's end, or the
    /// time of the last step when the run was cut at the step limit.
    pub fn followed_until(&self) -> Time {
        match self.timeline.steps().last() {
            Some(last) if self.truncated() => last.at,
            _ => self.config.end,
        }
    }

    /// The safety violations recorded in the step at `index` (0-based).
    pub fn violations_at(&self, index: usize) -> &[Violation] {
        let from = self.violations.partition_point(|v| v.step < index);
        let to = self.violations.partition_point(|v| v.step <= index);
        &self.violations[from..to]
    }

    /// The first violation after the step at `index`, else the first of the run.
    pub fn next_violation(&self, index: Option<usize>) -> Option<&Violation> {
        let from = index.map_or(0, |i| self.violations.partition_point(|v| v.step <= i));
        self.violations.get(from).or(self.violations.first())
    }

    /// Why the packet with id `packet` never reached `to`, if it was lost.
    pub fn drop_of(&self, packet: u32, to: Node) -> Option<DropReason> {
        let at = self.drops.binary_search_by_key(&(packet, to), |&(id, n, _)| (id, n)).ok()?;
        self.drops.get(at).map(|d| d.2)
    }

    /// The share fragment (without `#`) for this scenario shown at `step`.
    pub fn fragment(&self, step: usize) -> String {
        format!("{}.{step}", self.share_prefix)
    }
}

/// Playback speeds; 1x applies one step every 700 ms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Speed {
    /// Half speed.
    Half,
    /// Normal speed.
    One,
    /// Twice as fast.
    Two,
    /// Four times as fast.
    Four,
    /// Eight times as fast.
    Eight,
    /// Sixteen times as fast, for long runs.
    Sixteen,
}

impl Speed {
    /// Every speed, slowest first.
    pub const ALL: [Speed; 6] =
        [Speed::Half, Speed::One, Speed::Two, Speed::Four, Speed::Eight, Speed::Sixteen];

    /// Milliseconds between two steps while playing.
    pub fn tick_ms(self) -> u32 {
        match self {
            Speed::Half => 1400,
            Speed::One => 700,
            Speed::Two => 350,
            Speed::Four => 175,
            Speed::Eight => 88,
            Speed::Sixteen => 44,
        }
    }

    /// The value of the speed selector's option.
    pub fn value(self) -> &'static str {
        match self {
            Speed::Half => "0.5",
            Speed::One => "1",
            Speed::Two => "2",
            Speed::Four => "4",
            Speed::Eight => "8",
            Speed::Sixteen => "16",
        }
    }

    /// The speed an option value stands for.
    pub fn from_value(value: &str) -> Option<Speed> {
        Speed::ALL.into_iter().find(|s| s.value() == value)
    }

    /// How long a packet takes to fly across the topology: most of a tick, but never
    /// so short that the label cannot be seen on its way (at 8x and 16x the flights of
    /// one step are cut short by the next, which is what fast playback looks like).
    pub fn flight_ms(self) -> u32 {
        (self.tick_ms() * 4 / 5).max(MIN_FLIGHT_MS)
    }
}

/// When the next step of playback is due, in milliseconds like `now`: `wait_ms` after
/// the step shown was due, so the time a step takes to draw does not slow playback down.
/// A page that fell two waits behind (a slow machine, a hidden tab) counts afresh.
pub fn next_due(shown_due: Option<f64>, now: f64, wait_ms: u32) -> f64 {
    let wait = f64::from(wait_ms);
    match shown_due {
        Some(due) if now - due < 2.0 * wait => due + wait,
        _ => now + wait,
    }
}

/// The shortest flight of a packet label, in milliseconds.
const MIN_FLIGHT_MS: u32 = 120;

/// Where a packet sits in a step: the one it received, one it sent, or the one
/// lost on its way to the acting node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    /// The packet whose arrival caused the step.
    Received,
    /// The packet whose loss is the step.
    Lost,
    /// The effect at this index, a `Sent` effect.
    Sent(usize),
}

/// A packet of the trace, by step index (0-based) and slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PacketRef {
    /// Index of the step in the timeline.
    pub step: usize,
    /// Which packet of that step.
    pub slot: Slot,
}

impl PacketRef {
    /// The packet this refers to, if it exists.
    pub fn resolve(self, loaded: &Loaded) -> Option<&Packet> {
        let step = loaded.step(self.step)?;
        match (self.slot, &step.cause) {
            (Slot::Received, Cause::Received(p)) | (Slot::Lost, Cause::Dropped(p, _)) => Some(p),
            (Slot::Sent(k), _) => match step.effects.get(k)? {
                Effect::Sent { packet, .. } => Some(packet),
                _ => None,
            },
            _ => None,
        }
    }
}

/// Every packet of a step: the received (or lost) one first, then those sent, in order.
pub fn packets_of(index: usize, step: &Step) -> Vec<(PacketRef, &Packet)> {
    let received = match &step.cause {
        Cause::Received(p) => Some((PacketRef { step: index, slot: Slot::Received }, p)),
        Cause::Dropped(p, _) => Some((PacketRef { step: index, slot: Slot::Lost }, p)),
        _ => None,
    };
    let sent = sent_by(step).map(|(k, p)| (PacketRef { step: index, slot: Slot::Sent(k) }, p));
    received.into_iter().chain(sent).collect()
}

/// The packets a step sends, with their slots.
pub fn sent_by(step: &Step) -> impl Iterator<Item = (usize, &Packet)> {
    step.effects.iter().enumerate().filter_map(|(k, e)| match e {
        Effect::Sent { packet, .. } => Some((k, &**packet)),
        _ => None,
    })
}

/// Everything the page shows at one moment.
#[derive(Clone, Debug)]
pub struct Playback {
    /// The scenario and its run.
    pub loaded: Shared<Loaded>,
    /// How many steps are applied (0 = the start).
    pub step: usize,
    /// The world after those steps.
    pub world: Shared<World>,
    /// Whether playback runs.
    pub playing: bool,
    /// Playback speed.
    pub speed: Speed,
    /// The packet the inspector shows, when chosen by hand.
    pub selected: Option<PacketRef>,
    /// A message for the error banner.
    pub error: Option<String>,
}

impl Playback {
    /// The page for a URL fragment: its scenario and step, or the default with an error.
    pub fn open(fragment: &str) -> Playback {
        let (loaded, step, error) = resolve_fragment(fragment);
        Playback::show(loaded, step, Speed::One, error)
    }

    fn show(loaded: Loaded, step: usize, speed: Speed, error: Option<String>) -> Playback {
        Playback::show_shared(Shared::new(loaded), step, speed, error)
    }

    fn show_shared(
        loaded: Shared<Loaded>,
        step: usize,
        speed: Speed,
        error: Option<String>,
    ) -> Playback {
        let step = step.min(loaded.total());
        let world = Shared::new(loaded.timeline.world_after(step));
        Playback { loaded, step, world, playing: false, speed, selected: None, error }
    }

    /// The step last applied (the one the page explains), if any.
    pub fn current(&self) -> Option<&Step> {
        self.step.checked_sub(1).and_then(|i| self.loaded.step(i))
    }

    /// Virtual time from now to the next step, if there is one.
    pub fn next_gap(&self) -> Option<Duration> {
        let next = self.loaded.step(self.step)?;
        Some(next.at.since(self.world.now()))
    }

    /// The client that acts in the current step, if a client does.
    pub fn acting_client(&self) -> Option<usize> {
        match self.current()?.node {
            Node::Client(i) => Some(usize::from(i)),
            Node::Primary | Node::Secondary | Node::Operator => None,
        }
    }

    /// The packet the inspector shows: the chosen one, else the current step's first.
    pub fn inspected(&self) -> Option<PacketRef> {
        self.selected.or_else(|| {
            let index = self.step.checked_sub(1)?;
            let step = self.loaded.step(index)?;
            let mut packets = packets_of(index, step);
            let first_sent = packets.iter().position(|(r, _)| matches!(r.slot, Slot::Sent(_)));
            let pick = first_sent.unwrap_or(0);
            (pick < packets.len()).then(|| packets.swap_remove(pick).0)
        })
    }

    fn at(&self, step: usize) -> Playback {
        let step = step.min(self.loaded.total());
        let world = if step == self.step {
            self.world.clone()
        } else if step == self.step + 1 {
            // One step on from the world shown is the same world the timeline would
            // rebuild from its checkpoint, without replaying up to 255 steps first.
            let mut next = (*self.world).clone();
            next.step();
            Shared::new(next)
        } else {
            Shared::new(self.loaded.timeline.world_after(step))
        };
        Playback { step, world, selected: None, ..self.clone() }
    }
}

/// Decodes a fragment into a loaded scenario and step, falling back to the default.
fn resolve_fragment(fragment: &str) -> (Loaded, usize, Option<String>) {
    let fragment = fragment.trim().trim_start_matches('#');
    if fragment.is_empty() {
        return (Loaded::default_scenario(), 0, None);
    }
    let fallback = |message: String| {
        let text = format!(
            "This link could not be opened: {message}. The default scenario is shown instead."
        );
        (Loaded::default_scenario(), 0, Some(text))
    };
    // A readable scenario with a damaged step still opens, at its start.
    let (decoded, mut notice) = match share::decode(fragment) {
        Err(share::ShareError::BadStep(bad)) => {
            let head = fragment.rsplit_once('.').map_or(fragment, |(head, _)| head);
            let text = format!(
                "The step '{bad}' in this link is not a number, so the scenario opens at its \
                 start."
            );
            (share::decode(&format!("{head}.0")), Some(text))
        }
        other => (other, None),
    };
    match decoded {
        Ok((scenario, step)) => match Loaded::new(scenario) {
            Ok(loaded) => {
                let total = loaded.total();
                if step > total && notice.is_none() {
                    notice = Some(format!(
                        "This link asks for step {step}, but the run has {total} steps; it opens \
                         at the last."
                    ));
                }
                (loaded, step.min(total), notice)
            }
            Err(e) => fallback(format!("the scenario in the link is invalid: {e}")),
        },
        Err(e) => fallback(e.to_string()),
    }
}

/// Every change the page can make.
#[derive(Clone, Debug)]
pub enum Action {
    /// Show the state after this many steps.
    Goto(usize),
    /// Apply one more step.
    Forward,
    /// Undo the last step.
    Back,
    /// Back to the start.
    Start,
    /// To the end of the run.
    End,
    /// Play or pause (play from the start when at the end).
    TogglePlay,
    /// One playback tick: the next step, or stop at the end.
    Tick,
    /// Change the speed.
    SetSpeed(Speed),
    /// Open a built-in scenario.
    Pick(String),
    /// Open a URL fragment (the address bar changed).
    Open(String),
    /// Show a scenario loaded elsewhere (an imported dhcpd.conf) from its start.
    Load(Shared<Loaded>),
    /// Report a problem in the error banner, keeping everything else.
    Report(String),
    /// Show a packet in the inspector, jumping to its step.
    Inspect(PacketRef),
    /// Hide the error banner.
    DismissError,
    /// Add an operator event (a scenario action such as `cut-link`) just after
    /// the step shown, run again, and show the event's step.
    Inject(String),
}

impl Reducible for Playback {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let total = self.loaded.total();
        let next = match action {
            Action::Goto(n) => Playback { playing: false, ..self.at(n) },
            Action::Forward => Playback { playing: false, ..self.at(self.step + 1) },
            Action::Back => Playback { playing: false, ..self.at(self.step.saturating_sub(1)) },
            Action::Start => Playback { playing: false, ..self.at(0) },
            Action::End => Playback { playing: false, ..self.at(total) },
            Action::TogglePlay => toggle_play(&self),
            Action::Tick => tick(&self),
            Action::SetSpeed(speed) => Playback { speed, ..(*self).clone() },
            Action::Pick(name) => pick(&self, &name),
            Action::Open(fragment) => {
                let (loaded, step, error) = resolve_fragment(&fragment);
                Playback::show(loaded, step, self.speed, error)
            }
            Action::Load(loaded) => Playback::show_shared(loaded, 0, self.speed, None),
            Action::Report(message) => Playback { error: Some(message), ..(*self).clone() },
            Action::Inspect(r) => {
                Playback { playing: false, selected: Some(r), ..self.at(r.step + 1) }
            }
            Action::DismissError => Playback { error: None, ..(*self).clone() },
            Action::Inject(action) => inject(&self, &action),
        };
        Rc::new(next)
    }
}

fn toggle_play(state: &Playback) -> Playback {
    // A run without steps has nothing to play.
    if state.playing || state.loaded.total() == 0 {
        return Playback { playing: false, ..state.clone() };
    }
    let from = if state.step >= state.loaded.total() { state.at(0) } else { state.clone() };
    Playback { playing: true, ..from }
}

fn tick(state: &Playback) -> Playback {
    if !state.playing {
        return state.clone();
    }
    let next = state.at(state.step + 1);
    let playing = next.step < next.loaded.total();
    Playback { playing, ..next }
}

/// Adds `action` one millisecond after the step shown and shows its step.
/// The event becomes part of the scenario, so the share link carries it.
fn inject(state: &Playback, action: &str) -> Playback {
    let mut scenario = state.loaded.scenario.clone();
    let at = state.world.now().plus(Duration(1));
    let spec = TimeSpec::Text(at.clock_millis());
    scenario.events.push(EventSpec { at: spec, client: None, action: action.to_string() });
    // An end before the new event moves: the run goes on five minutes more,
    // and the banner says so.
    let mut notice = None;
    if at > state.loaded.config.end {
        let end = at.plus(Duration::from_secs(300)).clock_millis();
        notice = Some(format!(
            "The run ended at {}; to fit the new event it now ends at {end}.",
            state.loaded.config.end.clock_millis()
        ));
        scenario.end = Some(TimeSpec::Text(end));
    }
    let loaded = match Loaded::new(scenario) {
        Ok(loaded) => loaded,
        Err(e) => return Playback { error: Some(format!("{action}: {e}")), ..state.clone() },
    };
    // Everything up to the step shown happens as before; the new event follows.
    let steps = loaded.timeline.steps();
    let found =
        steps.iter().enumerate().skip(state.step).find(|(_, s)| {
            s.at == at && matches!(&s.cause, Cause::Script(a) if a.name() == action)
        });
    let step = found.map(|(i, _)| i + 1).unwrap_or(state.step);
    Playback::show(loaded, step, state.speed, notice)
}

fn pick(state: &Playback, name: &str) -> Playback {
    match Loaded::builtin(name) {
        Ok(loaded) => Playback::show(loaded, 0, state.speed, None),
        Err(e) => Playback { error: Some(e), ..state.clone() },
    }
}
