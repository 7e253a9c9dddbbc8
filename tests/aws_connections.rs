//! Open connections stay bounded: every AWS call of a scan goes through one HTTP client with a
//! process-wide bound on requests in flight (`--max-connections`). A TCP proxy in front of moto
//! counts the connections the scanner holds open at once.

mod common;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::moto::Moto;

/// A proxy to `target` that counts connections open at once; every request waits `delay`, so
/// calls overlap as they would against a distant endpoint.
struct Proxy {
    url: String,
    peak: Arc<AtomicUsize>,
    total: Arc<AtomicUsize>,
}

fn proxy(target: &str, delay: Duration) -> Proxy {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let target = target.trim_start_matches("http://").to_string();
    let open = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let total = Arc::new(AtomicUsize::new(0));
    let (p, t) = (peak.clone(), total.clone());
    std::thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(client) = client else { continue };
            let Ok(server) = TcpStream::connect(&target) else {
                continue;
            };
            let now = open.fetch_add(1, Ordering::SeqCst) + 1;
            p.fetch_max(now, Ordering::SeqCst);
            t.fetch_add(1, Ordering::SeqCst);
            let open = open.clone();
            let (c2, s2) = (client.try_clone().unwrap(), server.try_clone().unwrap());
            // Requests: client to server, each delayed; answers: straight back.
            let up = std::thread::spawn(move || pump(client, server, delay));
            std::thread::spawn(move || {
                pump(s2, c2, Duration::ZERO);
                let _ = up.join();
                open.fetch_sub(1, Ordering::SeqCst);
            });
        }
    });
    Proxy { url, peak, total }
}

fn pump(mut from: TcpStream, mut to: TcpStream, delay: Duration) {
    let mut buf = [0u8; 16384];
    loop {
        match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                std::thread::sleep(delay);
                if to.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
        }
    }
    let _ = to.shutdown(Shutdown::Write);
    let _ = from.shutdown(Shutdown::Read);
}

fn peak_connections(moto: &Moto, extra: &[&str]) -> (usize, usize) {
    let p = proxy(&moto.url, Duration::from_millis(40));
    let mut args = vec![
        "--region",
        "us-west-2",
        "--region",
        "eu-west-1",
        "--call-timeout",
        "60",
    ];
    args.extend_from_slice(extra);
    let (code, json) = common::moto::scan_at(&p.url, "AKIDCONN", "secret", &args);
    assert!(code == 0 || code == 1 || code == 3, "exit {code}");
    assert!(json["verdicts"].as_array().is_some_and(|v| !v.is_empty()));
    (
        p.peak.load(Ordering::SeqCst),
        p.total.load(Ordering::SeqCst),
    )
}

#[test]
fn open_connections_stay_within_max_connections() {
    let moto = Moto::start();
    let (bounded, calls) = peak_connections(&moto, &["--max-connections", "2"]);
    // Two busy, and at most two idle kept per endpoint (one endpoint here).
    assert!(
        bounded <= 4,
        "{bounded} connections open at once with --max-connections 2"
    );
    assert!(calls > 0);
    // The bound is what holds them down: the default lets the same scan open more at once.
    let (default, _) = peak_connections(&moto, &[]);
    assert!(
        default > 4,
        "without the bound the scan opened only {default} at once: the test shows nothing"
    );
    eprintln!("peak open connections: {bounded} with --max-connections 2, {default} by default");
}
