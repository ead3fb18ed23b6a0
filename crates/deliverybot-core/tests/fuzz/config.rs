//! The `config` fuzz target.

use super::*;

/// `Config::parse` on mutated real configs, generated YAML and arbitrary text.
#[test]
pub(crate) fn config() {
    harness::fuzz(
        "config",
        || {
            prop_oneof![
                6 => mutate::bytes(corpus::configs()),
                3 => gen::config(),
                1 => gen::alias_chain(),
                1 => any::<String>(),
            ]
            .prop_map(Text)
        },
        |Text(text)| Ok(if Config::parse(text).is_ok() { "parsed" } else { "refused" }.to_string()),
    );
}

/// `Config::parse` on lines as long as the size limit allows (a flow list of tens of thousands of
/// items, a long scalar, many keys): reading must stay linear, which the harness's bound of a
/// second per input checks (a position counted from the start of the line for each item would make
/// a long flow list quadratic).
#[test]
pub(crate) fn long_lines() {
    harness::fuzz("long_lines", || gen::long_lines().prop_map(Text), |Text(text)| {
        Ok(if Config::parse(text).is_ok() { "parsed" } else { "refused" }.to_string())
    });
}
