//! tiny_http, used to parse request heads, and the workarounds that make it usable.
//!
//! tiny_http reads a request head of any size into memory (tiny-http issue 56), has no
//! timeouts, never closes a connection that the client keeps open, gives one thread to every
//! connection without limit, and stops accepting for good when the process runs out of file
//! handles. It hides the socket, so none of that can be mended while it owns the
//! connections: `connections` owns them, reads each head within its limits, and gives it to
//! `Parser` here, which has tiny_http parse it on a loopback connection of its own.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crate::serve::reply::Reply;

/// tiny_http parses a head in microseconds; one not parsed by then means it has stopped.
const PARSE_TIMEOUT: Duration = Duration::from_secs(2);

/// A parsed request, as the site needs it.
pub struct Request {
    method: tiny_http::Method,
    url: String,
    headers: Vec<tiny_http::Header>,
    pub keep_alive: bool,
}

impl Request {
    pub fn is_head(&self) -> bool {
        self.method == tiny_http::Method::Head
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str())
    }
}

/// Requests that tiny_http would mishandle are answered before it sees them:
/// - HTTP versions other than 1.0 and 1.1: tiny_http answers them with 505 on a writer that
///   waits for the refused request to be answered first, so its thread waits forever.
/// - Methods other than GET and HEAD, which may carry a body: the preview reads none, and
///   tiny_http, not given the body a head announces, drops the request without an answer.
pub fn refused_before_parsing(head: &[u8]) -> Option<Reply> {
    let line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    let line = line.trim_ascii();
    let version = line.rsplit(|&b| b == b' ').next().unwrap_or_default();
    if version.starts_with(b"HTTP/") && version != b"HTTP/1.1" && version != b"HTTP/1.0" {
        let text = "The preview speaks HTTP/1.0 and HTTP/1.1.";
        return Some(Reply::plain(505, text));
    }
    let method = line.split(|&b| b == b' ').next().unwrap_or_default();
    if version.starts_with(b"HTTP/") && method != b"GET" && method != b"HEAD" {
        let reply = Reply::plain(405, "The preview only serves pages (GET and HEAD).");
        return Some(reply.with("Allow", "GET, HEAD".into()));
    }
    None
}

/// tiny_http, used to parse request heads only. It listens on a loopback port of its own; each
/// head is sent to it on a connection of its own with a first header naming the connection
/// thread that waits for it, and a secret so no other local program can pose as one.
/// tiny_http's answer to the request is never written (the connection thread answers the
/// client); when tiny_http refuses a head, its refusal (400, 505) is passed on.
pub struct Parser {
    current: Mutex<Tiny>,
    waiting: Mutex<HashMap<u64, SyncSender<tiny_http::Request>>>,
    next: AtomicU64,
    secret: u64,
}

const HANDOVER: &str = "X-Waymark-Handover";

pub enum Parsed {
    Request(Request),
    /// tiny_http's own refusal, or nothing if it closed without one.
    Refused(Vec<u8>),
    Unavailable,
}

impl Parser {
    pub fn start() -> std::io::Result<Arc<Parser>> {
        let parser = Arc::new(Parser {
            current: Mutex::new(Tiny::start()?),
            waiting: Mutex::new(HashMap::new()),
            next: AtomicU64::new(0),
            secret: std::collections::hash_map::RandomState::new().hash_one(std::process::id()),
        });
        let dispatching = Arc::clone(&parser);
        thread::spawn(move || dispatching.dispatch());
        Ok(parser)
    }

    pub fn parse(&self, head: &[u8]) -> Parsed {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let (sender, receiver) = sync_channel(1);
        if let Ok(mut waiting) = self.waiting.lock() {
            waiting.insert(id, sender);
        }
        let parsed = self.exchange(id, head, &receiver);
        if let Ok(mut waiting) = self.waiting.lock() {
            waiting.remove(&id);
        }
        parsed
    }

