//! A local HTTP(S) server that answers with recorded API responses: the protocol peer for the
//! clouds that have no emulator (Cloud SQL, Cloud KMS, Resource Manager, Azure Resource Manager,
//! Microsoft Graph, the token endpoints). It speaks HTTP/1.1 with keep-alive, optionally over TLS
//! with a throwaway CA, and records every request so tests can assert paging and retries.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

/// One answer.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// How the answer goes on the wire: whole, or one of the transport faults.
    pub wire: Wire,
}

/// Transport faults a reply can carry, for the fault-injection tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Wire {
    #[default]
    Whole,
    /// The headers promise more body than is sent, then the connection closes.
    Truncated,
    /// The connection is closed as soon as the request is read.
    Reset,
    /// The request is read and never answered; the connection stays open.
    Silent,
}

impl Reply {
    pub fn json(status: u16, body: impl Into<String>) -> Reply {
        Reply {
            status,
            headers: vec![(
                "Content-Type".into(),
                "application/json; charset=utf-8".into(),
            )],
            body: body.into(),
            wire: Wire::Whole,
        }
    }

    pub fn wire(mut self, wire: Wire) -> Reply {
        self.wire = wire;
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// Answers for one method and path; a route with `query` only matches requests whose query
/// string contains it, one with `authorization` only requests with that exact header (a token
/// per tenant), one with `body` only requests whose body contains it (a token asked for one
/// scope). Replies are served in order, the last one repeating.
#[derive(Clone, Debug)]
pub struct Route {
    pub method: &'static str,
    pub path: String,
    pub query: Option<String>,
    pub authorization: Option<String>,
    pub body: Option<String>,
    pub replies: Vec<Reply>,
}

pub fn route(method: &'static str, path: impl Into<String>, replies: Vec<Reply>) -> Route {
    Route {
        method,
        path: path.into(),
        query: None,
        authorization: None,
        body: None,
        replies,
    }
}

impl Route {
    pub fn with_query(mut self, q: &str) -> Route {
        self.query = Some(q.into());
        self
    }

    /// Only for requests whose body contains `needle` (percent-decoded, for form bodies).
    pub fn with_body(mut self, needle: &str) -> Route {
        self.body = Some(needle.into());
        self
    }

    /// Only for requests whose `Authorization` header is exactly `value`.
    pub fn with_authorization(mut self, value: &str) -> Route {
        self.authorization = Some(value.into());
        self
    }
}

/// A request the peer received.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    pub target: String,
    pub authorization: Option<String>,
    pub status: u16,
}

pub struct Peer {
    pub url: String,
    pub seen: Arc<Mutex<Vec<Seen>>>,
}

impl Peer {
    /// Requests whose target (path and query) contains `needle`.
    pub fn requests(&self, needle: &str) -> Vec<Seen> {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|s| s.target.contains(needle))
            .cloned()
            .collect()
    }
}

struct State {
    routes: Vec<Route>,
    served: Mutex<HashMap<usize, usize>>,
    seen: Arc<Mutex<Vec<Seen>>>,
}

/// Serves the routes made by `routes` (given the peer's own base URL, for absolute next-page
/// links) on a free port of 127.0.0.1, over TLS when `tls` is given.
pub fn serve(
    routes: impl FnOnce(&str) -> Vec<Route>,
    tls: Option<Arc<rustls::ServerConfig>>,
) -> Peer {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let scheme = if tls.is_some() { "https" } else { "http" };
    let url = format!("{scheme}://127.0.0.1:{port}");
    let routes = routes(&url);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let state = Arc::new(State {
        routes,
        served: Mutex::new(HashMap::new()),
        seen: seen.clone(),
    });
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let state = state.clone();
            let tls = tls.clone();
            std::thread::spawn(move || match tls {
                Some(config) => {
                    let Ok(conn) = rustls::ServerConnection::new(config) else {
                        return;
                    };
                    let mut s = rustls::StreamOwned::new(conn, stream);
                    connection(&mut s, &state);
                }
                None => {
                    let mut s = stream;
                    connection(&mut s, &state);
                }
            });
        }
    });
    Peer { url, seen }
}

