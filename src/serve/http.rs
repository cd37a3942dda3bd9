//! The preview's web server (tiny_http). It serves the built site from memory, answers only
//! requests addressed to this machine (a defence against DNS rebinding) and only for files
//! of the site, and adds the preview's extras to pages as it sends them.
//!
//! tiny_http starts a thread for every connection and has no timeouts, so: requests are
//! handled by a fixed pool of workers; every response closes its connection, so no idle
//! keep-alive connection holds a thread; sockets get a send timeout, so a client that stops
//! reading cannot hold a worker; live-reload streams are capped, pinged and renewed; and a
//! watchdog starts a new tiny_http server on the same socket if the old one stops accepting
//! (it does, for good, when the process runs out of file handles).

use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::net::{IpAddr, SocketAddr, TcpListener, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::thread;
use std::time::Duration;

use tiny_http::{Method, Request};

use crate::diagnostics::Diagnostics;
use crate::incremental::Output;
use crate::output::Contents;
use crate::serve::live_reload::{self, Change, Hub};
use crate::serve::overlay::{self, Problems};
use crate::serve::request_path::{self, Target};

/// Where to listen and what may be read.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// Host name or address to bind, e.g. `127.0.0.1`; `0.0.0.0` exposes the preview to the
    /// network.
    pub bind: String,
    /// 0 asks the system for a free port.
    pub port: u16,
    /// Files copied into the site are served only from inside this folder, so a symbolic link
    /// cannot expose anything else.
    pub site_root: PathBuf,
}

/// Requests handled at once; more wait in the queue.
const WORKERS: usize = 8;
/// Requests waiting for a worker; beyond this the server answers 503 at once.
const QUEUE: usize = 1024;
/// Open live-reload streams (each holds a connection).
const MAX_STREAMS: usize = 64;
const PING_EVERY: Duration = Duration::from_secs(15);
const STREAM_MAX_AGE: Duration = Duration::from_secs(300);
const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a request made during the first build waits for it.
const FIRST_BUILD_WAIT: Duration = Duration::from_secs(120);

/// The site as served: the output files in memory and what the preview adds to them.
#[derive(Default)]
struct ServedSite {
    files: HashMap<String, Contents>,
    drafts: BTreeSet<String>,
    /// Problems of the last rebuild, shown over every page until a rebuild succeeds.
    problems: Option<Problems>,
    /// Whether any build has succeeded.
    built: bool,
    generation: u64,
}

struct Shared {
    site: RwLock<ServedSite>,
    /// Set once the first build has finished, well or not.
    settled: (Mutex<bool>, Condvar),
    hub: Hub,
    hosts: Hosts,
    port: u16,
    site_root: PathBuf,
}

pub struct Server {
    shared: Arc<Shared>,
    url: String,
}

