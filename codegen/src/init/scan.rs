//! The event names a repository already uses, found in its code.
