//! A reply from GitHub, classified once: every flow starts from an [`Answer`], and the words for a
//! refusal (what was attempted, GitHub's status and message, the likely fix) are written here only.

use super::text;
use crate::protocol::Reply;

/// A reply, sorted into what the engine does with it.
#[derive(Debug)]
pub enum Answer<'a> {
    /// A 2xx answer, its body, and whether a list continues on another page.
    Success { status: u16, body: &'a str, more: bool },
    /// 404: what was asked for does not exist, or the token may not see it; `message` is GitHub's.
    NotFound { message: String },
    /// GitHub answered with another error status; `message` is GitHub's own words.
    Refused { status: u16, message: String },
    /// No answer came back.
    Lost { error: &'a str },
}

pub fn answer(reply: &Reply) -> Answer<'_> {
    match reply {
        Reply::Response { status, body, headers } if (200..300).contains(status) => {
            // GitHub's `link` header names the next page when there is one.
            let more = headers.get("link").is_some_and(|link| link.split(',').any(|l| l.contains("rel=\"next\"")));
            Answer::Success { status: *status, body, more }
        }
        Reply::Response { status: 404, body, .. } => Answer::NotFound { message: message_of(body) },
        Reply::Response { status, body, headers } => {
            let mut message = message_of(body);
            // A primary rate limit the caller could not wait out: say when it lifts.
            if matches!(status, 403 | 429) && headers.get("x-ratelimit-remaining").map(String::as_str) == Some("0") {
                if let Some(reset) = headers.get("x-ratelimit-reset").and_then(|r| r.parse::<u64>().ok()) {
                    message = format!("{} (the rate limit resets at {})", message.trim_end_matches('.'), utc(reset));
                }
            }
            Answer::Refused { status: *status, message }
        }
        Reply::Lost { error } => Answer::Lost { error },
        // The engine hands time zone data to the flow that asked for it, never as a request's reply.
        Reply::Zone(_) => Answer::Lost { error: "time zone data came instead of GitHub's answer" },
    }
}

impl Answer<'_> {
    /// What GitHub said, for a sentence that first says what was attempted: `GitHub answered 404:
    /// Not Found`, or the error of a request that got no answer.
    pub fn said(&self) -> String {
        match self {
            Answer::Success { status, .. } => format!("GitHub answered {status}"),
            Answer::NotFound { message } => answered(404, message),
            Answer::Refused { status, message } => answered(*status, message),
            Answer::Lost { error } => error.to_string(),
        }
    }

    /// The status and GitHub's message of an error answer (404 included); `None` for a success or
    /// a lost request.
    pub fn refused(&self) -> Option<(u16, &str)> {
        match self {
            Answer::NotFound { message } => Some((404, message)),
            Answer::Refused { status, message } => Some((*status, message)),
            Answer::Success { .. } | Answer::Lost { .. } => None,
        }
    }

    /// What GitHub said, with the fix a refusal suggests (see [`explained`]).
    pub fn explain(&self, permission: Option<&str>) -> String {
        match self.refused() {
            Some((status, message)) => explained(status, message, permission),
            None => self.said(),
        }
    }

    /// `could not {purpose}: ...`, with the fix a refusal suggests.
    pub fn refusal(&self, purpose: &str, permission: Option<&str>) -> String {
        format!("could not {purpose}: {}", self.explain(permission))
    }
}

/// `GitHub answered {status}: {message}`: the one way an error status is reported.
fn answered(status: u16, message: &str) -> String {
    format!("GitHub answered {status}: {message}")
}

/// GitHub's status and message, and for 401/403/404 the likely fix (credentials, or the workflow
/// `permissions:` a write needs).
pub fn explained(status: u16, message: &str, permission: Option<&str>) -> String {
    let fix = match (status, permission) {
        (401, _) => " The token was refused: check the `token` input (an expired app token, or a revoked personal token).".to_string(),
        (403 | 404, Some(permission)) if !message.to_ascii_lowercase().contains("rate limit") => {
            format!(" The token may lack the permission: give the workflow `permissions: {permission}` (or use a token that has it).")
        }
        _ => String::new(),
    };
    format!("{}.{fix}", answered(status, message)).replace("..", ".")
}

