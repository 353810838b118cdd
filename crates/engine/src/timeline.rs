//! A whole run, kept for time travel.
//!
//! [`Timeline::run`] steps a world from t = 0 to the scenario's end, keeps
//! every [`Step`], and keeps a copy of the world every [`CHECKPOINT_EVERY`]
//! steps. [`Timeline::world_after`] rebuilds the world as it was after any
//! step by cloning the nearest earlier checkpoint and replaying at most
//! `CHECKPOINT_EVERY - 1` steps, so seeking is exact and cheap anywhere.

use std::sync::Arc;

use crate::scenario::Config;
use crate::sim::World;
use crate::time::Time;
use crate::trace::Step;

/// Steps between two stored copies of the world.
pub const CHECKPOINT_EVERY: usize = 256;
/// The most steps one run may take; a scenario that needs more is cut there.
pub const MAX_STEPS: usize = 2_000_000;

/// A finished run.
#[derive(Clone, Debug)]
pub struct Timeline {
    steps: Vec<Step>,
    checkpoints: Vec<World>,
    truncated: bool,
}

impl Timeline {
    /// Runs the scenario to its end (or to [`MAX_STEPS`]).
    pub fn run(cfg: Arc<Config>) -> Timeline {
        let mut world = World::new(cfg);
        let mut steps = Vec::new();
        let mut checkpoints = Vec::new();
        loop {
            if steps.len() % CHECKPOINT_EVERY == 0 {
                checkpoints.push(world.clone());
            }
            if steps.len() >= MAX_STEPS {
                return Timeline { steps, checkpoints, truncated: world.next_event_at().is_some() };
            }
            match world.step() {
                Some(s) => steps.push(s),
                None => return Timeline { steps, checkpoints, truncated: false },
            }
        }
    }

    /// Every step, in order.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// Whether the run stopped at [`MAX_STEPS`] before the scenario's end.
    pub fn truncated(&self) -> bool {
        self.truncated
    }

    /// The scenario.
    pub fn config(&self) -> &Arc<Config> {
        // The first checkpoint is stored before the loop can return.
        self.checkpoints[0].config()
    }

    /// The world after the first `n` steps (`n = 0`: the start; capped at the end).
    pub fn world_after(&self, n: usize) -> World {
        let n = n.min(self.steps.len());
        let k = (n / CHECKPOINT_EVERY).min(self.checkpoints.len() - 1);
        let mut world = self.checkpoints[k].clone();
        for _ in k * CHECKPOINT_EVERY..n {
            world.step();
        }
        world
    }

    /// How many steps happen at or before `t`.
    pub fn steps_until(&self, t: Time) -> usize {
        self.steps.partition_point(|s| s.at <= t)
    }
}
