//! Arbitrary bytes as `plan.json` (Plan), through the whole `check` pipeline.
#![no_main]

mod common;

use fleet_iam_core::SourceKind;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| common::run(bytes, "plan.json", SourceKind::Plan));
