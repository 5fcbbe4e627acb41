//! What makes a peer's generated Rust compile like a crate that is used:
//! a caller for each payload type. A library crate compiles a generic
//! function such as `Deserialize::deserialize` only where something calls
//! it, so quicktype's types alone build no readers at all, while eventcat's
//! crate (whose `from_json` reads every payload) builds them all. The
//! callers read each payload from JSON text and write it back, as a user's
//! crate would, so `cargo build --release` of both crates compiles readers
//! and writers.

/// The payload types of quicktype's Rust: its top-level structs named
/// `…Payload` (nested types carry a further suffix), in source order.
pub fn payload_types(source: &str) -> Vec<&str> {
    source
        .lines()
        .filter_map(|line| line.strip_prefix("pub struct "))
        .filter_map(|rest| rest.strip_suffix(" {"))
        .filter(|name| name.ends_with("Payload"))
        .collect()
}

/// Rust to append to the peer's source: `round_trip(name, text)`, which
/// reads the payload type `name` from `text` and writes it back.
pub fn callers(types: &[&str]) -> String {
    let mut out = String::from(
        "\n/// Reads payload type `name` from `text` and writes it back: every\n\
         /// type's reader and writer compiled, as in a crate that uses them.\n\
         pub fn round_trip(name: &str, text: &str) -> serde_json::Result<String> {\n    \
         match name {\n",
    );
    for ty in types {
        out.push_str(&format!(
            "        \"{ty}\" => serde_json::to_string(&serde_json::from_str::<{ty}>(text)?),\n"
        ));
    }
    out.push_str("        _ => Ok(String::new()),\n    }\n}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_types_are_the_top_level_payload_structs() {
        let source = "pub type TaskId = i64;\n\
                      pub struct TaskCreatedPayload {\n    pub id: i64,\n}\n\
                      pub struct TaskCreatedPayloadOutcome {\n}\n\
                      pub enum Kind {\n}\n\
                      pub struct RunPayload {\n}\n";
        assert_eq!(payload_types(source), ["TaskCreatedPayload", "RunPayload"]);
    }

    #[test]
    fn callers_name_each_type_once() {
        let text = callers(&["APayload", "BPayload"]);
        assert_eq!(
            text.matches("serde_json::from_str::<APayload>(text)")
                .count(),
            1
        );
        assert_eq!(
            text.matches("serde_json::from_str::<BPayload>(text)")
                .count(),
            1
        );
        assert!(text.contains("_ => Ok(String::new()),"));
    }
}