impl Server {
    /// Binds and starts serving; until `publish` or `fail` is called, requests wait.
    pub fn start(options: &ServerOptions) -> Result<Server, String> {
        let listener = bind(&options.bind, options.port)?;
        let address = listener
            .local_addr()
            .map_err(|e| format!("cannot read the server's address: {e}"))?;
        let listener = with_send_timeout(listener, SEND_TIMEOUT)?;
        let http = start_http(&listener)?;
        let site_root = options
            .site_root
            .canonicalize()
            .map_err(|e| format!("cannot open {}: {e}", options.site_root.display()))?;
        let shared = Arc::new(Shared {
            site: RwLock::new(ServedSite::default()),
            settled: (Mutex::new(false), Condvar::new()),
            hub: Hub::new(MAX_STREAMS, run_id()),
            hosts: Hosts::for_bind(&options.bind),
            port: address.port(),
            site_root,
        });
        let (queue, requests) = sync_channel::<Request>(QUEUE);
        let requests = Arc::new(Mutex::new(requests));
        for _ in 0..WORKERS {
            let shared = Arc::clone(&shared);
            let requests = Arc::clone(&requests);
            thread::spawn(move || work(&shared, &requests));
        }
        thread::spawn(move || accept(listener, http, &queue));
        let pinged = Arc::clone(&shared);
        thread::spawn(move || {
            loop {
                thread::sleep(PING_EVERY);
                pinged.hub.tick(STREAM_MAX_AGE);
            }
        });
        let url = format!("http://{}/", display_address(&options.bind, address));
        Ok(Server { shared, url })
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// Serves a successful rebuild and tells open pages what changed.
    pub fn publish(&self, output: Output) {
        let change = {
            let Ok(mut site) = self.shared.site.write() else {
                return;
            };
            site.apply(output)
        };
        self.settle();
        if !change.is_empty() {
            self.shared.hub.broadcast(&change);
        }
    }

    /// Keeps serving the last good site, with `problems` over every page.
    pub fn fail(&self, problems: &Diagnostics) {
        let change = {
            let Ok(mut site) = self.shared.site.write() else {
                return;
            };
            site.problems = Some(Problems::new(problems));
            site.generation += 1;
            Change {
                generation: site.generation,
                all: true,
                ..Change::default()
            }
        };
        self.settle();
        self.shared.hub.broadcast(&change);
    }

    fn settle(&self) {
        let (settled, condvar) = &self.shared.settled;
        if let Ok(mut settled) = settled.lock() {
            *settled = true;
            condvar.notify_all();
        }
    }
}

impl ServedSite {
    /// Applies a rebuild's output and says which pages changed.
    fn apply(&mut self, output: Output) -> Change {
        let mut changed: BTreeSet<String> = BTreeSet::new();
        let mut previous = if output.complete {
            std::mem::take(&mut self.files)
        } else {
            HashMap::new()
        };
        for path in &output.removed {
            self.files.remove(path);
            changed.insert(path.clone());
        }
        for file in output.files {
            let before = previous.remove(&file.path);
            let before = before.as_ref().or_else(|| self.files.get(&file.path));
            let same = match (before, &file.contents) {
                (Some(Contents::Bytes(a)), Contents::Bytes(b)) => a == b,
                (Some(Contents::Embedded(a)), Contents::Embedded(b)) => a == b,
                (Some(Contents::CopyOf(a)), Contents::CopyOf(b)) => {
                    a == b && !output.touched.contains(&file.path)
                }
                _ => false,
            };
            if !same {
                changed.insert(file.path.clone());
            }
            self.files.insert(file.path, file.contents);
        }
        changed.extend(previous.into_keys());
        changed.extend(
            self.drafts
                .symmetric_difference(&output.draft_pages)
                .cloned(),
        );
        self.drafts = output.draft_pages;
        let recovered = self.problems.take().is_some() || !self.built;
        self.built = true;
        self.generation += 1;
        let mut change = Change {
            generation: self.generation,
            all: recovered,
            ..Change::default()
        };
        for path in changed {
            match path.rsplit_once('.').map(|(_, e)| e) {
                Some("html") => change.pages.push(path),
                Some("css") => change.styles.push(path),
                // Data that pages link to or fetch but do not show as they load: feeds,
                // calendars, the sitemap and the search index. Reloading would change nothing.
                Some("xml" | "ics" | "json" | "txt") => {}
                _ => change.other = true,
            }
        }
        change
    }
}

/// A name for this run of the server, so pages notice it restarted.
fn run_id() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{}-{nanos:x}", std::process::id())
}

fn bind(host: &str, port: u16) -> Result<TcpListener, String> {
    let addresses: Vec<SocketAddr> = (host, port)
        .to_socket_addrs()
        .map_err(|e| format!("cannot use --bind {host}: {e}"))?
        .collect();
    TcpListener::bind(&addresses[..]).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            format!("port {port} on {host} is in use; choose another with --port")
        } else {
            format!("cannot listen on {host}:{port}: {e}")
        }
    })
}

/// Sockets accepted from the listener inherit its send timeout (on Linux), and tiny_http
/// offers no other way to set one. Accepting is not affected.
#[cfg(unix)]
fn with_send_timeout(listener: TcpListener, timeout: Duration) -> Result<TcpListener, String> {
    use std::net::TcpStream;
    use std::os::fd::OwnedFd;
    let socket = TcpStream::from(OwnedFd::from(listener));
    socket
        .set_write_timeout(Some(timeout))
        .map_err(|e| format!("cannot set the send timeout: {e}"))?;
    Ok(TcpListener::from(OwnedFd::from(socket)))
}

