//! The preview's connections, and the workarounds that let it use tiny_http.
//!
//! tiny_http reads a request head of any size into memory (tiny-http issue 56), has no
//! timeouts, never closes a connection that the client keeps open, gives one thread to every
//! connection without limit, and stops accepting for good when the process runs out of file
//! handles. It hides the socket, so none of that can be fixed from outside while it owns the
//! connections. So this module owns them, and tiny_http only parses:
//!
//! - Each connection has a thread of its own, up to `MAX_CONNECTIONS`; beyond that the
//!   server answers 503 at once. A client that stops reading holds only its own thread, for
//!   at most `SEND_TIMEOUT` per write, so it can never delay anyone else's answer.
//! - A request head is read here, within `HEAD_TIMEOUT` and at most `MAX_HEAD` bytes (else
//!   431 and the connection closes, the rest unread), then handed to tiny_http to be parsed
//!   over a loopback connection of its own (`Parser`).
//! - Responses are written here, straight to the client (`Reply`). Connections are kept alive
//!   between requests for HTTP/1.1 clients that do not ask to close, and really closed when
//!   the response says so.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crate::serve::reply::Reply;

/// Connections served at once, each by its own thread.
pub const MAX_CONNECTIONS: usize = 256;
/// The largest request head read; real browsers send a few kilobytes.
const MAX_HEAD: usize = 16 * 1024;
/// How long a connection may take to send a whole request head, idle time between requests
/// included.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one write may wait for a client that does not read.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// tiny_http parses a head in microseconds; one not parsed by then means it has stopped.
const PARSE_TIMEOUT: Duration = Duration::from_secs(2);

/// A parsed request, as the site needs it.
pub struct Request {
    method: tiny_http::Method,
    url: String,
    headers: Vec<tiny_http::Header>,
    keep_alive: bool,
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

/// What to do with a request.
pub enum Answer {
    Reply(Reply),
    /// The connection is given away for good (an event stream); it closes when the writer is
    /// dropped.
    HandOver(Box<dyn FnOnce(Box<dyn Write + Send>) + Send>),
}

pub type Handler = Arc<dyn Fn(&Request) -> Answer + Send + Sync>;

struct Front {
    handler: Handler,
    parser: Arc<Parser>,
    open: Arc<AtomicUsize>,
}

/// Serves `listener` with `handler` from threads of its own.
pub fn serve(listener: TcpListener, handler: Handler) -> Result<(), String> {
    let parser = Parser::start().map_err(|e| format!("cannot start the web server: {e}"))?;
    let front = Arc::new(Front {
        handler,
        parser,
        open: Arc::new(AtomicUsize::new(0)),
    });
    thread::spawn(move || accept(&listener, &front));
    Ok(())
}

/// Accepts connections. Accepting fails while the process is out of file handles; the
/// connection then waits in the listener's backlog and is accepted after a pause, rather than
/// the loop spinning or giving up.
fn accept(listener: &TcpListener, front: &Arc<Front>) {
    let mut pause: Option<Duration> = None;
    loop {
        match listener.accept() {
            Ok((stream, _)) => {
                pause = None;
                admit(stream, front);
            }
            Err(error) => {
                let wait = match pause {
                    None => {
                        eprintln!(
                            "The preview server stopped accepting connections ({error}); it \
                             starts listening again."
                        );
                        Duration::from_millis(50)
                    }
                    Some(wait) => (wait * 2).min(Duration::from_secs(1)),
                };
                pause = Some(wait);
                thread::sleep(wait);
            }
        }
    }
}

/// Starts a thread for the connection, or refuses it if `MAX_CONNECTIONS` are open.
fn admit(stream: TcpStream, front: &Arc<Front>) {
    let Some(slot) = Slot::take(&front.open) else {
        // Nonblocking: a 503 fits any socket buffer, and the accepting thread must not wait.
        let _ = stream.set_nonblocking(true);
        let busy = Reply::plain(503, "The preview server is busy; try again.");
        let _ = busy.write(&mut &stream, false, true);
        return;
    };
    let front = Arc::clone(front);
    // If no thread can be started, the closure is dropped with the stream and the slot.
    let _ = thread::Builder::new()
        .name("preview connection".into())
        .spawn(move || {
            let _slot = slot;
            if let Ok(connection) = Connection::new(stream) {
                connection.serve(&front);
            }
        });
}

/// One of the `MAX_CONNECTIONS`, given back when dropped.
struct Slot(Arc<AtomicUsize>);

impl Slot {
    fn take(open: &Arc<AtomicUsize>) -> Option<Slot> {
        let taken = open.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
            (n < MAX_CONNECTIONS).then_some(n + 1)
        });
        taken.ok().map(|_| Slot(Arc::clone(open)))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A client's connection, through two handles of the socket as tiny_http had it: responses
/// go to `writer`, which an event stream takes away, and requests come from `reader`.
struct Connection {
    reader: TcpStream,
    writer: TcpStream,
    /// Bytes read past the end of the last head: the start of the next request.
    pending: Vec<u8>,
}

enum Head {
    Complete(Vec<u8>),
    TooLarge,
    /// Closed, timed out or failed: nobody is left to answer.
    Gone,
}

impl Connection {
    fn new(stream: TcpStream) -> std::io::Result<Connection> {
        stream.set_write_timeout(Some(SEND_TIMEOUT))?;
        Ok(Connection {
            writer: stream.try_clone()?,
            reader: stream,
            pending: Vec::new(),
        })
    }

