//! Benchmarks of eventcat: deterministic synthetic catalogs ([`synth`]),
//! the ordered JSON value they are written with ([`value`]), process
//! measurement for the end-to-end `bench-report` ([`measure`]), and the
//! input of the TypeScript validation benchmark against Ajv ([`validation`]),
//! and callers that make a peer's Rust compile like a used crate ([`peer_crate`]).
//!
//! The criterion benches live in `benches/` (`cargo bench -p eventcat-benches`);
//! BENCHMARKS.md at the workspace root has the results and how to reproduce them.

pub mod measure;
pub mod peer_crate;
pub mod synth;
pub mod ts;
pub mod validation;
pub mod value;
pub mod wire;
