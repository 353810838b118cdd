//! Lease records and binding states, as ISC dhcpd keeps them under failover.
//!
//! Follows the reference notes §1: the seven binding states with their
//! draft-12 §12.3 wire values, and the per-lease fields that failover needs
//! (`starts`, `ends`, `tstp`, `tsfp`, `atsfp`, `cltt`, next and rewind state).
//! Times are whole seconds since the scenario start, as dhcpd's `cur_time`;
//! zero means "never set", as it does in dhcpd.

use std::fmt;
use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};

use crate::addr::Mac;

/// A lease's binding state (draft-12 §12.3 values in the comments).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BindingState {
    /// 1: available, owned by the primary.
    Free,
    /// 2: bound to a client.
    Active,
    /// 3: ran out; waits for the peer to agree.
    Expired,
    /// 4: released by its client; waits for the peer to agree.
    Released,
    /// 5: unusable (declined or answered a ping) until `ends`.
    Abandoned,
    /// 6: freed by an operator; waits for the peer to agree.
    Reset,
    /// 7: available, owned by the secondary.
    Backup,
}

impl BindingState {
    /// The seven states in draft-12 order (wire values 1 to 7).
    pub const ALL: [BindingState; 7] = [
        BindingState::Free,
        BindingState::Active,
        BindingState::Expired,
        BindingState::Released,
        BindingState::Abandoned,
        BindingState::Reset,
        BindingState::Backup,
    ];

    /// The name dhcpd writes in `dhcpd.leases` and logs.
    pub fn name(self) -> &'static str {
        match self {
            BindingState::Free => "free",
            BindingState::Active => "active",
            BindingState::Expired => "expired",
            BindingState::Released => "released",
            BindingState::Abandoned => "abandoned",
            BindingState::Reset => "reset",
            BindingState::Backup => "backup",
        }
    }

    /// The draft-12 binding-status value.
    pub fn wire_value(self) -> u8 {
        match self {
            BindingState::Free => 1,
            BindingState::Active => 2,
            BindingState::Expired => 3,
            BindingState::Released => 4,
            BindingState::Abandoned => 5,
            BindingState::Reset => 6,
            BindingState::Backup => 7,
        }
    }

    /// EXPIRED, RELEASED and RESET: states that wait for the peer's agreement.
    pub fn is_transitional(self) -> bool {
        matches!(self, BindingState::Expired | BindingState::Released | BindingState::Reset)
    }
}

impl fmt::Display for BindingState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One address as one server sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lease {
    /// The leased address.
    pub address: Ipv4Addr,
    /// Current binding state.
    pub binding: BindingState,
    /// State the lease moves to when its timer fires or its update is acked.
    pub next: BindingState,
    /// The state the peer is believed to hold (ISC's "rewind binding state").
    pub rewind: BindingState,
    /// Lease start (seconds).
    pub starts: u64,
    /// Lease end; for FREE/BACKUP the old end, which orders the free lists.
    pub ends: u64,
    /// Time sent to partner: the potential expiration last put in a BNDUPD.
    pub tstp: u64,
    /// Time sent from partner: the potential expiration the peer acknowledged.
    pub tsfp: u64,
    /// Actual tsfp: set by an ack, cleared by every local change for the peer.
    pub atsfp: u64,
    /// Client last transaction time.
    pub cltt: u64,
    /// Hardware address of the last client (kept on FREE/BACKUP for affinity).
    pub hardware: Option<Mac>,
    /// Client identifier of the last client, if it sent one.
    pub uid: Option<Vec<u8>>,
    /// Xid of the BNDUPD for this lease still waiting for its BNDACK.
    pub pending_xid: Option<u32>,
    /// The state carried by that BNDUPD.
    pub desired: BindingState,
    /// Orders leases that share `ends` in the free lists (larger goes first).
    pub queue_rank: u64,
}

impl Lease {
    /// A never-used lease in `state`.
    pub fn virgin(address: Ipv4Addr, state: BindingState) -> Lease {
        Lease {
            address,
            binding: state,
            next: state,
            rewind: state,
            starts: 0,
            ends: 0,
            tstp: 0,
            tsfp: 0,
            atsfp: 0,
            cltt: 0,
            hardware: None,
            uid: None,
            pending_xid: None,
            desired: state,
            queue_rank: 0,
        }
    }

    /// The bytes the load-balancing hash uses for this lease's last client:
    /// the stored uid, else the hardware address without its type byte.
    pub fn hash_key(&self) -> Option<Vec<u8>> {
        match (&self.uid, &self.hardware) {
            (Some(uid), _) => Some(uid.clone()),
            (None, Some(mac)) => Some(mac.0.to_vec()),
            (None, None) => None,
        }
    }
}
