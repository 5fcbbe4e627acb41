//! Catalogs made from what teams already publish: a folder of event JSON
//! Schemas ([`json_schema`]) or an AsyncAPI document ([`asyncapi`]).

pub mod asyncapi;
pub mod json_schema;

pub use json_schema::{Imported, Options, json_schema};
