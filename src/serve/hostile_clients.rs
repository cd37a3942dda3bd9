//! Clients that do not behave, against a server started in this process on a loopback port.
//! Every socket has a read timeout and every loop a bound, so each test stops by itself.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::diagnostics::Diagnostics;
use crate::incremental::Output;
use crate::output::{Contents, OutputFile};
use crate::serve::server::{Server, ServerOptions};

const BIG: usize = 8 * 1024 * 1024;
const PATIENCE: Duration = Duration::from_secs(20);

/// The tests measure the process's memory and load the machine, so they run one at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

struct Preview {
    _root: tempfile::TempDir,
    _server: Server,
    port: u16,
}

fn start() -> Preview {
    let root = tempfile::tempdir().unwrap();
    let server = Server::start(&ServerOptions {
        bind: "127.0.0.1".into(),
        port: 0,
        site_root: root.path().to_path_buf(),
    })
    .unwrap();
    let file = |path: &str, bytes: Vec<u8>| OutputFile {
        path: path.into(),
        contents: Contents::Bytes(bytes),
    };
    server.publish(Output {
        complete: true,
        files: vec![
            file("index.html", b"<html><body>Home</body></html>".to_vec()),
            file("big.bin", vec![7; BIG]),
        ],
        removed: Vec::new(),
        pages_rendered: 1,
        draft_pages: BTreeSet::new(),
        left_out_drafts: Default::default(),
        touched: BTreeSet::new(),
        new_warnings: Diagnostics::default(),
    });
    let port = server.url().rsplit(':').next().unwrap();
    let port = port.trim_end_matches('/').parse().unwrap();
    Preview {
        _root: root,
        _server: server,
        port,
    }
}

impl Preview {
    fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        stream
    }

    fn get(&self, target: &str, extra: &str) -> String {
        format!(
            "GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n{extra}\r\n",
            self.port
        )
    }
}

/// Reads one response, its body measured by `Content-Length`: (head, body).
fn read_response(stream: &mut TcpStream) -> (String, Vec<u8>) {
    let mut bytes = Vec::new();
    let mut byte = [0u8; 1];
    while !bytes.ends_with(b"\r\n\r\n") {
        assert_eq!(stream.read(&mut byte).unwrap(), 1, "closed after {bytes:?}");
        bytes.push(byte[0]);
    }
    let head = String::from_utf8(bytes).unwrap();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("Content-Length: "))
        .map_or(0, |l| l.parse().unwrap());
    let mut body = vec![0; length];
    stream.read_exact(&mut body).unwrap();
    (head, body)
}

#[test]
fn answers_two_requests_on_one_kept_alive_connection() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let preview = start();
    let mut stream = preview.connect();
    stream.write_all(preview.get("/", "").as_bytes()).unwrap();
    let (head, body) = read_response(&mut stream);
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
    assert!(!head.contains("Connection: close"), "{head}");
    assert!(String::from_utf8_lossy(&body).contains("Home"));
    // Sent together, as pipelining clients do.
    let both = preview.get("/big.bin", "") + &preview.get("/", "");
    stream.write_all(both.as_bytes()).unwrap();
    let (head, body) = read_response(&mut stream);
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
    assert_eq!(body.len(), BIG);
    let (head, _) = read_response(&mut stream);
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
}

#[test]
fn answers_a_kept_alive_connection_without_delay() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let preview = start();
    let mut stream = preview.connect();
    let started = Instant::now();
    for _ in 0..50 {
        stream.write_all(preview.get("/", "").as_bytes()).unwrap();
        assert!(read_response(&mut stream).0.starts_with("HTTP/1.1 200"));
    }
    // Held back by Nagle's algorithm until the client's delayed acknowledgement, each response
    // would take 40 ms: 2 s in all.
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "50 requests took {:?}",
        started.elapsed()
    );
}

#[test]
fn closes_the_connection_when_the_response_says_so() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let preview = start();
    for request in [
        preview.get("/", "Connection: close\r\n"),
        "GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".to_string(),
    ] {
        let mut stream = preview.connect();
        stream.write_all(request.as_bytes()).unwrap();
        let started = Instant::now();
        let (head, _) = read_response(&mut stream);
        assert!(head.contains("\r\nConnection: close\r\n"), "{head}");
        let mut rest = Vec::new();
        stream.read_to_end(&mut rest).unwrap();
        assert!(rest.is_empty(), "{rest:?}");
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "the client waited {:?} for the close",
            started.elapsed()
        );
    }
}

