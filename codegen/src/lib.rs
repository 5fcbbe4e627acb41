//! eventcat: one event catalog in, Rust, TypeScript and docs out.

pub mod diagnostic;
pub mod load;
pub mod node;
pub mod raw;
pub mod source;
