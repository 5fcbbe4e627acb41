//! The `eventcat` binary: `eventcat init`, `eventcat gen`, `eventcat check`.

fn main() -> std::process::ExitCode {
    eventcat::main()
}
