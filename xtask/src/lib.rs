//! The generator behind `cargo xtask codegen`: parse the spec, validate and lower it into an
//! owned IR, emit the crate with `quote!` and `prettyplease`, then write or check it.
//!
//! Exposed as a library so the workspace tests can generate fixture crates and snapshots
//! in-process, through the same code path as the command.

#![forbid(unsafe_code)]

pub mod codegen;
pub mod emit;
pub mod error;
pub mod fixture_workspace;
pub mod ir;
pub mod lower;
pub mod naming;
pub mod parse;
pub mod profile;
pub mod spec;
pub mod surface;
pub mod text_bounds;
pub mod workspace;

#[cfg(test)]
mod mutation_tests;
