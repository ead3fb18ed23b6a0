//! The rules, as pure functions of facts: which targets an event selects ([`select`]), what the
//! checks on a commit say ([`checks`]), the gates a commit passes on its way to a deployment
//! ([`decide`]), whether files a target names changed ([`paths`]), which commit a promotion
//! deploys ([`pipeline`]), whether a freeze window holds a target ([`freeze`]), whether an
//! environment is free for one more ([`serialize`]), what a deployment names with `auto_merge`
//! ([`merge`]), and who may deploy by hand ([`permission`]). The deliver flow gathers the facts;
//! these decide.

pub mod checks;
pub mod decide;
pub mod decision;
pub mod freeze;
pub mod merge;
pub mod permission;
pub mod pipeline;
pub mod paths;
pub mod select;
pub mod serialize;

pub use decision::Decision;
