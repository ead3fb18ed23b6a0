//! The rules, as pure functions of facts: which targets an event selects ([`select`]), what the
//! checks on a commit say ([`checks`]), and the gates a commit passes on its way to a deployment
//! ([`decide`]). The deliver flow gathers the facts; these decide.

pub mod checks;
pub mod decide;
pub mod select;
