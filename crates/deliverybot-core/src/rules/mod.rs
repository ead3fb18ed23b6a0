//! The rules, as pure functions of facts: which targets an event selects ([`select`]), what the
//! checks on a commit say ([`checks`]), the gates a commit passes on its way to a deployment
//! ([`decide`]), whether a freeze window holds a target ([`freeze`]), and what a deployment names with `auto_merge` ([`merge`]). The deliver flow
//! gathers the facts; these decide.

pub mod checks;
pub mod decide;
pub mod freeze;
pub mod merge;
pub mod select;
