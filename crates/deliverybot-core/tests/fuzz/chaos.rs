//! A GitHub that misbehaves: the replies every run-driving target twists at random.

use super::*;

/// How one reply departs from what the canned GitHub would answer.
#[derive(Clone, Debug)]
pub(crate) enum Twist {
    Keep,
    /// The same body under another status.
    Status(u16),
    /// The body cut short.
    Cut(Index),
    /// Another body: arbitrary text, or a JSON value of the wrong shape.
    Body(String),
    /// A `link` header says the list goes on (the canned GitHub answers the next page as it has it).
    NextPage,
    /// A primary rate limit, lifting at this Unix time.
    RateLimited(u64),
    Lost,
}

pub(crate) const STATUSES: &[u16] = &[0, 100, 200, 201, 202, 204, 301, 304, 400, 401, 403, 404, 409, 410, 422, 429, 500, 502, 503, 504, 999];

/// Twists for the first replies of a run (most replies kept, so that runs get far); the replies
/// after them are the canned GitHub's.
pub(crate) fn twists() -> impl Strategy<Value = Vec<Twist>> {
    let twist = prop_oneof![
        30 => Just(Twist::Keep),
        2 => select(STATUSES).prop_map(Twist::Status),
        1 => any::<Index>().prop_map(Twist::Cut),
        1 => mutate::interesting_json().prop_map(|v| Twist::Body(v.to_string())),
        1 => any::<String>().prop_map(Twist::Body),
        1 => Just(Twist::NextPage),
        1 => any::<u64>().prop_map(Twist::RateLimited),
        1 => Just(Twist::Lost),
    ];
    vec(twist, 0..12)
}

/// The canned GitHub of the other tests, its replies twisted one by one.
pub(crate) struct Chaos {
    pub(crate) canned: GitHub,
    twists: Vec<Twist>,
    replies: usize,
}

impl Chaos {
    pub(crate) fn new(canned: GitHub, twists: Vec<Twist>) -> Chaos {
        Chaos { canned, twists, replies: 0 }
    }

    fn answer(&mut self, request: &Request) -> Reply {
        // The canned GitHub knows only octo/app and the requests of the usual flows, and panics on
        // anything else: here that is a 404 (the panic is the test's, not the engine's).
        let canned = harness::quietly(|| self.canned.answer(request)).unwrap_or_else(|| Reply::ok(404, r#"{"message":"Not Found"}"#));
        let twist = self.twists.get(self.replies).cloned().unwrap_or(Twist::Keep);
        self.replies += 1;
        let Reply::Response { status, mut headers, body } = canned else { return canned };
        match twist {
            Twist::Keep => Reply::Response { status, headers, body },
            Twist::Status(status) => Reply::Response { status, headers, body },
            Twist::Cut(at) => {
                let end = body.char_indices().map(|(i, _)| i).nth(at.index(body.chars().count() + 1)).unwrap_or(body.len());
                Reply::Response { status, headers, body: body[..end].to_string() }
            }
            Twist::Body(body) => Reply::Response { status, headers, body },
            Twist::NextPage => {
                headers.insert("link".into(), format!("<https://api.github.com{}?page=2>; rel=\"next\"", request.path));
                Reply::Response { status, headers, body }
            }
            Twist::RateLimited(reset) => {
                headers.insert("x-ratelimit-remaining".into(), "0".into());
                headers.insert("x-ratelimit-reset".into(), reset.to_string());
                Reply::Response { status: 403, headers, body: r#"{"message":"API rate limit exceeded"}"#.into() }
            }
            Twist::Lost => Reply::Lost { error: "connection reset".into() },
        }
    }

    /// Runs the engine to its outcome, checking the protocol on the way; says how far it went.
    pub(crate) fn run(&mut self, invocation: Invocation) -> Result<String, String> {
        let dry_run = invocation.inputs.get("dry-run").is_some_and(|v| matches!(v.trim(), "true" | "True" | "TRUE"));
        let mut engine = Engine::new(invocation);
        let mut reply = None;
        for requests in 0..MAX_STEPS {
            let step = engine.step(reply.take());
            // Each step crosses the WebAssembly boundary by its derived `Serialize`.
            serde_json::to_string(&step).map_err(|e| format!("a step does not serialize: {e}"))?;
            match step.next {
                Next::Request(request) if dry_run && request.is_write() => {
                    return Err(format!("a dry run writes: {:?} {}", request.method, request.path));
                }
                Next::Request(request) => reply = Some(self.answer(&request)),
                // The machine's zone when it has one: a made-up name gets none, as on a host without it.
                Next::Zone { name } => reply = Some(Reply::Zone(std::fs::read(format!("/usr/share/zoneinfo/{name}")).ok().filter(|_| !name.contains("..")))),
                // After the outcome, a step is a misuse, answered with a failure, never a panic.
                Next::Done(outcome) => match engine.step(None).next {
                    Next::Done(after) if after.failure.is_some() => return Ok(reached(requests, &outcome)),
                    other => return Err(format!("a step after the outcome gave {other:?}")),
                },
            }
        }
        Err(format!("no outcome after {MAX_STEPS} steps"))
    }
}

/// Where a run got to, counted by the driver to show that inputs get past the first checks.
pub(crate) fn reached(requests: usize, outcome: &Outcome) -> String {
    let requests = if requests < 8 { requests.to_string() } else { "8+".to_string() };
    format!("{requests} requests, {}", if outcome.failure.is_some() { "failed" } else { "succeeded" })
}