    /// Sends the head and waits for the request, or for tiny_http's refusal and close. Both
    /// are looked for in turn, every few milliseconds, as they come by different ways.
    fn exchange(&self, id: u64, head: &[u8], receiver: &Receiver<tiny_http::Request>) -> Parsed {
        let tiny = self.current.lock().ok().map(|t| t.clone());
        let Some(tiny) = tiny else {
            return Parsed::Unavailable;
        };
        let send = || -> std::io::Result<TcpStream> {
            let mut socket = TcpStream::connect(tiny.address)?;
            let line = head.iter().position(|&b| b == b'\n').map_or(0, |i| i + 1);
            let mut message = head[..line].to_vec();
            message.extend(format!("{HANDOVER}: {:x}-{id}\r\n", self.secret).bytes());
            message.extend_from_slice(&head[line..]);
            socket.write_all(&message)?;
            // The end of the input tells tiny_http no other request follows.
            socket.shutdown(Shutdown::Write)?;
            socket.set_read_timeout(Some(Duration::from_millis(2)))?;
            Ok(socket)
        };
        let Ok(mut socket) = send() else {
            return Parsed::Unavailable;
        };
        let deadline = Instant::now() + PARSE_TIMEOUT;
        let mut refusal = Vec::new();
        let mut chunk = [0u8; 1024];
        while Instant::now() < deadline {
            if let Ok(request) = receiver.recv_timeout(Duration::from_millis(2)) {
                return Parsed::Request(request.into());
            }
            match socket.read(&mut chunk) {
                Ok(0) => return Parsed::Refused(refusal),
                Ok(read) if refusal.len() < 4096 => refusal.extend_from_slice(&chunk[..read]),
                Ok(_) => {}
                Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock) => {}
                Err(e) if matches!(e.kind(), std::io::ErrorKind::TimedOut) => {}
                Err(_) => return Parsed::Refused(refusal),
            }
        }
        // Unblocking makes `dispatch` start a new server.
        tiny.server.unblock();
        Parsed::Unavailable
    }

    /// Hands each request to the thread waiting for it. tiny_http stops for good after a
    /// failed accept, and its accepting thread panics when it cannot clone a socket (both
    /// happen when the process is out of file handles); the first ends `recv`, the second is
    /// noticed by `exchange`, which unblocks `recv`. A new server is then started, on a port
    /// of its own so the old one, if it still accepts, takes no head meant for the new one.
    fn dispatch(&self) {
        loop {
            let Some(tiny) = self.current.lock().ok().map(|t| t.clone()) else {
                return;
            };
            while let Ok(request) = tiny.server.recv() {
                self.deliver(request);
            }
            let mut pause = Duration::from_millis(50);
            let fresh = loop {
                if let Ok(fresh) = Tiny::start() {
                    break fresh;
                }
                thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_secs(1));
            };
            if let Ok(mut current) = self.current.lock() {
                *current = fresh;
            }
        }
    }

    fn deliver(&self, request: tiny_http::Request) {
        let id = request
            .headers()
            .first()
            .filter(|h| h.field.equiv(HANDOVER))
            .and_then(|h| h.value.as_str().split_once('-'))
            .filter(|(secret, _)| *secret == format!("{:x}", self.secret))
            .and_then(|(_, id)| id.parse::<u64>().ok());
        let waiting = id.and_then(|id| self.waiting.lock().ok()?.get(&id).cloned());
        match waiting {
            Some(sender) => {
                if let Err(TrySendError::Full(r) | TrySendError::Disconnected(r)) =
                    sender.try_send(request)
                {
                    drop(r.into_writer());
                }
            }
            // Not from a connection thread, or it gave up: closed without an answer (dropping
            // a tiny_http request unanswered would write a 500 to nobody).
            None => drop(request.into_writer()),
        }
    }
}

/// A tiny_http server and the loopback address it listens on.
#[derive(Clone)]
struct Tiny {
    server: Arc<tiny_http::Server>,
    address: SocketAddr,
}

impl Tiny {
    fn start() -> std::io::Result<Tiny> {
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        let address = listener.local_addr()?;
        let server = tiny_http::Server::from_listener(listener, None);
        let server = server.map_err(std::io::Error::other)?;
        Ok(Tiny {
            server: Arc::new(server),
            address,
        })
    }
}

impl From<tiny_http::Request> for Request {
    /// Takes what the site needs, and drops tiny_http's request without an answer.
    fn from(request: tiny_http::Request) -> Request {
        let close = request
            .headers()
            .iter()
            .find(|h| h.field.equiv("Connection"))
            .is_some_and(|h| h.value.as_str().to_ascii_lowercase().contains("close"));
        let body = request.body_length().unwrap_or(0) > 0
            || request
                .headers()
                .iter()
                .any(|h| h.field.equiv("Transfer-Encoding"));
        let method = request.method().clone();
        // Only requests known to end with their head leave the connection ready for the next.
        let keep_alive = !close && !body && *request.http_version() == tiny_http::HTTPVersion(1, 1);
        let parsed = Request {
            url: request.url().to_string(),
            headers: request.headers().iter().skip(1).cloned().collect(),
            method,
            keep_alive,
        };
        drop(request.into_writer());
        parsed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parses(parser: &Parser, head: &[u8]) -> Option<String> {
        match parser.parse(head) {
            Parsed::Request(request) => Some(request.url().to_string()),
            _ => None,
        }
    }

    #[test]
    fn starts_a_new_tiny_http_when_the_old_one_stops() {
        let parser = Parser::start().unwrap();
        let head = b"GET /a?b HTTP/1.1\r\nHost: localhost\r\nX-Waymark-Handover: 0-0\r\n\r\n";
        assert_eq!(parses(&parser, head).as_deref(), Some("/a?b"));
        // What `recv` does once tiny_http has stopped accepting.
        parser.current.lock().unwrap().server.unblock();
        let again = (0..50).find_map(|_| parses(&parser, head));
        assert_eq!(again.as_deref(), Some("/a?b"));
    }

    #[test]
    fn gives_the_site_the_client_headers_only() {
        let parser = Parser::start().unwrap();
        let head = b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Waymark-Handover: 1-2\r\n\r\n";
        let Parsed::Request(request) = parser.parse(head) else {
            panic!("not parsed");
        };
        assert_eq!(request.header("host"), Some("localhost"));
        assert_eq!(request.header(HANDOVER), Some("1-2"), "the client's own");
        assert!(request.keep_alive);
    }
}
