//! `eventcat init`: a first catalog for a repository, from nothing, from the
//! event names its code already uses ([`scan`]) or from recorded wire
//! messages ([`samples`]).

pub mod samples;
pub mod scan;