#[cfg(not(unix))]
fn with_send_timeout(listener: TcpListener, _timeout: Duration) -> Result<TcpListener, String> {
    Ok(listener)
}

fn display_address(bind: &str, address: SocketAddr) -> String {
    let host = match address.ip() {
        ip if ip.is_unspecified() => "localhost".to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) if bind.parse::<IpAddr>().is_ok() => ip.to_string(),
        IpAddr::V4(_) => bind.to_string(),
    };
    format!("{host}:{}", address.port())
}

fn start_http(listener: &TcpListener) -> Result<tiny_http::Server, String> {
    let listener = listener
        .try_clone()
        .map_err(|e| format!("cannot start the web server: {e}"))?;
    tiny_http::Server::from_listener(listener, None)
        .map_err(|e| format!("cannot start the web server: {e}"))
}

/// Hands requests to the workers. tiny_http stops accepting for good after a failed accept,
/// or panics in its accepting thread when a socket cannot be cloned (both happen when the
/// process runs out of file handles); a watchdog notices a server that no longer answers and
/// a new one is started on the same socket.
fn accept(listener: TcpListener, http: tiny_http::Server, queue: &SyncSender<Request>) {
    let current = Arc::new(Mutex::new(Arc::new(http)));
    if let Ok(address) = listener.local_addr() {
        let watched = Arc::clone(&current);
        thread::spawn(move || watch_acceptor(address, &watched));
    }
    let mut pause = Duration::from_millis(100);
    loop {
        let Some(http) = current.lock().ok().map(|h| Arc::clone(&h)) else {
            return;
        };
        while let Ok(request) = http.recv() {
            if request.url() == ALIVE_PATH {
                Reply::plain(200, "").send(request);
            } else {
                dispatch(request, queue);
            }
            pause = Duration::from_millis(100);
        }
        eprintln!("The preview server stopped accepting connections; it starts listening again.");
        let fresh = loop {
            thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_secs(5));
            if let Ok(fresh) = start_http(&listener) {
                break fresh;
            }
        };
        if let Ok(mut slot) = current.lock() {
            // Dropping the old server stops its accepting thread, if it still runs.
            *slot = Arc::new(fresh);
        }
    }
}

/// Asked of the server by its own watchdog; answered before anything else.
const ALIVE_PATH: &str = "/__waymark/alive";
const WATCHDOG_EVERY: Duration = Duration::from_secs(1);

/// Asks the server for `ALIVE_PATH` every few seconds; after two unanswered asks in a row,
/// unblocks the accept loop so it starts a new server.
fn watch_acceptor(address: SocketAddr, current: &Mutex<Arc<tiny_http::Server>>) {
    let mut unanswered = 0;
    loop {
        thread::sleep(WATCHDOG_EVERY);
        unanswered = if answers(address) { 0 } else { unanswered + 1 };
        if unanswered >= 2 {
            unanswered = 0;
            if let Ok(server) = current.lock() {
                server.unblock();
            }
        }
    }
}

fn answers(address: SocketAddr) -> bool {
    let ask = || -> std::io::Result<bool> {
        let mut stream = std::net::TcpStream::connect_timeout(&address, WATCHDOG_EVERY)?;
        stream.set_read_timeout(Some(WATCHDOG_EVERY))?;
        let request = format!("GET {ALIVE_PATH} HTTP/1.1\r\nHost: {address}\r\n\r\n");
        stream.write_all(request.as_bytes())?;
        let mut head = [0u8; 12];
        std::io::Read::read_exact(&mut stream, &mut head)?;
        Ok(head.starts_with(b"HTTP/1.1 200"))
    };
    ask().unwrap_or(false)
}

fn dispatch(request: Request, queue: &SyncSender<Request>) {
    if let Err(TrySendError::Full(request)) = queue.try_send(request) {
        Reply::plain(503, "The preview server is busy; try again.").send(request);
    }
}

fn work(shared: &Shared, requests: &Mutex<Receiver<Request>>) {
    loop {
        let request = match requests.lock() {
            Ok(requests) => match requests.recv() {
                Ok(request) => request,
                Err(_) => return,
            },
            Err(_) => return,
        };
        handle(shared, request);
    }
}

