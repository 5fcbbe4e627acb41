//! Arbitrary text into every envelope's `from_json` of `examples/seed-003/generated/blocker/rust`
//! (generated from `examples/seed-003/schema/blocker.yaml`): `BlockerEnvelope`. See the crate docs
//! (`src/lib.rs`) for what is asserted.
#![no_main]

use std::sync::LazyLock;

use eventcat_fuzz::{Target, wire, write_seeds_if_asked};
use libfuzzer_sys::fuzz_target;

static TARGET: LazyLock<Target> = LazyLock::new(|| {
    Target::new(
        "examples/seed-003/schema/blocker.yaml",
        Some("examples/seed-003/messages/blocker"),
    )
});

fuzz_target!(init: write_seeds_if_asked(&TARGET, "envelope_seed003_blocker"), |data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    TARGET.check(&wire!(seed003_blocker_events::BlockerEnvelope, ServerToClient), text);
});
