//! Benchmarks of eventcat: deterministic synthetic catalogs ([`synth`]),
//! the ordered JSON value they are written with ([`value`]), process
//! measurement for the end-to-end `bench-report` ([`measure`]), and the
//! input of the TypeScript validation benchmark against Ajv ([`validation`]).
//!
//! The criterion benches live in `benches/` (`cargo bench -p eventcat-benches`);
//! BENCHMARKS.md at the workspace root has the results and how to reproduce them.

pub mod measure;
pub mod synth;
pub mod ts;
pub mod validation;
pub mod value;
pub mod wire;
