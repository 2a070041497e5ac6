//! The end-to-end tests of the SDK, one test binary with a module per area (linking the SDK,
//! reqwest and wiremock once instead of once per area). Shared helpers live in the library's
//! [`workspace_tests::support`] module.
//!
//! Two end-to-end tests keep binaries of their own, because they touch process-wide state that
//! no other test may share: `e2e_process_env.rs` sets environment variables, and `e2e_logs.rs`
//! installs the `tracing` subscriber that must see every event of its run.

mod client_sharing;
mod config;
mod contract;
/// Property tests of every response decoder and error parser (proptest, bounded cases).
mod decoder_properties;
mod errors;
/// The misbehaving server of the fault-injection tests.
mod fault_server;
mod faults;
mod golden;
mod model_decoding;
mod models;
mod permissions;
mod provisioning;
mod retry_pagination;
mod send_futures;
