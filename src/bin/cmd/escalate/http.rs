//! The tracker's HTTP client: one origin, the tracker's auth headers (Redmine's API key, GitHub's
//! and Jira's `Authorization`, GitLab's `PRIVATE-TOKEN`), no redirects, no proxy, bounded
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
    /// The headers every request carries: the auth header(s) and the tracker's `Accept`.
    headers: Vec<(&'static str, String)>,
    /// The secret (API key, token), scrubbed from every error text.
    key: String,
    /// Further texts to scrub (an `Authorization` value derived from the key).
    derived: Vec<String>,
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

/// Whether the answer says "not done, try again later": a 429, or GitHub's secondary rate limit
/// (a 403 with `Retry-After`).
fn throttled(resp: &ureq::http::Response<ureq::Body>) -> bool {
    let status = resp.status().as_u16();
    status == 429 || (status == 403 && resp.headers().contains_key("retry-after"))
}

/// A 403 that is a rate limit, not a refused key (GitHub: `Retry-After`, or
/// `x-ratelimit-remaining: 0` until `x-ratelimit-reset`): what to say instead.
fn rate_limited(resp: &ureq::http::Response<ureq::Body>) -> Option<String> {
    let h = |n: &str| {
        resp.headers()
            .get(n)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    if h("retry-after").is_some() {
        return Some("HTTP 403: rate limited (secondary rate limit), still after retries".into());
    }
    if h("x-ratelimit-remaining") == Some("0") {
        let until = h("x-ratelimit-reset")
            .and_then(|r| r.parse::<i64>().ok())
            .map(|t| format!(" until {}", sla_lens::time::format_instant(t)))
            .unwrap_or_default();
        return Some(format!("HTTP 403: the API rate limit is used up{until}"));
    }
    None
}

impl Client {
    /// A client for `base` sending `key` in the `header` (e.g. `X-Redmine-API-Key`).
    pub fn new(base: String, header: &'static str, key: String) -> Client {
        Client::with_headers(
            base,
            vec![(header, key.clone()), ("Accept", "application/json".into())],
            key,
        )
    }

    /// A client for `base` sending `headers` with every request (the auth header and the
    /// tracker's `Accept`); `key` is the secret they carry, scrubbed from every error, as is
    /// every header value that contains or encodes it (the `Authorization` header's value).
    pub fn with_headers(base: String, headers: Vec<(&'static str, String)>, key: String) -> Client {
        let derived = headers
            .iter()
            // The headers that carry the secret: it, or `Authorization` built from it (not
            // `Accept` or `X-GitHub-Api-Version`, whose values are no secret).
            .filter(|(n, v)| n.eq_ignore_ascii_case("authorization") || v.contains(key.as_str()))
            .flat_map(|(_, v)| {
                // `Bearer xyz` / `Basic abc=`: the value and its credential part.
                let cred = v.rsplit(' ').next().unwrap_or(v).to_string();
                [v.clone(), cred]
            })
            .filter(|s| s.len() >= 4)
            .collect();
        let backoff = std::env::var("SLA_LENS_BACKOFF_MS")
            .ok()
            .and_then(|s| s.parse::<u64>().ok())
            .map_or(Duration::from_millis(500), Duration::from_millis);
        Client {
            agent: agent(),
            base,
            headers,
            key,
            derived,
            backoff,
        }
    }

    pub fn key(&self) -> &str {
        &self.key
    }

    /// `text` without the key or any auth header value in it.
    fn clean(&self, text: &str) -> String {
        self.derived
            .iter()
            .fold(scrub(text, &self.key), |acc, s| scrub(&acc, s))
    }

    fn fail(&self, message: String) -> HttpError {
        HttpError {
            message: self.clean(&message),
        }
    }

    fn request(&self, method: &str, url: &str) -> ureq::http::request::Builder {
        let mut b = ureq::http::Request::builder().method(method).uri(url);
        for (n, v) in &self.headers {
            b = b.header(*n, v.as_str());
        }
        b
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
                .request("GET", &url)
                .body(())
                .map_err(|e| self.fail(e.to_string()))
                .map(|req| self.agent.run(req));
            let mut resp = match resp? {
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
            if status == 403 {
                if let Some(m) = rate_limited(&resp) {
                    last = self.fail(m);
                }
            }
            match status {
                _ if throttled(&resp) => {
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
            let req = self
                .request(method, &url)
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
            if status == 403 {
                if let Some(m) = rate_limited(&resp) {
                    last = self.fail(m);
                }
            }
            if !throttled(&resp) {
                // Say what the tracker objected to, briefly: Redmine `{"errors": [...]}`, GitHub
                // `{"message", "errors"}`, GitLab `{"message"}`, Jira `{"errorMessages",
                // "errors"}`.
                let detail = resp
                    .body_mut()
                    .with_config()
                    .limit(4096)
                    .read_to_string()
                    .ok()
                    .and_then(|t| serde_json::from_str::<Value>(&t).ok())
                    .map(|v| {
                        ["message", "errorMessages", "errors", "error"]
                            .iter()
                            .filter_map(|k| v.get(*k))
                            .filter(|x| {
                                !(x.is_null()
                                    || x.as_array().is_some_and(Vec::is_empty)
                                    || x.as_object().is_some_and(|o| o.is_empty()))
                            })
                            .map(|x| match x {
                                Value::String(s) => s.clone(),
                                other => other.to_string(),
                            })
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .filter(|d| !d.is_empty())
                    .map(|d| format!(" {}", d.chars().take(500).collect::<String>()))
                    .unwrap_or_default();
                last.message = self.clean(&format!("{}{detail}", last.message));
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

/// Percent-encodes a query or path value (everything but unreserved characters).
pub fn percent(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Standard base64 with padding (RFC 4648 §4), for HTTP Basic credentials.
pub fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if i <= c.len() {
                out.push(T[((n >> shift) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn errors_are_scrubbed_of_the_secret_and_its_auth_header_only() {
        let basic = super::base64(b"bot@example.com:t0ken-xyz");
        let c = super::Client::with_headers(
            "http://127.0.0.1:1".into(),
            vec![
                ("Authorization", format!("Basic {basic}")),
                ("Accept", "application/vnd.github+json".into()),
                ("X-GitHub-Api-Version", "2022-11-28".into()),
            ],
            "t0ken-xyz".into(),
        );
        assert_eq!(
            c.clean(&format!(
                "t0ken-xyz {basic} Basic {basic} 2022-11-28 application/vnd.github+json"
            )),
            "[key] [key] [key] 2022-11-28 application/vnd.github+json"
        );
    }

    #[test]
    fn base64_matches_rfc4648() {
        for (i, o) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(super::base64(i.as_bytes()), o);
        }
    }
}
