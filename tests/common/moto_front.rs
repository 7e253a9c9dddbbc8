//! An HTTP front for moto: answers the calls moto lacks with recorded answers in the shape AWS
//! sends them, and passes every other request to moto unchanged.
//!
//! moto 5.2 has no IAM Access Analyzer or AWS Artifact at all, and its Systems Manager does not
//! implement `DescribeInstanceInformation`; they answer HTTP 500, which the SDK retries until
//! `--call-timeout`. (API Gateway client certificates are missing too, and moto's DMS sends
//! timestamps the SDK refuses: `tests/aws_edge.rs` records those answers itself.) By default the front answers them as an account without analyzers or
//! managed nodes would; a test records other answers (per region, per page, or an error) with
//! [`super::moto::Moto::answer`].

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

/// One recorded answer.
#[derive(Clone, Debug)]
pub struct Answer {
    /// The signing service in the request's credential scope (`access-analyzer`, `ssm`).
    pub service: &'static str,
    /// The operation: the `X-Amz-Target` header (JSON protocols) or the path (REST protocols).
    pub operation: &'static str,
    /// Only requests signed for this region; `None`: any region.
    pub region: Option<&'static str>,
    /// Only requests whose query string or body contains this (a page token).
    pub needle: Option<String>,
    /// Only requests whose query string and body do not contain this.
    pub absent: Option<String>,
    pub status: u16,
    /// Extra headers, e.g. `x-amzn-ErrorType` for REST JSON errors.
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
}

impl Answer {
    pub fn ok(service: &'static str, operation: &'static str, body: impl Into<String>) -> Answer {
        Answer {
            service,
            operation,
            region: None,
            needle: None,
            absent: None,
            status: 200,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    pub fn in_region(mut self, region: &'static str) -> Answer {
        self.region = Some(region);
        self
    }

    pub fn when(mut self, needle: &str) -> Answer {
        self.needle = Some(needle.to_string());
        self
    }

    /// Only for requests that do not carry `needle`: what a service answers to a request that
    /// leaves a filter out (ACM's default key types), while requests that give it reach moto.
    pub fn unless(mut self, needle: &str) -> Answer {
        self.absent = Some(needle.to_string());
        self
    }

    /// An error as AWS's JSON protocols send it: the code in `x-amzn-ErrorType` and `__type`.
    pub fn error(mut self, status: u16, code: &str, message: &str) -> Answer {
        self.status = status;
        self.headers.push(("x-amzn-ErrorType", code.to_string()));
        self.body = serde_json::json!({ "__type": code, "message": message }).to_string();
        self
    }
}

/// The answers a fresh front gives: no analyzers, no managed nodes, no agreement accepted in
/// AWS Artifact (which moto does not serve either).
pub fn defaults() -> Vec<Answer> {
    vec![
        Answer::ok("access-analyzer", "/analyzer", r#"{"analyzers":[]}"#),
        Answer::ok(
            "artifact",
            "/v1/customer-agreement/list",
            r#"{"customerAgreements":[]}"#,
        ),
        Answer::ok(
            "ssm",
            "AmazonSSM.DescribeInstanceInformation",
            r#"{"InstanceInformationList":[]}"#,
        ),
    ]
}

/// What the front saw of one request it answered itself: (service, region, operation).
pub type Seen = (String, String, String);

pub struct Front {
    pub url: String,
    pub answers: Arc<Mutex<Vec<Answer>>>,
    pub seen: Arc<Mutex<Vec<Seen>>>,
}

/// Starts the front on a free port of 127.0.0.1, in front of moto at `target` (`host:port`).
pub fn start(target: String) -> Front {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let answers = Arc::new(Mutex::new(defaults()));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (a, s) = (answers.clone(), seen.clone());
    std::thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(client) = client else { continue };
            let (target, a, s) = (target.clone(), a.clone(), s.clone());
            std::thread::spawn(move || {
                let _ = handle(client, &target, &a, &s);
            });
        }
    });
    Front { url, answers, seen }
}

