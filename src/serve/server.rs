//! The preview's web server: serves the built site from memory to requests addressed to this
//! machine, only for files of the site, and tells open pages what each rebuild changed.
//! Connections and HTTP are `http`'s; this is what the answers are.

use std::net::{IpAddr, SocketAddr, TcpListener, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::thread;
use std::time::Duration;

use crate::diagnostics::Diagnostics;
use crate::incremental::Output;
use crate::routes;
use crate::serve::connections::{self, Answer};
use crate::serve::events;
use crate::serve::hosts::Hosts;
use crate::serve::http::Request;
use crate::serve::live_reload::{self, Change, Hub};
use crate::serve::overlay::{self, Problems};
use crate::serve::reply::Reply;
use crate::serve::request_path::{self, Target};
use crate::serve::site::{Context, ServedSite};

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

/// Open live-reload streams (each holds a connection).
const MAX_STREAMS: usize = 64;
const PING_EVERY: Duration = Duration::from_secs(15);
const STREAM_MAX_AGE: Duration = Duration::from_secs(300);
/// How long a request made during the first build waits for it.
const FIRST_BUILD_WAIT: Duration = Duration::from_secs(120);

struct Shared {
    site: RwLock<ServedSite>,
    /// Set once the first build has finished, well or not.
    settled: (Mutex<bool>, Condvar),
    hub: Arc<Hub>,
    hosts: Hosts,
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
        let site_root = options
            .site_root
            .canonicalize()
            .map_err(|e| format!("cannot open {}: {e}", options.site_root.display()))?;
        let shared = Arc::new(Shared {
            site: RwLock::new(ServedSite::default()),
            settled: (Mutex::new(false), Condvar::new()),
            hub: Arc::new(Hub::new(MAX_STREAMS, run_id())),
            hosts: Hosts::for_bind(&options.bind, address.port()),
            site_root,
        });
        let handling = Arc::clone(&shared);
        connections::serve(
            listener,
            Arc::new(move |request| handle(&handling, request)),
        )?;
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

    /// Serves a successful rebuild, with the site's `warnings` (every one, not only the new),
    /// and tells open pages what changed.
    pub fn publish_build(&self, output: Output, warnings: &Diagnostics) {
        self.apply(output, Some(Problems::warnings(warnings)));
    }

    /// Serves more files of the last build (its search index) and tells open pages.
    pub fn publish(&self, output: Output) {
        self.apply(output, None);
    }

    /// `warnings` is `None` when they stay as they were.
    fn apply(&self, output: Output, warnings: Option<Option<Problems>>) {
        let change = {
            let Ok(mut site) = self.shared.site.write() else {
                return;
            };
            let mut change = site.apply(output);
            if let Some(warnings) = warnings {
                // Every page shows the warnings notice, or shows it no more.
                change.all |= site.set_warnings(warnings);
            }
            change
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

fn display_address(bind: &str, address: SocketAddr) -> String {
    let host = match address.ip() {
        ip if ip.is_unspecified() => "localhost".to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) if bind.parse::<IpAddr>().is_ok() => ip.to_string(),
        IpAddr::V4(_) => bind.to_string(),
    };
    format!("{host}:{}", address.port())
}

fn handle(shared: &Arc<Shared>, request: &Request) -> Answer {
    if !request
        .header("Host")
        .is_some_and(|h| shared.hosts.allows(h))
    {
        let text = "This preview answers only to requests for localhost or the address it was \
                    started on (--bind), so other web sites cannot read it.";
        return Answer::Reply(Reply::plain(403, text));
    }
    wait_for_first_build(shared);
    if request.url().split('?').next() == Some(live_reload::EVENTS_PATH) {
        let generation = shared.site.read().map_or(0, |s| s.generation);
        return events::open(&shared.hub, &shared.hosts, request, generation);
    }
    let Ok(site) = shared.site.read() else {
        return Answer::Reply(Reply::plain(500, "The preview server failed."));
    };
    if !site.built {
        let problems = site.problems.clone();
        let generation = site.generation;
        drop(site);
        return Answer::Reply(not_built(shared, problems, generation));
    }
    let context = Context {
        site_root: &shared.site_root,
        instance: shared.hub.instance(),
    };
    let exists = |path: &str| site.files.contains_key(path);
    let reply = match request_path::resolve(request.url(), exists) {
        Target::File(path) => site.file_response(&context, &path, 200),
        Target::Redirect(location) => Some(Reply::moved(location)),
        Target::NotFound => site.left_out_draft_response(&context, request.url()),
    };
    let reply = reply
        .or_else(|| site.file_response(&context, &routes::page_file(routes::NOT_FOUND), 404))
        .unwrap_or_else(|| Reply::plain(404, "Not found."));
    Answer::Reply(reply)
}

/// Before any build succeeded: the problems of the first, or a page saying it is not done.
fn not_built(shared: &Shared, problems: Option<Problems>, generation: u64) -> Reply {
    let (status, page) = match problems {
        Some(problems) => (500, overlay::problems_page(&problems)),
        None => (503, overlay::not_built_page()),
    };
    let script = live_reload::script("", generation, shared.hub.instance());
    Reply::html(status, overlay::insert(&page, "", &script))
}

fn wait_for_first_build(shared: &Shared) {
    let (settled, condvar) = &shared.settled;
    let Ok(guard) = settled.lock() else { return };
    let _ = condvar.wait_timeout_while(guard, FIRST_BUILD_WAIT, |settled| !*settled);
}