fn handle(shared: &Shared, request: Request) {
    let host = header(&request, "Host");
    if !host.is_some_and(|h| shared.hosts.allows(h)) {
        let text = "This preview answers only to requests for localhost or the address it was \
                    started on (--bind), so other web sites cannot read it.";
        Reply::plain(403, text).send(request);
        return;
    }
    if !matches!(request.method(), Method::Get | Method::Head) {
        Reply::plain(405, "The preview only serves pages (GET and HEAD).")
            .with("Allow", "GET, HEAD".into())
            .send(request);
        return;
    }
    wait_for_first_build(shared);
    let url = request.url().to_string();
    if url.split('?').next() == Some(live_reload::EVENTS_PATH) {
        open_stream(shared, request);
        return;
    }
    let Ok(site) = shared.site.read() else {
        Reply::plain(500, "The preview server failed.").send(request);
        return;
    };
    if !site.built {
        let problems = site.problems.clone();
        let generation = site.generation;
        drop(site);
        let (status, page) = match problems {
            Some(problems) => (500, overlay::problems_page(&problems)),
            None => (503, overlay::not_built_page()),
        };
        let script = live_reload::script("", generation, shared.hub.instance());
        let html = overlay::insert(&page, "", &script);
        Reply::html(status, html).send(request);
        return;
    }
    let reply = match request_path::resolve(&url, |path| site.files.contains_key(path)) {
        Target::File(path) => file_response(shared, &site, &path, 200),
        Target::Redirect(location) => {
            Some(Reply::plain(301, "Moved to the folder's address.").with("Location", location))
        }
        Target::NotFound => None,
    };
    let reply = reply
        .or_else(|| file_response(shared, &site, "404.html", 404))
        .unwrap_or_else(|| Reply::plain(404, "Not found."));
    drop(site);
    reply.send(request);
}

fn wait_for_first_build(shared: &Shared) {
    let (settled, condvar) = &shared.settled;
    let Ok(guard) = settled.lock() else { return };
    let _ = condvar.wait_timeout_while(guard, FIRST_BUILD_WAIT, |settled| !*settled);
}

/// The response for one output file; HTML pages get the preview's additions.
fn file_response(shared: &Shared, site: &ServedSite, path: &str, status: u16) -> Option<Reply> {
    let contents = site.files.get(path)?;
    let content_type = request_path::content_type(path);
    if content_type.starts_with("text/html") {
        let copied;
        let bytes: &[u8] = match contents {
            Contents::Bytes(bytes) => bytes,
            Contents::Embedded(bytes) => bytes,
            Contents::CopyOf(_) => {
                copied = read_copied(shared, contents)?;
                &copied
            }
        };
        let html = String::from_utf8_lossy(bytes);
        let top = if site.drafts.contains(path) {
            overlay::draft_banner()
        } else {
            String::new()
        };
        let mut bottom = live_reload::script(path, site.generation, shared.hub.instance());
        if let Some(problems) = &site.problems {
            bottom.push_str(&overlay::overlay(problems));
        }
        return Some(Reply::html(status, overlay::insert(&html, &top, &bottom)));
    }
    let body = match contents {
        Contents::Bytes(bytes) => Payload::Owned(bytes.clone()),
        Contents::Embedded(bytes) => Payload::Static(bytes),
        Contents::CopyOf(source) => {
            let file = open_copied(shared, source)?;
            let length = file.metadata().ok()?.len();
            Payload::File(file, length)
        }
    };
    Some(Reply {
        status,
        content_type,
        extra: None,
        body,
    })
}

fn read_copied(shared: &Shared, contents: &Contents) -> Option<Vec<u8>> {
    let Contents::CopyOf(source) = contents else {
        return None;
    };
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut open_copied(shared, source)?, &mut bytes).ok()?;
    Some(bytes)
}

/// Opens a file the site copies, only if it really is inside the site's folder: a symbolic
/// link in `static/` or `content/` pointing elsewhere is not followed.
fn open_copied(shared: &Shared, source: &Path) -> Option<std::fs::File> {
    let real = source.canonicalize().ok()?;
    if !real.starts_with(&shared.site_root) {
        return None;
    }
    std::fs::File::open(real).ok()
}

