//! The tracker's HTTP client: one origin, one key in one header, no redirects, no proxy, bounded
//! bodies, retries only where a repeat cannot do anything twice (DESIGN.md "The escalate command").

use serde_json::Value;
use std::time::Duration;

/// Attempts per read on a 5xx, a 429 or a transport error.
const ATTEMPTS: u32 = 3;
/// The largest answer read (a page of 100 issues with journals is far smaller).
const BODY_LIMIT: u64 = 64 << 20;

/// Why a request failed after its retries.
#[derive(Debug, Clone)]
pub struct HttpError {
    pub message: String,
}

impl std::fmt::Display for HttpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

pub struct Client {
    agent: ureq::Agent,
    pub base: String,
    header: &'static str,
    key: String,
    /// The pause before the second attempt (doubled before the third).
    backoff: Duration,
}

/// An agent that follows no redirect and uses no proxy, with a timeout per request
/// (`SLA_LENS_HTTP_TIMEOUT_MS`, default 30 s, for tests of a hanging tracker).
pub fn agent() -> ureq::Agent {
    let timeout = std::env::var("SLA_LENS_HTTP_TIMEOUT_MS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .map_or(Duration::from_secs(30), Duration::from_millis);
    let config = ureq::Agent::config_builder()
        .max_redirects(0)
        .proxy(None)
        .http_status_as_error(false)
        .timeout_global(Some(timeout))
        .user_agent(concat!("sla-lens/", env!("CARGO_PKG_VERSION")))
        .build();
    ureq::Agent::new_with_config(config)
}

/// `text` without the secret in it (an error message should never carry it, but make sure).
pub fn scrub(text: &str, secret: &str) -> String {
    if secret.is_empty() {
        text.to_string()
    } else {
        text.replace(secret, "[key]")
    }
}

fn retry_after(resp: &ureq::http::Response<ureq::Body>) -> Option<Duration> {
    resp.headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(|s| Duration::from_secs(s.min(30)))
}

impl Client {
    /// A client for `base` sending `key` in the `header` (e.g. `X-Redmine-API-Key`).
    pub fn new(base: String, header: &'static str, key: String) -> Client {
        let backoff = std::env::var("SLA_LENS_BACKOFF_MS")
            .ok()
            .and_then(|s| s.parse::<u64>().ok())
            .map_or(Duration::from_millis(500), Duration::from_millis);
        Client {
            agent: agent(),
            base,
            header,
            key,
            backoff,
        }
    }

    pub fn key(&self) -> &str {
        &self.key
    }

    fn fail(&self, message: String) -> HttpError {
        HttpError {
            message: scrub(&message, &self.key),
        }
    }

    fn status_error(&self, status: u16) -> HttpError {
        let m = match status {
            300..=399 => {
                format!("HTTP {status}: a redirect, not followed (the key goes to --url only)")
            }
            401 | 403 => format!("HTTP {status}: the API key was refused"),
            _ => format!("HTTP {status}"),
        };
        self.fail(m)
    }

    /// GET `path` (from the base), retried on a 5xx, a 429 (after its `Retry-After`, at most
    /// 30 s) and a transport error; the body as text.
    pub fn get(&self, path: &str) -> Result<String, HttpError> {
        let url = format!("{}{path}", self.base);
        let mut last = self.fail("not sent".into());
        for attempt in 0..ATTEMPTS {
            if attempt > 0 {
                std::thread::sleep(self.backoff * (1 << (attempt - 1)));
            }
            let resp = self
                .agent
                .get(&url)
                .header(self.header, &self.key)
                .header("Accept", "application/json")
                .call();
            let mut resp = match resp {
                Ok(r) => r,
                Err(e) => {
                    last = self.fail(e.to_string());
                    continue;
                }
            };
            let status = resp.status().as_u16();
            if status == 200 {
                return resp
                    .body_mut()
                    .with_config()
                    .limit(BODY_LIMIT)
                    .read_to_string()
                    .map_err(|e| self.fail(e.to_string()));
            }
            last = self.status_error(status);
            match status {
                429 => {
                    if let Some(w) = retry_after(&resp) {
                        if attempt + 1 < ATTEMPTS {
                            std::thread::sleep(w);
                        }
                    }
                }
                500..=599 => {}
                _ => return Err(last),
            }
        }
        Err(last)
    }

    /// A write (`POST`/`PUT`/`DELETE` with a JSON body): retried only on a 429 (the tracker
    /// says it did nothing); a 5xx, a timeout or a lost answer is returned at once, since the
    /// tracker may have applied it — the caller re-reads the issue to know (DESIGN.md). The
    /// status and body on a 2xx.
    pub fn write(&self, method: &str, path: &str, body: &Value) -> Result<String, HttpError> {
        let url = format!("{}{path}", self.base);
        let text = body.to_string();
        let mut last = self.fail("not sent".into());
        for attempt in 0..ATTEMPTS {
            let req = ureq::http::Request::builder()
                .method(method)
                .uri(&url)
                .header(self.header, &self.key)
                .header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .body(text.clone())
                .map_err(|e| self.fail(e.to_string()))?;
            let mut resp = match self.agent.run(req) {
                Ok(r) => r,
                Err(e) => return Err(self.fail(e.to_string())),
            };
            let status = resp.status().as_u16();
            if (200..300).contains(&status) {
                return Ok(resp
                    .body_mut()
                    .with_config()
                    .limit(BODY_LIMIT)
                    .read_to_string()
                    .unwrap_or_default());
            }
            last = self.status_error(status);
            if status != 429 {
                // Say what the tracker objected to (Redmine: `{"errors": [...]}`), briefly.
                let detail = resp
                    .body_mut()
                    .with_config()
                    .limit(4096)
                    .read_to_string()
                    .ok()
                    .and_then(|t| serde_json::from_str::<Value>(&t).ok())
                    .and_then(|v| v.get("errors").cloned())
                    .map(|e| format!(" {e}"))
                    .unwrap_or_default();
                last.message = scrub(&format!("{}{detail}", last.message), &self.key);
                return Err(last);
            }
            let wait = retry_after(&resp).unwrap_or(self.backoff * (1 << attempt));
            if attempt + 1 < ATTEMPTS {
                std::thread::sleep(wait);
            }
        }
        Err(last)
    }
}