#[test]
fn refuses_an_oversized_head_without_reading_it() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let preview = start();
    let before = resident_bytes();
    let mut stream = preview.connect();
    let mut sending = stream.try_clone().unwrap();
    let start = preview.get("/", "X-Filler: ");
    let start = start.trim_end_matches("\r\n").to_string();
    let header_size = 64 * 1024 * 1024;
    let sender = std::thread::spawn(move || {
        sending.write_all(start.as_bytes()).unwrap();
        let chunk = vec![b'a'; 64 * 1024];
        let mut sent = 0;
        while sent < header_size && sending.write_all(&chunk).is_ok() {
            sent += chunk.len();
        }
        sent
    });
    let mut reply = Vec::new();
    // The server may reset the connection once the response is sent: what came before counts.
    let _ = stream.read_to_end(&mut reply);
    let reply = String::from_utf8_lossy(&reply);
    assert!(
        reply.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n"),
        "{reply}"
    );
    assert!(reply.contains("\r\nConnection: close\r\n"), "{reply}");
    let sent = sender.join().unwrap();
    assert!(sent < header_size / 2, "the server read {sent} bytes");
    if let (Some(before), Some(after)) = (before, resident_bytes()) {
        let grown = after.saturating_sub(before);
        assert!(grown < 16 * 1024 * 1024, "memory grew by {grown} bytes");
    }
    let mut fresh = preview.connect();
    fresh.write_all(preview.get("/", "").as_bytes()).unwrap();
    assert!(read_response(&mut fresh).0.starts_with("HTTP/1.1 200"));
}

#[test]
fn answers_at_once_while_clients_stall_on_a_big_file() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let preview = start();
    let stalled: Vec<TcpStream> = (0..32)
        .map(|_| {
            let mut stream = preview.connect();
            stream
                .write_all(preview.get("/big.bin", "").as_bytes())
                .unwrap();
            stream
        })
        .collect();
    // Long enough for the server to fill every socket buffer and block on each.
    std::thread::sleep(Duration::from_millis(500));
    let started = Instant::now();
    let mut fresh = preview.connect();
    fresh
        .set_read_timeout(Some(Duration::from_secs(3)))
        .unwrap();
    fresh
        .write_all(preview.get("/", "Connection: close\r\n").as_bytes())
        .unwrap();
    let (head, body) = read_response(&mut fresh);
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
    assert!(String::from_utf8_lossy(&body).contains("Home"));
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "answered after {:?}",
        started.elapsed()
    );
    drop(stalled);
}

#[test]
fn refuses_connections_beyond_the_limit_at_once() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let preview = start();
    let idle: Vec<TcpStream> = (0..crate::serve::connections::MAX_CONNECTIONS)
        .map(|_| preview.connect())
        .collect();
    let started = Instant::now();
    // Connections are admitted in order, so this one finds every place taken.
    let mut busy = preview.connect();
    let mut reply = Vec::new();
    let _ = busy.read_to_end(&mut reply);
    let reply = String::from_utf8_lossy(&reply);
    assert!(reply.starts_with("HTTP/1.1 503 "), "{reply}");
    assert!(started.elapsed() < Duration::from_secs(3));
    drop(idle);
    let served = (0..100).any(|_| {
        std::thread::sleep(Duration::from_millis(20));
        let mut stream = preview.connect();
        let request = preview.get("/", "Connection: close\r\n");
        stream.write_all(request.as_bytes()).is_ok()
            && read_response(&mut stream).0.starts_with("HTTP/1.1 200")
    });
    assert!(served, "closed connections gave their places back");
}

#[test]
fn refuses_malformed_requests_and_other_versions() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let preview = start();
    for (request, status) in [
        ("NONSENSE\r\n\r\n", "400"),
        // tiny_http closes without an answer on text that is not ASCII.
        ("GET / HTTP/1.1\r\nX-Name: caf\u{e9}\r\n\r\n", "400"),
        ("GET / HTTP/1.1\r\nno colon here\r\n\r\n", "400"),
        // Refused before tiny_http, whose connection thread would hang on it.
        ("GET / HTTP/2.0\r\nHost: 127.0.0.1\r\n\r\n", "505"),
        ("GET / HTTP/3.0\r\nHost: 127.0.0.1\r\n\r\n", "505"),
        // Refused before tiny_http, which drops requests whose body it is not given.
        (
            "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nhello",
            "405",
        ),
    ] {
        let mut stream = preview.connect();
        stream.write_all(request.as_bytes()).unwrap();
        let mut reply = Vec::new();
        let _ = stream.read_to_end(&mut reply);
        let reply = String::from_utf8_lossy(&reply);
        assert!(
            reply.starts_with(&format!("HTTP/1.1 {status} ")),
            "{request:?}: {reply}"
        );
    }
}

/// The process's resident memory, where the system tells it.
fn resident_bytes() -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kilobytes: usize = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes * 1024)
}
