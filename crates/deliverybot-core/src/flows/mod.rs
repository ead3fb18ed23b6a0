//! The modes of the action, each a [`Flow`](crate::flow::Flow): apply the rules to an event
//! (`deliver`), run a pull request command (`commands`, which runs `deliver` for `/deploy`), retire
//! a closed pull request's deployments (`retire`), report a deployment's status (`status`), mark stuck deployments `error` (`stuck`); and the
//! config file they start from (`config_file`).

pub mod commands;
pub mod config_file;
pub mod deliver;
pub mod retire;
pub mod status;
pub mod stuck;
