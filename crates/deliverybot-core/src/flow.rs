//! What every mode of the action is: a flow, fed the reply to each request it asked for.

use crate::log::Log;
use crate::protocol::{Outcome, Reply, Request};

/// What a mode of the action does, one request at a time. The engine asks `next`, performs nothing
/// itself, and hands the reply back to `absorb`; a flow never sees the network.
pub(crate) trait Flow {
    /// Takes in the reply to the request last returned by `next`.
    fn absorb(&mut self, reply: Reply, log: &mut Log);
    /// The next request to perform, or the outcome once nothing is left to do.
    fn next(&mut self, log: &mut Log) -> Result<Request, Outcome>;
    /// A time zone whose rules the flow needs before it goes on (a freeze window's), if any; asked
    /// before `next`.
    fn zone_wanted(&mut self) -> Option<String> {
        None
    }
    /// The host's answer for that zone: its TZif bytes, or `None` when it has none.
    fn take_zone(&mut self, _name: String, _tzif: Option<Vec<u8>>) {}
}
