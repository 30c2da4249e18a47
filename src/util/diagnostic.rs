//! Diagnostics: every problem found in a policy, each with a JSON path, a stable code and a
//! message that says what was found, what was expected and how to fix it.

use serde::Serialize;
use std::fmt;

/// How bad a diagnostic is. Errors stop a policy from loading; warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in a policy (or calendar) document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable, kebab-case identifier (documented in DESIGN.md); tools may match on it.
    pub code: &'static str,
    /// JSON path to the offending value, e.g. `targets[0].response` (`` for the whole document).
    pub path: String,
    /// Lowercase sentence(s): what was found, what was expected, how to fix it.
    pub message: String,
}

impl Diagnostic {
    pub fn error(code: &'static str, path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            path: path.into(),
            message: message.into(),
        }
    }

    pub fn warning(
        code: &'static str,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            code,
            path: path.into(),
            message: message.into(),
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let path = if self.path.is_empty() {
            "(document)"
        } else {
            &self.path
        };
        write!(f, "{sev}[{}] at {path}: {}", self.code, self.message)
    }
}

/// Appends `.key` or `[i]` to a JSON path.
pub(crate) fn join(base: &str, key: &str) -> String {
    if base.is_empty() {
        key.to_string()
    } else {
        format!("{base}.{key}")
    }
}

pub(crate) fn index(base: &str, i: usize) -> String {
    format!("{base}[{i}]")
}

/// A list of diagnostics, the error type of policy loading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let errors = self.0.iter().filter(|d| d.is_error()).count();
        write!(f, "the policy has {errors} error(s)")?;
        for d in &self.0 {
            write!(f, "\n  {d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// How deep arrays and objects may nest in any JSON sla-lens reads: serde_json's own limit (its
/// recursion limit of 128 refuses the 128th level).
pub const MAX_JSON_DEPTH: usize = 127;

/// Whether serde_json refused a text for nesting deeper than [`MAX_JSON_DEPTH`] (its
/// "recursion limit exceeded"), not for its syntax.
pub fn json_too_deep(e: &serde_json::Error) -> bool {
    e.is_syntax() && e.to_string().starts_with("recursion limit exceeded")
}

/// serde_json's message for a text it refused, saying the nesting limit in words when that was
/// the reason (serde_json says "recursion limit exceeded").
pub fn json_error(e: &serde_json::Error) -> String {
    if json_too_deep(e) {
        format!(
            "arrays and objects nested more than {MAX_JSON_DEPTH} levels deep (the most sla-lens \
             reads) at line {} column {}",
            e.line(),
            e.column()
        )
    } else {
        e.to_string()
    }
}

/// Why `what` (e.g. "the redmine response") was refused: its nesting, in words, or "is not valid
/// JSON" with serde_json's message.
pub fn json_refused(what: &str, e: &serde_json::Error) -> String {
    if json_too_deep(e) {
        format!(
            "{what} nests arrays and objects more than {MAX_JSON_DEPTH} levels deep (at line {}, \
             column {}), the most sla-lens reads: remove the extra nesting",
            e.line(),
            e.column()
        )
    } else {
        format!("{what} is not valid JSON: {e}")
    }
}

/// `json-too-deep` for a text refused for its nesting, else `json-syntax`.
pub fn json_error_code(e: &serde_json::Error) -> &'static str {
    if json_too_deep(e) {
        "json-too-deep"
    } else {
        "json-syntax"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nesting_limit_is_serde_jsons() {
        let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(serde_json::from_str::<serde_json::Value>(&nested(MAX_JSON_DEPTH)).is_ok());
        let e = serde_json::from_str::<serde_json::Value>(&nested(MAX_JSON_DEPTH + 1)).unwrap_err();
        assert!(json_too_deep(&e), "{e}");
        assert_eq!(json_error_code(&e), "json-too-deep");
        assert_eq!(
            json_error(&e),
            "arrays and objects nested more than 127 levels deep (the most sla-lens reads) at \
             line 1 column 128"
        );
        assert_eq!(
            json_refused("the list", &e),
            "the list nests arrays and objects more than 127 levels deep (at line 1, column 128), \
             the most sla-lens reads: remove the extra nesting"
        );
        let syntax = serde_json::from_str::<serde_json::Value>("[1,]").unwrap_err();
        assert_eq!(
            json_refused("the list", &syntax),
            "the list is not valid JSON: trailing comma at line 1 column 4"
        );
        assert!(!json_too_deep(&syntax));
        assert_eq!(json_error_code(&syntax), "json-syntax");
    }
}
