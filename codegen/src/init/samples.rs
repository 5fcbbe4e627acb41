//! Payload schemas inferred from recorded wire messages.
