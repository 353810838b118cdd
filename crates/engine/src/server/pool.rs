//! Pool balancing between FREE and BACKUP (reference notes §7).
//!
//! ISC balancing is symmetric: the primary gives surplus FREE leases to the
//! secondary as BACKUP, the secondary gives surplus BACKUP leases back as
//! FREE. A run first gives away leases whose last client hashes to the peer
//! (MAC affinity), then any lease, never-used ones first; a small surplus of
//! used leases (up to `max-lease-ownership` percent of the pool) is left
//! alone. Runs happen on entering NORMAL, on a POOLREQ, and from the
//! balancing timer, which is scheduled from the age of the oldest free
//! leases, capped by `max-balance` and no sooner than `min-balance` after the
//! last run. A timer run that finds this server badly short asks the peer
//! with a POOLREQ.
//!
//! Left out: the timer's random 0–4 s spread (the model has no reason to
//! draw a random number there, and it would shift every later random choice).

use crate::balance::bucket;
use crate::failover::FailoverState;
use crate::lease::BindingState;
use crate::packet::{Control, FailoverMessage, PoolResponse, Role};
use crate::sim::{Ctx, ServerTimer};
use crate::time::Time;
use crate::trace::{AckFlushReason, Effect, Why};

use super::Server;

/// Rounds `total × percent / 100` as dhcpd does (+50, then integer division).
fn share(total: u64, percent: u64) -> i64 {
    ((total * percent + 50) / 100) as i64
}

impl Server {
    /// One balancing run; returns how many leases it gave away.
    pub(super) fn balance(&mut self, from_timer: bool, ctx: &mut Ctx) -> u32 {
        if self.state != FailoverState::Normal {
            return 0;
        }
        let own = self.role.own_free_state();
        let peer_state = self.role.peer().own_free_state();
        let free = self.count(BindingState::Free) as i64;
        let backup = self.count(BindingState::Backup) as i64;
        let total = (free + backup) as u64;
        let mut lts = match self.role {
            Role::Primary => (free - backup) / 2,
            Role::Secondary => (backup - free) / 2,
        };
        let initial = lts;
        let thresh = share(total, ctx.cfg.max_lease_misbalance);
        let hold = share(total, ctx.cfg.max_lease_ownership);
        let panic = if thresh == 0 { -1 } else { -2 * thresh };
        let now = ctx.clock();
        self.last_balance = now;
        // My free list, oldest first (never-used leases lead).
        let mut list: Vec<usize> = (0..self.leases.len())
            .filter(|&i| self.leases[i].binding == own && self.leases[i].ends <= now)
            .collect();
        list.sort_by_key(|&i| {
            let l = &self.leases[i];
            (l.ends, std::cmp::Reverse(l.queue_rank))
        });
        let mut moved: Vec<usize> = Vec::new();
        // Pass 1: leases whose last client belongs to the peer.
        let mut pass_one_done = true;
        for &i in &list {
            if lts <= -hold {
                pass_one_done = false;
                break;
            }
            let Some(key) = self.leases[i].hash_key() else { continue };
            let primary_serves = ctx.cfg.hba.primary_serves(bucket(&key));
            if primary_serves != (self.role == Role::Primary) {
                moved.push(i);
                lts -= 1;
            }
        }
        // Pass 2: any lease, never-used ones shared exactly, used ones down to `hold`.
        if pass_one_done && lts > -hold {
            for &i in &list {
                if moved.contains(&i) {
                    continue;
                }
                let limit = if self.leases[i].ends == 0 { 0 } else { hold };
                if lts <= limit {
                    break;
                }
                moved.push(i);
                lts -= 1;
            }
        }
        for &i in &moved {
            let rank = self.bump_rank();
            let lease = &mut self.leases[i];
            lease.binding = peer_state;
            lease.next = peer_state;
            lease.tstp = now;
            lease.starts = now;
            lease.atsfp = 0;
            lease.queue_rank = rank;
            let address = lease.address;
            let why = Why::Rebalanced { to_peer: peer_state };
            ctx.effect(Effect::Lease {
                server: self.role,
                address,
                from: own,
                to: peer_state,
                why,
            });
            self.queue_update(i);
        }
        let count = moved.len() as u32;
        let imbalanced = lts > thresh;
        let why = Why::BalanceRun {
            free: free as u32,
            backup: backup as u32,
            to_send: initial as i32,
            moved: count,
            imbalanced,
        };
        ctx.effect(Effect::Note { why });
        self.send_updates(ctx);
        if from_timer && initial < panic && self.updates_flow() {
            let c = Control { xid: self.take_xid(), time: ctx.header_clock(self.role) };
            self.flush_acks(AckFlushReason::BeforeOwnMessage, ctx);
            self.put(FailoverMessage::PoolReq(c), Why::SendPoolReq, ctx);
        }
        self.schedule_balance(ctx);
        count
    }

    /// POOLREQ: run balancing, answer with the count, then send the updates.
    pub(super) fn on_pool_request(&mut self, xid: u32, ctx: &mut Ctx) {
        ctx.effect(Effect::Note { why: Why::PoolReqReceived });
        // Hold the updates back until the answer is out.
        let flowing = self.updates_flow();
        self.peer_heard = false;
        let count = self.balance(false, ctx);
        self.peer_heard = flowing;
        let resp = PoolResponse { xid, time: ctx.header_clock(self.role), transferred: count };
        self.flush_acks(AckFlushReason::BeforeOwnMessage, ctx);
        self.put(FailoverMessage::PoolResp(resp), Why::SendPoolResp { count }, ctx);
        self.send_updates(ctx);
    }

    /// The balancing timer (reference §7.3): only moves the due time earlier.
    pub(super) fn schedule_balance(&mut self, ctx: &mut Ctx) {
        if self.state != FailoverState::Normal {
            return;
        }
        let now = ctx.clock();
        // Age of the oldest lease of a state; never-used leases count as very
        // old, and a state with no lease at all gives no estimate.
        let age = |state: BindingState| {
            self.leases
                .iter()
                .filter(|l| l.binding == state)
                .map(|l| if l.ends == 0 { u64::MAX / 4 } else { now.saturating_sub(l.ends) })
                .max()
                .unwrap_or(u64::MAX / 4)
        };
        let pct = ctx.cfg.max_lease_misbalance;
        let estimate = |a: u64| a.saturating_mul(pct).saturating_add(50) / 100;
        let mut e1 = estimate(age(BindingState::Free));
        let mut e2 = estimate(age(BindingState::Backup));
        match self.role {
            Role::Primary => e1 = e1.saturating_mul(2),
            Role::Secondary => e2 = e2.saturating_mul(2),
        }
        let wait = e1.min(e2).min(ctx.cfg.max_balance);
        let due = (now + wait).max(self.last_balance + ctx.cfg.min_balance);
        if self.balance_due.is_some_and(|d| d <= due) {
            return;
        }
        self.balance_due = Some(due);
        self.balance_generation += 1;
        let timer = ServerTimer::Balance { generation: self.balance_generation };
        self.arm(ctx, Time::from_secs(due), timer);
    }
}
