//! `cargo xtask gen`, `check` and `init` for this repository: the same
//! few lines any project that prefers the cargo-xtask convention writes
//! (the allocator is optional; see the `eventcat` binary's).

fn main() -> std::process::ExitCode {
    eventcat::xtask()
}

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
