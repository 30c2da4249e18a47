//! A small HTTP/1.1 server on 127.0.0.1 for the tracker fakes: each request (method, raw path,
//! decoded query, headers, body) goes to a handler, which answers with a status and a JSON body;
//! every request is logged for the test's assertions.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone)]
pub struct Req {
    pub method: String,
    /// The path as sent (still percent-encoded), without the query.
    pub path: String,
    /// The request target as sent: the path and the query.
    pub target: String,
    /// The query's pairs, percent-decoded, in order.
    pub query: Vec<(String, String)>,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Req {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == &name.to_ascii_lowercase())
            .map(|(_, v)| v.as_str())
    }

    pub fn q(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The query's keys, sorted: to compare against the documented parameters.
    pub fn query_keys(&self) -> Vec<&str> {
        let mut k: Vec<&str> = self.query.iter().map(|(k, _)| k.as_str()).collect();
        k.sort_unstable();
        k
    }

    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_str(&self.body).ok()
    }

    pub fn is_write(&self) -> bool {
        self.method != "GET"
    }
}

pub fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => {
                let h = std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(h, 16) {
                    Ok(v) => {
                        out.push(v);
                        i += 3;
                    }
                    Err(_) => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub struct Fake {
    pub base: String,
    pub log: Arc<Mutex<Vec<Req>>>,
}

impl Fake {
    pub fn requests(&self) -> Vec<Req> {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// Serves `handler` on a fresh port until the test process ends.
pub fn serve(handler: impl Fn(&Req) -> (u16, String) + Send + Sync + 'static) -> Fake {
    serve_with_headers(move |r| {
        let (status, body) = handler(r);
        (status, body, Vec::new())
    })
}

/// [`serve`] for a handler that also sets response headers (`Retry-After`, rate limits).
pub fn serve_with_headers(
    handler: impl Fn(&Req) -> (u16, String, Vec<(String, String)>) + Send + Sync + 'static,
) -> Fake {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
    let base = format!(
        "http://{}",
        listener.local_addr().unwrap_or_else(|e| panic!("{e}"))
    );
    let log: Arc<Mutex<Vec<Req>>> = Arc::default();
    let handler = Arc::new(handler);
    let l = log.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (h, l) = (handler.clone(), l.clone());
            std::thread::spawn(move || answer(stream, &*h, &l));
        }
    });
    Fake { base, log }
}

type Handler = dyn Fn(&Req) -> (u16, String, Vec<(String, String)>);

/// Reads one request off the socket (`None` if the client sent no whole request).
pub fn read_request(stream: &TcpStream) -> Option<Req> {
    let mut r = BufReader::new(stream);
    let mut first = String::new();
    if r.read_line(&mut first).is_err() {
        return None;
    }
    let mut parts = first.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let target = parts.next().unwrap_or("").to_string();
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let query = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        if let Some((n, v)) = line.split_once(':') {
            headers.push((n.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let len = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; len];
    if r.read_exact(&mut body).is_err() {
        return None;
    }
    Some(Req {
        method,
        path: path.to_string(),
        target: target.clone(),
        query,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

fn answer(stream: TcpStream, handler: &Handler, log: &Mutex<Vec<Req>>) {
    let Some(req) = read_request(&stream) else {
        return;
    };
    let (status, body, headers) = handler(&req);
    log.lock().unwrap_or_else(|e| e.into_inner()).push(req);
    write_response(&stream, status, &headers, &body);
}

/// Writes one JSON answer and closes the exchange (`Connection: close`).
pub fn write_response(
    mut stream: &TcpStream,
    status: u16,
    headers: &[(String, String)],
    body: &str,
) {
    let mut out = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    out.push_str(body);
    let _ = stream.write_all(out.as_bytes());
    let _ = stream.flush();
}
