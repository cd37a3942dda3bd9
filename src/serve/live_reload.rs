//! Live reload: each open page keeps a Server-Sent Events stream to the preview server, which
//! tells it what changed after every rebuild. The script the server adds to pages reloads a
//! page whose file changed and swaps a changed stylesheet without reloading; after the server
//! restarts, the browser reconnects and the page reloads if it missed anything.

use std::io::Write;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The address of the event stream. No page of a site can live here: `/__waymark/` is not a
/// path the pipeline produces.
pub const EVENTS_PATH: &str = "/__waymark/events";

/// How long the browser waits before reconnecting to a stream that ended.
const RETRY_MS: u32 = 1000;

/// What one rebuild changed, as the pages need to know it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Change {
    pub generation: u64,
    /// Every page must reload (the problems overlay or the warnings notice appeared, changed
    /// or went away).
    pub all: bool,
    /// Output paths of pages whose HTML changed.
    pub pages: Vec<String>,
    /// Output paths of stylesheets that changed.
    pub styles: Vec<String>,
    /// Another kind of file changed (an image, a script): pages may show it.
    pub other: bool,
}

impl Change {
    pub fn is_empty(&self) -> bool {
        !self.all && !self.other && self.pages.is_empty() && self.styles.is_empty()
    }
}

/// The open event streams.
pub struct Hub {
    streams: Mutex<Vec<Stream>>,
    limit: usize,
    /// Differs for each run of the server, so pages notice a restart.
    instance: String,
}

struct Stream {
    writer: Box<dyn Write + Send>,
    opened: Instant,
}

impl Hub {
    pub fn new(limit: usize, instance: String) -> Hub {
        Hub {
            streams: Mutex::new(Vec::new()),
            limit,
            instance,
        }
    }

    pub fn instance(&self) -> &str {
        &self.instance
    }

    pub fn is_full(&self) -> bool {
        self.streams.lock().map_or(true, |s| s.len() >= self.limit)
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.streams.lock().map_or(0, |s| s.len())
    }

    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Starts a stream on `writer`, which has had the response head written to it. Dropped
    /// (closing the connection) if the limit is reached or the first write fails.
    pub fn add(&self, mut writer: Box<dyn Write + Send>, generation: u64) {
        let Ok(mut streams) = self.streams.lock() else {
            return;
        };
        if streams.len() >= self.limit {
            return;
        }
        let hello = format!(
            "retry: {RETRY_MS}\n\nevent: hello\ndata: {}\n\n",
            serde_json::json!({ "instance": self.instance, "generation": generation })
        );
        if send(&mut writer, &hello) {
            streams.push(Stream {
                writer,
                opened: Instant::now(),
            });
        }
    }

    /// Tells every open page what changed.
    pub fn broadcast(&self, change: &Change) {
        let data = serde_json::json!({
            "generation": change.generation,
            "all": change.all,
            "pages": change.pages,
            "styles": change.styles,
            "other": change.other,
        });
        self.send_all(&format!("event: change\ndata: {data}\n\n"), None);
    }

    /// Keeps streams alive through proxies, drops those whose page has gone, and closes those
    /// older than `max_age` (the browser opens a new one at once), so no connection lives on
    /// unseen.
    pub fn tick(&self, max_age: Duration) {
        self.send_all(": ping\n\n", Some(max_age));
    }

    fn send_all(&self, text: &str, max_age: Option<Duration>) {
        let Ok(mut streams) = self.streams.lock() else {
            return;
        };
        streams.retain_mut(|stream| {
            let expired = max_age.is_some_and(|age| stream.opened.elapsed() > age);
            !expired && send(&mut stream.writer, text)
        });
    }
}

fn send(writer: &mut Box<dyn Write + Send>, text: &str) -> bool {
    writer.write_all(text.as_bytes()).is_ok() && writer.flush().is_ok()
}

/// The script added to every served page. `path` is the output path of the file the page
/// shows, so the page knows whether a change concerns it.
pub fn script(path: &str, generation: u64, instance: &str) -> String {
    format!(
        "<script data-waymark-path=\"{}\" data-waymark-generation=\"{generation}\" \
         data-waymark-instance=\"{}\" data-waymark-events=\"{EVENTS_PATH}\">{CLIENT}</script>",
        crate::html::xml::escape(path),
        crate::html::xml::escape(instance),
    )
}

/// The client, kept in its own file so editors and linters see JavaScript. It starts with a
/// line break, as the pages have always had it.
const CLIENT: &str = include_str!("live_reload.js");

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex as StdMutex};

    /// A stream that records what was sent, or fails like a closed connection.
    #[derive(Clone)]
    struct Recorder(Arc<StdMutex<Vec<u8>>>, bool);

    impl Write for Recorder {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.1 {
                return Err(std::io::ErrorKind::BrokenPipe.into());
            }
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn sends_hello_then_changes_and_drops_closed_streams() {
        let hub = Hub::new(2, "run-1".into());
        let sent = Arc::new(StdMutex::new(Vec::new()));
        hub.add(Box::new(Recorder(sent.clone(), false)), 4);
        hub.add(Box::new(Recorder(Arc::default(), true)), 4);
        assert_eq!(
            hub.len(),
            1,
            "a stream that cannot be written to is dropped"
        );
        hub.broadcast(&Change {
            generation: 5,
            pages: vec!["meetings/m/index.html".into()],
            ..Change::default()
        });
        let text = String::from_utf8(sent.lock().unwrap().clone()).unwrap();
        assert!(
            text.contains("event: hello\ndata: {\"generation\":4,\"instance\":\"run-1\"}"),
            "{text}"
        );
        assert!(text.contains("event: change\ndata: "), "{text}");
        assert!(
            text.contains("\"pages\":[\"meetings/m/index.html\"]"),
            "{text}"
        );
    }

    #[test]
    fn refuses_streams_beyond_the_limit_and_expires_old_ones() {
        let hub = Hub::new(1, "run".into());
        hub.add(Box::new(Recorder(Arc::default(), false)), 1);
        hub.add(Box::new(Recorder(Arc::default(), false)), 1);
        assert_eq!(hub.len(), 1);
        assert!(hub.is_full());
        hub.tick(Duration::from_secs(60));
        assert_eq!(hub.len(), 1);
        hub.tick(Duration::ZERO);
        assert!(hub.is_empty());
    }
}
