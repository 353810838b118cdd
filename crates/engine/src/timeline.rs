//! A whole run, kept for time travel.
//!
//! [`Timeline::run`] steps a world from t = 0 to the scenario's end, keeps
//! every [`Step`], and keeps copies of the world at regular intervals.
//! [`Timeline::world_after`] rebuilds the world as it was after any step by
//! cloning the nearest earlier copy and replaying from there, so seeking is
//! exact everywhere.
//!
//! Memory is bounded twice: a run stops at [`MAX_STEPS`] steps (and says so
//! with [`Timeline::truncated`]), and the copies of the world together stay
//! within [`CHECKPOINT_BUDGET`] bytes: the interval starts at
//! [`CHECKPOINT_EVERY`] steps and doubles (dropping every other copy) whenever
//! more copies would not fit, so a big pool costs seek time, not memory.

use std::sync::Arc;

use crate::scenario::Config;
use crate::sim::World;
use crate::time::Time;
use crate::trace::Step;

/// Steps between two stored copies of the world, at first.
pub const CHECKPOINT_EVERY: usize = 256;
/// The most steps one run may take; a scenario that needs more is cut there.
pub const MAX_STEPS: usize = 200_000;
/// About how many bytes the stored copies of the world may take together.
pub const CHECKPOINT_BUDGET: usize = 48 * 1024 * 1024;

/// A finished run.
#[derive(Clone, Debug)]
pub struct Timeline {
    steps: Vec<Step>,
    checkpoints: Vec<World>,
    interval: usize,
    truncated: bool,
}

impl Timeline {
    /// Runs the scenario to its end (or to [`MAX_STEPS`]).
    pub fn run(cfg: Arc<Config>) -> Timeline {
        let max_copies = (CHECKPOINT_BUDGET / world_bytes(&cfg)).max(8);
        let mut world = World::new(cfg);
        let mut t = Timeline {
            steps: Vec::new(),
            checkpoints: Vec::new(),
            interval: CHECKPOINT_EVERY,
            truncated: false,
        };
        loop {
            if t.steps.len().is_multiple_of(t.interval) {
                t.checkpoints.push(world.clone());
                if t.checkpoints.len() > max_copies {
                    t.thin();
                }
            }
            if t.steps.len() >= MAX_STEPS {
                t.truncated = world.next_event_at().is_some();
                return t;
            }
            match world.step() {
                Some(s) => t.steps.push(s),
                None => return t,
            }
        }
    }

    /// Keeps every other copy and doubles the interval between copies.
    fn thin(&mut self) {
        let mut i = 0;
        self.checkpoints.retain(|_| {
            i += 1;
            i % 2 == 1
        });
        self.interval *= 2;
    }

    /// Every step, in order.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// Whether the run stopped at [`MAX_STEPS`] before the scenario's end.
    pub fn truncated(&self) -> bool {
        self.truncated
    }

    /// Until when the run was followed: the scenario's end, or the time of the
    /// last step when the run was cut at the step limit.
    pub fn covered_until(&self) -> Time {
        match (self.truncated, self.steps.last()) {
            (true, Some(last)) => last.at,
            _ => self.config().end,
        }
    }

    /// The scenario.
    pub fn config(&self) -> &Arc<Config> {
        // The first copy is stored before the loop can return, and thinning
        // always keeps it.
        self.checkpoints[0].config()
    }

    /// The world after the first `n` steps (`n = 0`: the start; capped at the end).
    pub fn world_after(&self, n: usize) -> World {
        let n = n.min(self.steps.len());
        let k = (n / self.interval).min(self.checkpoints.len() - 1);
        let mut world = self.checkpoints[k].clone();
        for _ in k * self.interval..n {
            world.step();
        }
        world
    }

    /// How many steps happen at or before `t`.
    pub fn steps_until(&self, t: Time) -> usize {
        self.steps.partition_point(|s| s.at <= t)
    }
}

/// A rough size of one copy of the world: both servers' leases and the clients.
fn world_bytes(cfg: &Config) -> usize {
    let lease = std::mem::size_of::<crate::lease::Lease>() + 16;
    let client = std::mem::size_of::<crate::client::Client>() + 64;
    2 * cfg.pool.len() * lease + cfg.clients.len() * client + 4096
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::Snapshot;
    use crate::synthetic::busy_lan;

    /// A big pool makes copies of the world expensive: the timeline keeps
    /// fewer of them and still seeks exactly.
    #[test]
    fn big_worlds_keep_fewer_copies_and_seek_exactly() {
        let mut s = busy_lan(1000, 1);
        // The biggest pool a scenario may have.
        s.pool.range[1] = "10.20.16.9".into();
        s.end = Some(crate::scenario::TimeSpec::Seconds(600));
        s.events.retain(|e| match &e.at {
            crate::scenario::TimeSpec::Text(t) => Time::parse(t).is_ok_and(|t| t.secs() < 600),
            crate::scenario::TimeSpec::Seconds(secs) => *secs < 600,
        });
        let cfg = s.validate().unwrap();
        let t = Timeline::run(cfg.clone());
        assert!(t.checkpoints.len() <= (CHECKPOINT_BUDGET / world_bytes(&cfg)).max(8));
        assert!(t.interval > CHECKPOINT_EVERY, "interval {}", t.interval);
        let n = t.steps().len();
        for k in [t.interval - 1, t.interval, n / 3, n] {
            let mut w = World::new(cfg.clone());
            for _ in 0..k {
                w.step();
            }
            assert_eq!(Snapshot::of(&t.world_after(k)), Snapshot::of(&w), "after {k} steps");
        }
    }
}
