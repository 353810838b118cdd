//! The JSON form of one trace step, as `dhcpfo run --format json` prints it.
//!
//! One object per step: `index` (from 0), `step` (from 1, as the page counts),
//! `time` (`HH:MM:SS.mmm`), `at_ms`, `kind` (`script`, `receive`, `timer`),
//! `node`, `summary`, `why` (every reason in one paragraph), `whys` (one
//! sentence per reason) and `effects`, each a tagged object: `sent` (with the
//! whole packet), `lease`, `client` or `note`. Nodes are named as the scenario names them.

use serde::Serialize;

use dhcpfo_engine::packet::{Body, Destination};
use dhcpfo_engine::trace::{node_name, Effect};
use dhcpfo_engine::{Config, Packet, Step};

/// One step, ready for `serde_json`.
#[derive(Debug, Serialize)]
pub struct StepJson<'a> {
    /// Position in the trace, from 0.
    pub index: u32,
    /// The step's number as the page, `#N` lines and share links count: `index + 1`.
    pub step: u32,
    /// Virtual time, `HH:MM:SS.mmm`.
    pub time: String,
    /// Virtual time in milliseconds since the start.
    pub at_ms: u64,
    /// `script`, `receive` or `timer`.
    pub kind: &'static str,
    /// Who acted.
    pub node: String,
    /// One line saying what happened.
    pub summary: String,
    /// The reasons as one paragraph.
    pub why: String,
    /// The reasons, one sentence each.
    pub whys: Vec<String>,
    /// What followed, in order.
    pub effects: Vec<EffectJson<'a>>,
}

/// One effect of a step.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum EffectJson<'a> {
    /// A packet left the acting node.
    Sent {
        /// The packet.
        packet: PacketJson<'a>,
        /// Why it was sent.
        why: String,
    },
    /// A server's view of an address changed (or was refreshed).
    Lease {
        /// `primary` or `secondary`.
        server: &'static str,
        /// The address.
        address: String,
        /// Binding state before.
        from: &'static str,
        /// Binding state after.
        to: &'static str,
        /// Why.
        why: String,
    },
    /// A client changed state.
    Client {
        /// The client's name.
        client: String,
        /// State before.
        from: &'static str,
        /// State after.
        to: &'static str,
        /// Why.
        why: String,
    },
    /// A server's failover state changed.
    ServerState {
        /// `primary` or `secondary`.
        server: &'static str,
        /// State before.
        from: &'static str,
        /// State after.
        to: &'static str,
        /// Why.
        why: String,
    },
    /// A decision that changed nothing visible.
    Note {
        /// Why.
        why: String,
    },
}

/// A packet on the wire.
#[derive(Debug, Serialize)]
pub struct PacketJson<'a> {
    /// Sequence number, unique in a run.
    pub id: u32,
    /// `DHCPOFFER`, `BNDUPD` and so on.
    pub name: &'static str,
    /// Sender's name.
    pub from: String,
    /// Receiver's name, or `broadcast`.
    pub to: String,
    /// When it left, `HH:MM:SS.mmm`.
    pub sent_at: String,
    /// When it arrives, `HH:MM:SS.mmm`.
    pub arrives_at: String,
    /// Every field of the message.
    pub body: &'a Body,
}

impl<'a> StepJson<'a> {
    /// The JSON view of `step`.
    pub fn of(step: &'a Step, cfg: &Config) -> StepJson<'a> {
        let actor = node_name(cfg, step.node);
        StepJson {
            index: step.index,
            step: step.index + 1,
            time: step.at.clock_millis(),
            at_ms: step.at.millis(),
            kind: step.kind(),
            node: actor.clone(),
            summary: step.summary(cfg),
            why: step.why(cfg),
            whys: step.whys(cfg),
            effects: step.effects.iter().map(|e| EffectJson::of(e, step, cfg)).collect(),
        }
    }
}

impl<'a> EffectJson<'a> {
    /// The JSON view of one effect of `step`.
    fn of(effect: &'a Effect, step: &Step, cfg: &Config) -> EffectJson<'a> {
        let why = step.effect_sentence(cfg, effect);
        match effect {
            Effect::Sent { packet, .. } => {
                EffectJson::Sent { packet: PacketJson::of(packet, cfg), why }
            }
            Effect::Lease { server, address, from, to, .. } => EffectJson::Lease {
                server: server.name(),
                address: address.to_string(),
                from: from.name(),
                to: to.name(),
                why,
            },
            Effect::Client { client, from, to, .. } => EffectJson::Client {
                client: node_name(cfg, dhcpfo_engine::Node::Client(*client)),
                from: from.name(),
                to: to.name(),
                why,
            },
            Effect::ServerState { server, from, to, .. } => EffectJson::ServerState {
                server: server.name(),
                from: from.name(),
                to: to.name(),
                why,
            },
            Effect::Note { .. } => EffectJson::Note { why },
        }
    }
}

impl<'a> PacketJson<'a> {
    /// The JSON view of a packet.
    fn of(packet: &'a Packet, cfg: &Config) -> PacketJson<'a> {
        let to = match packet.to {
            Destination::Unicast(node) => node_name(cfg, node),
            Destination::Broadcast => "broadcast".into(),
        };
        PacketJson {
            id: packet.id,
            name: packet.name(),
            from: node_name(cfg, packet.from),
            to,
            sent_at: packet.sent_at.clock_millis(),
            arrives_at: packet.arrives_at.clock_millis(),
            body: &packet.body,
        }
    }
}
