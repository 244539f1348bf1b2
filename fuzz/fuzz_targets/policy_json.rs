//! Arbitrary bytes as `policy.json` (Policy), through the whole `check` pipeline.
#![no_main]

mod common;

use fleet_iam_core::SourceKind;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| common::run(bytes, "policy.json", SourceKind::Policy));
