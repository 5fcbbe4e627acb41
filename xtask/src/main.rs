//! `cargo xtask gen`, `check` and `init` for this repository: the same
//! few lines any project that prefers the cargo-xtask convention writes.

fn main() -> std::process::ExitCode {
    eventcat::xtask()
}