/// GitHub's error body is `{"message": ..., "errors": [...]}`; keep its words, fall back to the text.
pub fn message_of(body: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(body).ok().as_ref().and_then(|v| text(v, "/message")) {
        Some(message) => message.to_string(),
        None if body.trim().is_empty() => "no details given".to_string(),
        None => body.chars().take(200).collect(),
    }
}

/// Seconds since the Unix epoch as an ISO 8601 UTC time (days to a civil date, after Howard
/// Hinnant's algorithm), so that no date library is needed for one message.
fn utc(seconds: u64) -> String {
    let days = (seconds / 86_400) as i64;
    let rest = seconds % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rest / 3600, rest % 3600 / 60, rest % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn successes_say_whether_a_list_goes_on() {
        let headers = [("link".to_string(), "<https://api.github.com/x?page=2>; rel=\"next\", <...>; rel=\"last\"".to_string())];
        let reply = Reply::Response { status: 200, headers: headers.into_iter().collect(), body: "[]".into() };
        assert!(matches!(answer(&reply), Answer::Success { status: 200, body: "[]", more: true }));
        assert!(matches!(answer(&Reply::ok(201, "{}")), Answer::Success { status: 201, more: false, .. }));
    }

    #[test]
    fn not_found_is_its_own_answer() {
        match answer(&Reply::ok(404, r#"{"message":"Not Found"}"#)) {
            Answer::NotFound { message } => assert_eq!(message, "Not Found"),
            other => panic!("{other:?}"),
        }
        let lost = Reply::Lost { error: "connection reset".into() };
        assert!(matches!(answer(&lost), Answer::Lost { error: "connection reset" }));
        assert_eq!(answer(&lost).said(), "connection reset");
        assert_eq!(answer(&Reply::ok(404, "")).said(), "GitHub answered 404: no details given");
    }

    #[test]
    fn a_primary_rate_limit_says_when_it_lifts() {
        let headers = [("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "1795680000")].map(|(k, v)| (k.to_string(), v.to_string()));
        let reply = Reply::Response { status: 403, headers: headers.into_iter().collect(), body: r#"{"message":"API rate limit exceeded for installation."}"#.into() };
        match answer(&reply) {
            Answer::Refused { message, .. } => assert_eq!(message, "API rate limit exceeded for installation (the rate limit resets at 2026-11-26T08:00:00Z)"),
            other => panic!("{other:?}"),
        }
        assert_eq!(utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc(951_782_400), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn refusals_name_the_fix() {
        let refusal = |purpose: &str, status: u16, message: &str, permission: Option<&str>| {
            Answer::Refused { status, message: message.to_string() }.refusal(purpose, permission)
        };
        assert_eq!(
            refusal("create the staging deployment", 403, "Resource not accessible by integration", Some("deployments: write")),
            "could not create the staging deployment: GitHub answered 403: Resource not accessible by integration. The token may lack the permission: give the workflow `permissions: deployments: write` (or use a token that has it)."
        );
        assert!(refusal("read x", 401, "Bad credentials", None).ends_with("check the `token` input (an expired app token, or a revoked personal token)."));
        assert_eq!(refusal("create x", 422, "Validation Failed", Some("deployments: write")), "could not create x: GitHub answered 422: Validation Failed.");
        let not_found = Reply::ok(404, r#"{"message":"Not Found"}"#);
        assert!(answer(&not_found).refusal("read x", Some("contents: read")).starts_with("could not read x: GitHub answered 404: Not Found. The token may lack"));
        assert_eq!(answer(&Reply::Lost { error: "timed out".into() }).refusal("read x", None), "could not read x: timed out");
        assert_eq!(answer(&Reply::ok(422, r#"{"message":"Invalid."}"#)).explain(Some("deployments: write")), "GitHub answered 422: Invalid.");
        assert_eq!(answer(&Reply::ok(500, "")).explain(None), "GitHub answered 500: no details given.");
    }

    #[test]
    fn github_error_messages_are_kept() {
        let reply = Reply::ok(422, r#"{"message":"No ref found for: nope","documentation_url":"x"}"#);
        match answer(&reply) {
            Answer::Refused { status, message } => assert_eq!((status, message.as_str()), (422, "No ref found for: nope")),
            other => panic!("{other:?}"),
        }
        match answer(&Reply::ok(502, "")) {
            Answer::Refused { message, .. } => assert_eq!(message, "no details given"),
            other => panic!("{other:?}"),
        }
    }
}