/// One request per connection: answered here or passed to moto, then the connection is closed.
fn handle(
    client: TcpStream,
    target: &str,
    answers: &Mutex<Vec<Answer>>,
    seen: &Mutex<Vec<Seen>>,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(client.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut head = vec![request_line.clone()];
    let (mut length, mut chunked) = (0usize, false);
    let (mut auth, mut amz_target) = (String::new(), String::new());
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
        let (name, value) = line.split_once(':').unwrap_or((&line, ""));
        let (name, value) = (name.trim().to_ascii_lowercase(), value.trim().to_string());
        match name.as_str() {
            "content-length" => length = value.parse().unwrap_or(0),
            "transfer-encoding" => chunked = value.eq_ignore_ascii_case("chunked"),
            "authorization" => auth = value,
            "x-amz-target" => amz_target = value,
            // Each request gets its own connection to moto, closed after the answer.
            "connection" => continue,
            _ => {}
        }
        head.push(line);
    }
    head.push("Connection: close\r\n\r\n".into());
    let body = if chunked {
        raw_chunks(&mut reader)?
    } else {
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        body
    };

    // `Credential=KEY/DATE/REGION/SERVICE/aws4_request`
    let scope: Vec<&str> = auth
        .split("Credential=")
        .nth(1)
        .unwrap_or_default()
        .split([',', ' '])
        .next()
        .unwrap_or_default()
        .split('/')
        .collect();
    let (region, service) = (
        scope.get(2).copied().unwrap_or_default(),
        scope.get(3).copied().unwrap_or_default(),
    );
    let target_path = request_line.split_whitespace().nth(1).unwrap_or_default();
    let path = target_path.split('?').next().unwrap_or_default();
    let haystack = format!("{target_path} {}", String::from_utf8_lossy(&body));
    let answer = answers
        .lock()
        .unwrap()
        .iter()
        .rev()
        .find(|a| {
            a.service == service
                && (a.operation == amz_target || a.operation == path)
                && a.region.is_none_or(|r| r == region)
                && a.needle.as_deref().is_none_or(|n| haystack.contains(n))
                && a.absent.as_deref().is_none_or(|n| !haystack.contains(n))
        })
        .cloned();
    let mut client = client;
    match answer {
        Some(a) => {
            seen.lock().unwrap().push((
                service.to_string(),
                region.to_string(),
                a.operation.to_string(),
            ));
            let content_type = if amz_target.is_empty() {
                "application/json"
            } else {
                "application/x-amz-json-1.1"
            };
            let mut out = format!(
                "HTTP/1.1 {} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n",
                a.status,
                a.body.len()
            );
            for (n, v) in &a.headers {
                out.push_str(&format!("{n}: {v}\r\n"));
            }
            out.push_str("\r\n");
            out.push_str(&a.body);
            client.write_all(out.as_bytes())?;
        }
        None => {
            let mut moto = TcpStream::connect(target)?;
            moto.write_all(head.concat().as_bytes())?;
            moto.write_all(&body)?;
            let mut answer = Vec::new();
            moto.read_to_end(&mut answer)?;
            client.write_all(&answer)?;
        }
    }
    client.flush()
}

/// A chunked body as sent (sizes, data and trailer), to pass on unchanged.
fn raw_chunks(reader: &mut impl BufRead) -> std::io::Result<Vec<u8>> {
    let mut raw = Vec::new();
    loop {
        let mut size_line = String::new();
        reader.read_line(&mut size_line)?;
        raw.extend_from_slice(size_line.as_bytes());
        let size = usize::from_str_radix(size_line.trim().split(';').next().unwrap_or("0"), 16)
            .unwrap_or(0);
        if size == 0 {
            // Trailers, up to the empty line.
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line)? == 0 || line == "\r\n" {
                    raw.extend_from_slice(line.as_bytes());
                    return Ok(raw);
                }
                raw.extend_from_slice(line.as_bytes());
            }
        }
        let mut data = vec![0; size + 2];
        reader.read_exact(&mut data)?;
        raw.extend_from_slice(&data);
    }
}
