//! Arbitrary text into every envelope's `from_json` of `generated/rust`
//! (generated from `schema/catalog.yaml`): `BoardEnvelope`. See the crate docs
//! (`src/lib.rs`) for what is asserted.
#![no_main]

use std::sync::LazyLock;

use eventcat_fuzz::{Target, wire, write_seeds_if_asked};
use libfuzzer_sys::fuzz_target;

static TARGET: LazyLock<Target> = LazyLock::new(|| Target::new("schema/catalog.yaml", None));

fuzz_target!(init: write_seeds_if_asked(&TARGET, "envelope_board"), |data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    TARGET.check(&wire!(board_events::BoardEnvelope, ServerToClient), text);
});