fn open_stream(shared: &Shared, request: Request) {
    if !origin_allowed(shared, &request) {
        Reply::plain(403, "Live reload is only for pages of this preview.").send(request);
        return;
    }
    if shared.hub.is_full() {
        Reply::plain(503, "Too many open pages are waiting for changes.").send(request);
        return;
    }
    let generation = shared.site.read().map_or(0, |s| s.generation);
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\
                Cache-Control: no-store\r\nConnection: close\r\n\
                X-Content-Type-Options: nosniff\r\n\r\n";
    if writer.write_all(head.as_bytes()).is_ok() {
        shared.hub.add(writer, generation);
    }
}

/// Browsers send `Origin` (or `Sec-Fetch-Site`) with cross-site requests for event streams;
/// only this preview's own pages may listen.
fn origin_allowed(shared: &Shared, request: &Request) -> bool {
    if let Some(origin) = header(request, "Origin") {
        let Some(host) = origin.strip_prefix("http://") else {
            return false;
        };
        let port_matches = split_port(host).1 == Some(shared.port);
        return port_matches && shared.hosts.allows(host);
    }
    match header(request, "Sec-Fetch-Site") {
        Some(site) => site.eq_ignore_ascii_case("same-origin") || site.eq_ignore_ascii_case("none"),
        None => true,
    }
}

/// The host names the preview answers to. Addresses written as numbers cannot be used for
/// DNS rebinding, and `localhost` names never leave the machine; any other name must be the
/// one given to `--bind`.
#[derive(Debug)]
struct Hosts {
    named: Option<String>,
}

impl Hosts {
    fn for_bind(bind: &str) -> Hosts {
        let bind = bind.trim_start_matches('[').trim_end_matches(']');
        let named = bind
            .parse::<IpAddr>()
            .is_err()
            .then(|| bind.to_ascii_lowercase());
        Hosts { named }
    }

    /// `host` is a `Host` header value: a name or address, with an optional port.
    fn allows(&self, host: &str) -> bool {
        let (name, _) = split_port(host);
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        let literal = name
            .strip_prefix('[')
            .and_then(|n| n.strip_suffix(']'))
            .map_or_else(
                || name.parse::<std::net::Ipv4Addr>().is_ok(),
                |n| n.parse::<std::net::Ipv6Addr>().is_ok(),
            );
        literal
            || name == "localhost"
            || name.ends_with(".localhost")
            || self.named.as_deref() == Some(name.as_str())
    }
}

/// `example:8080` → (`example`, Some(8080)); `[::1]:80` → (`[::1]`, Some(80)).
fn split_port(host: &str) -> (&str, Option<u16>) {
    let bracket_end = host.rfind(']').unwrap_or(0);
    match host.rfind(':') {
        Some(colon) if colon > bracket_end => {
            let port = host[colon + 1..].parse().ok();
            if port.is_some() {
                (&host[..colon], port)
            } else {
                (host, None)
            }
        }
        _ => (host, None),
    }
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request
        .headers()
        .iter()
        .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str())
}

/// A response. The preview writes responses itself, because tiny_http will not send
/// `Connection: close`, and closing after each response leaves no idle connection holding one
/// of its threads.
struct Reply {
    status: u16,
    content_type: &'static str,
    /// One more header (`Location`, `Allow`); values are ASCII by construction.
    extra: Option<(&'static str, String)>,
    body: Payload,
}

enum Payload {
    Owned(Vec<u8>),
    Static(&'static [u8]),
    File(std::fs::File, u64),
}

impl Reply {
    fn plain(status: u16, text: &str) -> Reply {
        Reply {
            status,
            content_type: "text/plain; charset=utf-8",
            extra: None,
            body: Payload::Owned(text.as_bytes().to_vec()),
        }
    }

    fn html(status: u16, html: String) -> Reply {
        Reply {
            status,
            content_type: "text/html; charset=utf-8",
            extra: None,
            body: Payload::Owned(html.into_bytes()),
        }
    }

    fn with(mut self, name: &'static str, value: String) -> Reply {
        self.extra = Some((name, value));
        self
    }

