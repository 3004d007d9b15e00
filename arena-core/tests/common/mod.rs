//! What the property-test binaries share.

use proptest::prelude::ProptestConfig;

/// Proptest settings: `native` cases (or the number in the environment variable `cases_var`,
/// to run longer by hand), a handful under Miri, which runs each case thousands of times slower;
/// no failure files (the seeds are printed on failure).
pub fn proptest_config(cases_var: &str, native: u32, miri: u32) -> ProptestConfig {
    let default = if cfg!(miri) { miri } else { native };
    let cases = std::env::var(cases_var)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}
