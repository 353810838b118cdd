//! The page's regions, one component (or a few small ones) per file.
//!
//! Components take narrow props (a shared scenario, the world shown, plain
//! values) so that Yew skips the ones whose inputs did not change; the
//! per-address and per-client pieces are components of their own for the
//! same reason.

pub mod about;
pub mod clients;
pub mod controls;
pub mod downloads;
pub mod event_log;
pub mod faults;
pub mod header;
pub mod hex_dump;
pub mod icons;
pub mod import;
pub mod inspector;
pub mod narration;
pub mod notices;
pub mod pool;
pub mod popover;
pub mod topology;
pub mod topology_nodes;