    fn serve(mut self, front: &Front) {
        loop {
            let head = match self.read_head() {
                Head::Complete(head) => head,
                Head::TooLarge => {
                    let text = "The request's header fields are too large.";
                    return self.finish(Reply::plain(431, text), false);
                }
                Head::Gone => return,
            };
            if let Some(refusal) = refused_before_parsing(&head) {
                return self.finish(refusal, false);
            }
            let request = match front.parser.parse(&head) {
                Parsed::Request(request) => request,
                Parsed::Refused(answer) if answer.is_empty() => {
                    let text = "The request is not one the preview understands.";
                    return self.finish(Reply::plain(400, text), false);
                }
                Parsed::Refused(answer) => {
                    let _ = self.writer.write_all(&answer);
                    return self.close();
                }
                Parsed::Unavailable => {
                    let text = "The preview server is restarting; try again.";
                    return self.finish(Reply::plain(503, text), false);
                }
            };
            match (front.handler)(&request) {
                Answer::HandOver(take) => return take(Box::new(self.writer)),
                Answer::Reply(reply) if request.keep_alive => {
                    if reply
                        .write(&mut self.writer, request.is_head(), false)
                        .is_err()
                    {
                        return;
                    }
                }
                Answer::Reply(reply) => return self.finish(reply, request.is_head()),
            }
        }
    }

    /// Reads up to the empty line that ends a request head, within `HEAD_TIMEOUT`.
    fn read_head(&mut self) -> Head {
        let deadline = Instant::now() + HEAD_TIMEOUT;
        let mut head = std::mem::take(&mut self.pending);
        let mut chunk = [0u8; 4096];
        loop {
            if let Some(end) = find_end(&head) {
                if end > MAX_HEAD {
                    return Head::TooLarge;
                }
                self.pending = head.split_off(end);
                return Head::Complete(head);
            }
            if head.len() > MAX_HEAD {
                return Head::TooLarge;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || self.reader.set_read_timeout(Some(left)).is_err() {
                return Head::Gone;
            }
            match self.reader.read(&mut chunk) {
                Ok(0) | Err(_) => return Head::Gone,
                Ok(read) => head.extend_from_slice(&chunk[..read]),
            }
        }
    }

    /// Sends the last response and closes.
    fn finish(mut self, reply: Reply, head_only: bool) {
        let _ = reply.write(&mut self.writer, head_only, true);
        self.close();
    }

    /// Closes after telling the client so (FIN), and reads briefly what it may still be
    /// sending: closing a socket with unread data resets it, and the client could lose the
    /// response before reading it. The reading is bounded, so a client sending a huge head is
    /// not read to its end.
    fn close(self) {
        let _ = self.writer.shutdown(Shutdown::Write);
        let deadline = Instant::now() + Duration::from_millis(500);
        let mut drained = 0;
        let mut chunk = [0u8; 4096];
        while drained < 64 * 1024 {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || self.reader.set_read_timeout(Some(left)).is_err() {
                return;
            }
            match (&self.reader).read(&mut chunk) {
                Ok(0) | Err(_) => return,
                Ok(read) => drained += read,
            }
        }
    }
}

/// Requests that tiny_http would mishandle are answered before it sees them:
/// - HTTP versions other than 1.0 and 1.1: tiny_http answers them with 505 on a writer that
///   waits for the refused request to be answered first, so its thread waits forever.
/// - Methods other than GET and HEAD, which may carry a body: the preview reads none, and
///   tiny_http, not given the body a head announces, drops the request without an answer.
fn refused_before_parsing(head: &[u8]) -> Option<Reply> {
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

/// Where the head ends: just past the first empty line.
fn find_end(bytes: &[u8]) -> Option<usize> {
    bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| i + 4)
}

/// tiny_http, used to parse request heads only. It listens on a loopback port of its own; each
/// head is sent to it on a connection of its own with a first header naming the connection
/// thread that waits for it, and a secret so no other local program can pose as one.
/// tiny_http's answer to the request is never written (the connection thread answers the
/// client); when tiny_http refuses a head, its refusal (400, 505) is passed on.
struct Parser {
    current: Mutex<Tiny>,
    waiting: Mutex<HashMap<u64, SyncSender<tiny_http::Request>>>,
    next: AtomicU64,
    secret: u64,
}

const HANDOVER: &str = "X-Waymark-Handover";

enum Parsed {
    Request(Request),
    /// tiny_http's own refusal, or nothing if it closed without one.
    Refused(Vec<u8>),
    Unavailable,
}

impl Parser {
    fn start() -> std::io::Result<Arc<Parser>> {
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

    fn parse(&self, head: &[u8]) -> Parsed {
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
                let _ = sender.try_send(request);
            }
            // Not from a connection thread, or it gave up: closed without an answer.
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

    #[test]
    fn finds_where_a_head_ends() {
        assert_eq!(find_end(b"GET / HTTP/1.1\r\n\r\nrest"), Some(18));
        assert_eq!(find_end(b"GET / HTTP/1.1\r\nHost: a\r\n"), None);
    }
}