fn connection<S: Read + Write>(stream: &mut S, state: &State) {
    loop {
        let mut reader = BufReader::new(&mut *stream);
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or_default().to_string();
        let target = parts.next().unwrap_or_default().to_string();
        let mut length = 0usize;
        let mut authorization = None;
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).unwrap_or(0) == 0 {
                return;
            }
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((name, value)) = h.split_once(':') {
                let name = name.trim().to_ascii_lowercase();
                if name == "content-length" {
                    length = value.trim().parse().unwrap_or(0);
                } else if name == "authorization" {
                    authorization = Some(value.trim().to_string());
                }
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        drop(reader);
        let body = percent_decode(&String::from_utf8_lossy(&body));
        let reply = state.answer(&method, &target, authorization.as_deref(), &body);
        state.seen.lock().unwrap().push(Seen {
            method: method.clone(),
            target: target.clone(),
            authorization,
            status: reply.status,
        });
        match reply.wire {
            Wire::Reset => return,
            Wire::Silent => {
                std::thread::sleep(std::time::Duration::from_secs(600));
                return;
            }
            _ => {}
        }
        let promised = match reply.wire {
            Wire::Truncated => reply.body.len() * 2 + 100,
            _ => reply.body.len(),
        };
        let mut head = format!(
            "HTTP/1.1 {} X\r\nContent-Length: {promised}\r\n",
            reply.status
        );
        for (n, v) in &reply.headers {
            head.push_str(&format!("{n}: {v}\r\n"));
        }
        head.push_str("\r\n");
        if stream.write_all(head.as_bytes()).is_err()
            || stream.write_all(reply.body.as_bytes()).is_err()
            || stream.flush().is_err()
            || reply.wire == Wire::Truncated
        {
            return;
        }
    }
}

impl State {
    fn answer(&self, method: &str, target: &str, authorization: Option<&str>, body: &str) -> Reply {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let query = percent_decode(query);
        let found = self.routes.iter().enumerate().find(|(_, r)| {
            (r.method == method || r.method == "*")
                && (r.path == path || r.path == "*")
                && r.query.as_deref().is_none_or(|q| query.contains(q))
                && (r.authorization.is_none() || r.authorization.as_deref() == authorization)
                && r.body.as_deref().is_none_or(|b| body.contains(b))
        });
        let Some((i, r)) = found else {
            return Reply::json(
                404,
                format!(
                    r#"{{"error":{{"code":404,"message":"no recorded answer for {method} {path}","status":"NOT_FOUND"}}}}"#
                ),
            );
        };
        let mut served = self.served.lock().unwrap();
        let n = served.entry(i).or_insert(0);
        let reply = r.replies[(*n).min(r.replies.len() - 1)].clone();
        *n += 1;
        reply
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A throwaway CA and a leaf certificate for 127.0.0.1: the server config, and the CA in PEM
/// for the client to trust.
pub fn tls() -> (Arc<rustls::ServerConfig>, String) {
    use rcgen::{
        BasicConstraints, CertificateParams, ExtendedKeyUsagePurpose, IsCa, KeyPair,
        KeyUsagePurpose, SanType,
    };
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    ca.distinguished_name
        .push(rcgen::DnType::CommonName, "hipaa-scan test CA");
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let issuer = rcgen::Issuer::new(ca, ca_key);

    let leaf_key = KeyPair::generate().unwrap();
    let mut leaf = CertificateParams::new(Vec::<String>::new()).unwrap();
    leaf.subject_alt_names = vec![SanType::IpAddress("127.0.0.1".parse().unwrap())];
    leaf.is_ca = IsCa::ExplicitNoCa;
    leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    leaf.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    let leaf_cert = leaf.signed_by(&leaf_key, &issuer).unwrap();

    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![leaf_cert.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into()),
        )
        .unwrap();
    (Arc::new(config), ca_cert.pem())
}
