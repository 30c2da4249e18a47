//! The actions that leave the tracker: `email` over SMTP (lettre) and `webhook` (a JSON POST).
//! Neither is idempotent, so each message carries its action's key (DESIGN.md): the e-mail's
//! Message-ID and the marker line in its body, the generic webhook body's `key`.

use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Message, SmtpTransport, Transport};
use serde_json::Value;
use sla_lens::eval::escalate::{ActionKey, Stage};
use sla_lens::policy::Contact;
use std::time::Duration;

/// Where mail goes: `SLA_LENS_SMTP_URL` (`smtp://host:port`, `smtp://host?tls=required`,
/// `smtps://host`), the sender `SLA_LENS_SMTP_FROM`, and optionally a user
/// (`SLA_LENS_SMTP_USER`) with its password (`SLA_LENS_SMTP_PASSWORD` or
/// `SLA_LENS_SMTP_PASSWORD_FILE`).
pub struct Mailer {
    transport: SmtpTransport,
    from: Mailbox,
    domain: String,
    pub password: String,
}

fn env(var: &str) -> Option<String> {
    std::env::var(var).ok().filter(|s| !s.trim().is_empty())
}

impl Mailer {
    /// `None` when no SMTP server is configured.
    pub fn from_env() -> Result<Option<Mailer>, String> {
        let Some(url) = env("SLA_LENS_SMTP_URL") else {
            return Ok(None);
        };
        let from = env("SLA_LENS_SMTP_FROM").ok_or(
            "SLA_LENS_SMTP_URL is set but SLA_LENS_SMTP_FROM is not: give the sender address",
        )?;
        let from: Mailbox = from
            .parse()
            .map_err(|e| format!("SLA_LENS_SMTP_FROM `{from}` is not an address ({e})"))?;
        let domain = from.email.domain().to_string();
        if url.contains('@') {
            return Err(
                "SLA_LENS_SMTP_URL: no user or password in the URL; use SLA_LENS_SMTP_USER and \
                 SLA_LENS_SMTP_PASSWORD(_FILE)"
                    .into(),
            );
        }
        let password =
            match (
                env("SLA_LENS_SMTP_PASSWORD"),
                env("SLA_LENS_SMTP_PASSWORD_FILE"),
            ) {
                (Some(_), Some(_)) => return Err(
                    "both SLA_LENS_SMTP_PASSWORD and SLA_LENS_SMTP_PASSWORD_FILE are set: keep one"
                        .into(),
                ),
                (Some(p), None) => p,
                (None, Some(f)) => std::fs::read_to_string(&f)
                    .map_err(|e| {
                        format!(
                            "SLA_LENS_SMTP_PASSWORD_FILE: cannot read `{f}`: {}",
                            e.kind()
                        )
                    })?
                    .lines()
                    .next()
                    .unwrap_or("")
                    .to_string(),
                (None, None) => String::new(),
            };
        let mut builder = SmtpTransport::from_url(&url)
            .map_err(|e| format!("SLA_LENS_SMTP_URL `{url}`: {e}"))?
            .timeout(Some(Duration::from_secs(30)));
        if let Some(user) = env("SLA_LENS_SMTP_USER") {
            builder = builder.credentials(Credentials::new(user, password.clone()));
        }
        Ok(Some(Mailer {
            transport: builder.build(),
            from,
            domain,
            password,
        }))
    }

    /// Sends one action's e-mail to the contacts that have an address.
    pub fn send(
        &self,
        ticket: &str,
        key: &ActionKey,
        contacts: &[Contact],
        mail: &sla_lens::eval::escalate::Email,
    ) -> Result<(), String> {
        let mut b = Message::builder()
            .from(self.from.clone())
            .subject(mail.subject.clone())
            .message_id(Some(message_id(ticket, key, &self.domain)))
            .header(ContentType::TEXT_PLAIN)
            .user_agent(concat!("sla-lens/", env!("CARGO_PKG_VERSION")).to_string());
        let mut any = false;
        for c in contacts {
            let Some(addr) = c.email.as_deref() else {
                continue;
            };
            let mbox = Mailbox::new(
                Some(c.name.clone()),
                addr.parse()
                    .map_err(|e| format!("{}: `{addr}` is not an address ({e})", c.name))?,
            );
            b = b.to(mbox);
            any = true;
        }
        if !any {
            return Err("no contact of this stage has an e-mail address".into());
        }
        // ASCII text with lines within RFC 5322's 998 characters goes as 7bit, so the marker
        // line stays one line for any reader or filter (lettre would wrap lines past 76 as
        // quoted-printable); other text as lettre chooses, which every mail reader decodes.
        let text = mail.body.replace("\r\n", "\n").replace('\n', "\r\n");
        let plain = text.is_ascii()
            && !text.contains('\0')
            && text
                .split("\r\n")
                .all(|l| l.len() < 998 && !l.contains('\r'));
        let body = if plain {
            Body::dangerous_pre_encoded(text.into_bytes(), ContentTransferEncoding::SevenBit)
        } else {
            Body::new(text)
        };
        let msg = b
            .body(body)
            .map_err(|e| format!("the e-mail could not be built: {e}"))?;
        self.transport
            .send(&msg)
            .map(|_| ())
            .map_err(|e| format!("SMTP: {e}"))
    }
}

/// `<sla-lens.123.c1.l2.email0@example.org>`: the same for every attempt of one action, so a
/// repeat after a crash is the same message to the receiver.
pub fn message_id(ticket: &str, key: &ActionKey, domain: &str) -> String {
    let mut id = String::from("sla-lens.");
    for b in ticket.bytes() {
        if b.is_ascii_alphanumeric() || b"-_".contains(&b) {
            id.push(b as char);
        } else {
            id.push_str(&format!("={b:02X}"));
        }
    }
    let stage = match key.stage {
        Stage::Level(n) => format!("l{n}"),
        Stage::AtRisk(m) => format!("at-risk-{}", m.as_str()),
    };
    format!(
        "<{id}.c{}.{stage}.{}{}@{domain}>",
        key.cycle,
        key.kind.as_str(),
        key.ordinal
    )
}

/// POSTs a webhook's body: https, or http to a loopback or private host only if the policy says
/// so (`check` already refused other schemes); no redirect, no proxy, 10 s; a 2xx is success.
pub fn post_webhook(url: &str, body: &Value) -> Result<(), String> {
    let agent = {
        let config = ureq::Agent::config_builder()
            .max_redirects(0)
            .proxy(None)
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(10)))
            .user_agent(concat!("sla-lens/", env!("CARGO_PKG_VERSION")))
            .build();
        ureq::Agent::new_with_config(config)
    };
    let resp = agent
        .post(url)
        .header("Content-Type", "application/json")
        .send(body.to_string())
        .map_err(|e| format!("webhook: {}", redact(&e.to_string(), url)))?;
    let status = resp.status().as_u16();
    if (200..300).contains(&status) {
        Ok(())
    } else {
        Err(format!("webhook: HTTP {status}"))
    }
}

/// A webhook URL's path is its secret (Slack, Teams, Mattermost): errors name the host only.
fn redact(text: &str, url: &str) -> String {
    text.replace(url, &webhook_host(url))
}

/// `https://hooks.slack.com/…`: how the run's log names a webhook.
pub fn webhook_host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let scheme = url.split_once("://").map_or("https", |(s, _)| s);
    format!("{scheme}://{host}/…")
}
