//! Mapping tracker answers tolerantly: the bad ones set aside, the good ones mapped.

use crate::ticket::TicketError;
use serde::Serialize;
use serde_json::Value;

/// One answer set aside by [`map_tolerant`]: its index among the texts, the error's code and
/// message.
#[derive(Serialize, Debug)]
pub struct Rejected {
    pub input: usize,
    pub code: &'static str,
    pub message: String,
}

pub type Mapped = Vec<Result<crate::ticket::TicketInput, TicketError>>;

/// Maps `texts` together, setting aside the ones that are not JSON or not the tracker's shapes.
/// A whole-call error names its document (`<input k>`); that document is dropped and the rest
/// mapped again. After a few such rounds the remaining documents are checked one by one, so
/// the work stays linear however many answers are bad.
pub fn map_tolerant(
    kind: crate::adapters::TrackerKind,
    texts: &[String],
    site: &crate::adapters::SiteConfig,
) -> (Mapped, Vec<Rejected>) {
    use crate::adapters::map_responses as map;
    let mut rejected = Vec::new();
    let mut docs: Vec<Value> = Vec::with_capacity(texts.len());
    let mut index: Vec<usize> = Vec::with_capacity(texts.len());
    for (i, t) in texts.iter().enumerate() {
        match serde_json::from_str::<Value>(t) {
            Ok(v) => {
                docs.push(v);
                index.push(i);
            }
            Err(e) => rejected.push(Rejected {
                input: i,
                code: crate::util::diagnostic::json_error_code(&e),
                message: crate::util::diagnostic::json_refused(&format!("the {kind} response"), &e),
            }),
        }
    }
    for _round in 0..4 {
        if docs.is_empty() {
            break;
        }
        match map(kind, &docs, site) {
            Ok(r) => {
                crate::util::order::sort_by_key(&mut rejected, |r| r.input);
                return (r, rejected);
            }
            Err(e) => {
                let k = if docs.len() == 1 {
                    Some(0)
                } else {
                    crate::api::input_path(&e.path)
                        .map(|(k, _)| k)
                        .filter(|&k| k < docs.len())
                };
                let Some(k) = k else { break };
                docs.remove(k);
                rejected.push(Rejected {
                    input: index.remove(k),
                    code: e.code,
                    message: e.message,
                });
            }
        }
    }
    // Many bad answers: check each remaining document alone, then map the good ones together.
    let mut good_docs = Vec::with_capacity(docs.len());
    for (doc, i) in docs.into_iter().zip(index) {
        match map(kind, std::slice::from_ref(&doc), site) {
            Ok(_) => good_docs.push(doc),
            Err(e) => rejected.push(Rejected {
                input: i,
                code: e.code,
                message: e.message,
            }),
        }
    }
    crate::util::order::sort_by_key(&mut rejected, |r| r.input);
    if good_docs.is_empty() {
        return (Vec::new(), rejected);
    }
    match map(kind, &good_docs, site) {
        Ok(r) => (r, rejected),
        // Each was accepted alone; together they cannot fail on shape, but stay total anyway.
        Err(e) => (vec![Err(e)], rejected),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::{SiteConfig, TrackerKind};

    #[test]
    fn answers_that_are_not_json_are_set_aside_in_order() {
        let kind = TrackerKind::Github;
        let site = SiteConfig::default_for(kind);
        let texts = ["{oops".to_string(), "[".to_string()];
        let (mapped, rejected) = map_tolerant(kind, &texts, &site);
        assert!(mapped.is_empty());
        let inputs: Vec<usize> = rejected.iter().map(|r| r.input).collect();
        assert_eq!(inputs, [0, 1]);
        assert!(rejected[0].message.contains("github"), "{:?}", rejected[0]);
    }
}
