//! Arbitrary text into every envelope's `from_json` of `examples/seed-001/generated/dashboard/rust`
//! (generated from `examples/seed-001/schema/dashboard.yaml`): `DashboardEnvelope`. See the crate docs
//! (`src/lib.rs`) for what is asserted.
#![no_main]

use std::sync::LazyLock;

use eventcat_fuzz::{Target, wire, write_seeds_if_asked};
use libfuzzer_sys::fuzz_target;

static TARGET: LazyLock<Target> = LazyLock::new(|| {
    Target::new(
        "examples/seed-001/schema/dashboard.yaml",
        Some("examples/seed-001/messages/dashboard"),
    )
});

fuzz_target!(init: write_seeds_if_asked(&TARGET, "envelope_seed001_dashboard"), |data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    TARGET.check(&wire!(seed001_dashboard_events::DashboardEnvelope, ServerToClient), text);
});
