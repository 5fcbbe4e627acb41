//! The support module of the generated crate: catalog-independent code
//! (metadata and error types, `double_option`, the envelope's reader and
//! writer) written once by hand in `codegen/support/support.rs` and copied
//! word for word into every generated crate, inside its `lib.rs`. Why a
//! copy and not a runtime crate: see that file's module docs.
//!
//! The module sits in `lib.rs` rather than a file of its own so that a
//! generated crate keeps its set of files (`Cargo.toml`, `src/lib.rs`, the
//! channel module); `lib.rs` carries the generated-file header, so `gen`
//! rewrites the copy and `check` compares it like any output.

// The support module compiled here as in a generated crate, whose root
// provides `CHANNEL`, with its unit tests beside it: `cargo test` runs them
// without a second copy of the file.
#[cfg(test)]
#[path = "../../support/support.rs"]
mod support;

#[cfg(test)]
#[path = "../../support/tests.rs"]
mod support_tests;

#[cfg(test)]
const CHANNEL: &str = "board";