    fn send(self, request: Request) {
        let head_only = *request.method() == Method::Head;
        let mut writer = request.into_writer();
        // The client may have gone; there is no one left to tell.
        let _ = self.write(&mut writer, head_only);
    }

    fn write(self, writer: &mut dyn Write, head_only: bool) -> std::io::Result<()> {
        let length = match &self.body {
            Payload::Owned(bytes) => bytes.len() as u64,
            Payload::Static(bytes) => bytes.len() as u64,
            Payload::File(_, length) => *length,
        };
        let mut head = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {length}\r\n\
             Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\
             Connection: close\r\n",
            self.status,
            reason(self.status),
            self.content_type
        );
        if let Some((name, value)) = &self.extra {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        writer.write_all(head.as_bytes())?;
        if !head_only {
            match self.body {
                Payload::Owned(bytes) => writer.write_all(&bytes)?,
                Payload::Static(bytes) => writer.write_all(bytes)?,
                Payload::File(mut file, _) => {
                    std::io::copy(&mut file, writer)?;
                }
            }
        }
        writer.flush()
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_only_to_local_names_and_addresses() {
        let hosts = Hosts::for_bind("127.0.0.1");
        for host in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LOCALHOST",
            "[::1]:1111",
            "app.localhost",
            "192.168.1.5:1111",
        ] {
            assert!(hosts.allows(host), "{host}");
        }
        for host in [
            "evil.example:1111",
            "evil.example",
            "127.0.0.1.evil.example",
            "localhost.evil.example",
            "",
        ] {
            assert!(!hosts.allows(host), "{host}");
        }
        assert!(Hosts::for_bind("preview.lan").allows("Preview.LAN:1111"));
    }

    #[test]
    fn writes_responses_that_close_and_omit_the_body_for_head() {
        let reply = || Reply::plain(301, "Moved.").with("Location", "/x/".into());
        let mut full = Vec::new();
        reply().write(&mut full, false).unwrap();
        let full = String::from_utf8(full).unwrap();
        assert!(
            full.starts_with("HTTP/1.1 301 Moved Permanently\r\n"),
            "{full}"
        );
        assert!(full.contains("\r\nConnection: close\r\n"));
        assert!(full.contains("\r\nCache-Control: no-store\r\n"));
        assert!(full.contains("\r\nLocation: /x/\r\n"));
        assert!(full.contains("\r\nContent-Length: 6\r\n"));
        assert!(full.ends_with("\r\n\r\nMoved."));
        let mut head = Vec::new();
        reply().write(&mut head, true).unwrap();
        assert!(String::from_utf8(head).unwrap().ends_with("Content-Length: 6\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\nLocation: /x/\r\n\r\n"));
    }

    #[test]
    fn splits_ports() {
        assert_eq!(split_port("a:80"), ("a", Some(80)));
        assert_eq!(split_port("[::1]:80"), ("[::1]", Some(80)));
        assert_eq!(split_port("[::1]"), ("[::1]", None));
        assert_eq!(split_port("a"), ("a", None));
    }

    #[test]
    fn reports_changed_pages_styles_and_drafts() {
        let mut site = ServedSite::default();
        let output = |files: Vec<(&str, &str)>, complete| Output {
            complete,
            files: files
                .into_iter()
                .map(|(path, text)| crate::output::OutputFile {
                    path: path.into(),
                    contents: Contents::Bytes(text.as_bytes().to_vec()),
                })
                .collect(),
            removed: Vec::new(),
            pages_rendered: 0,
            draft_pages: BTreeSet::new(),
            touched: BTreeSet::new(),
            new_warnings: Diagnostics::default(),
        };
        let first = site.apply(output(vec![("index.html", "a"), ("style.css", "s")], true));
        assert!(first.all, "the first build reloads everything");
        let second = site.apply(output(
            vec![
                ("index.html", "a"),
                ("x/index.html", "b"),
                ("style.css", "t"),
            ],
            true,
        ));
        assert!(!second.all);
        assert_eq!(second.pages, vec!["x/index.html".to_string()]);
        assert_eq!(second.styles, vec!["style.css".to_string()]);
        let third = site.apply(output(vec![("index.html", "a")], false));
        assert!(third.is_empty(), "{third:?}");
    }
}
