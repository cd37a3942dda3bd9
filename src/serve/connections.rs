//! The preview's connections. tiny_http cannot be trusted with them (see `http`), so they are
//! held here, and tiny_http only parses request heads:
//!
//! - Each connection has a thread of its own, up to `MAX_CONNECTIONS`; beyond that the
//!   server answers 503 at once. A client that stops reading holds only its own thread, for
//!   at most `SEND_TIMEOUT` per write, so it can never delay anyone else's answer; no pool
//!   of workers can be filled by clients that do not read.
//! - A request head is read here, within `HEAD_TIMEOUT` and at most `MAX_HEAD` bytes (else
//!   431 and the connection closes, the rest unread), then given to `http::Parser`.
//! - Responses are written here, straight to the client (`Reply`). Connections are kept alive
//!   between requests for HTTP/1.1 clients that do not ask to close, and really closed when
//!   the response says so.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use crate::serve::http::{self, Parsed, Parser, Request};
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

/// Accepts connections. Accepting fails while the process is out of file handles (as does
/// the second handle of a connection just accepted, which is then closed); connections wait
/// in the listener's backlog and are accepted after a pause, rather than the loop spinning
/// or giving up.
fn accept(listener: &TcpListener, front: &Arc<Front>) {
    let mut pause: Option<Duration> = None;
    loop {
        match listener
            .accept()
            .and_then(|(stream, _)| Connection::new(stream))
        {
            Ok(connection) => {
                pause = None;
                admit(connection, front);
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
fn admit(connection: Connection, front: &Arc<Front>) {
    let Some(slot) = Slot::take(&front.open) else {
        // Nonblocking: a 503 fits any socket buffer, and the accepting thread must not wait.
        let mut writer = connection.writer;
        let _ = writer.set_nonblocking(true);
        let busy = Reply::plain(503, "The preview server is busy; try again.");
        let _ = busy.write(&mut writer, false, true);
        return;
    };
    let front = Arc::clone(front);
    // If no thread can be started, the closure is dropped with the stream and the slot.
    let _ = thread::Builder::new()
        .name("preview connection".into())
        .spawn(move || {
            let _slot = slot;
            connection.serve(&front);
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

/// A client's connection, through two handles of its socket, one for each direction: an
/// event stream takes the writer away for good.
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
        // A response is written in two parts, head and body. On a kept-alive connection,
        // Nagle's algorithm would hold the body until the client acknowledges the head, which
        // it delays (40 ms on Linux), for every request.
        stream.set_nodelay(true)?;
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
            if let Some(refusal) = http::refused_before_parsing(&head) {
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
                    let text = "The preview server cannot take the request now; try again.";
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

/// Where the head ends: just past the first empty line.
fn find_end(bytes: &[u8]) -> Option<usize> {
    bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| i + 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_where_a_head_ends() {
        assert_eq!(find_end(b"GET / HTTP/1.1\r\n\r\nrest"), Some(18));
        assert_eq!(find_end(b"GET / HTTP/1.1\r\nHost: a\r\n"), None);
    }
}
