//! Opening a live-reload stream: the response head is written here, then the connection
//! belongs to the hub (`live_reload::Hub`) until the page goes or the stream grows old.

use std::io::Write;
use std::sync::Arc;

use crate::serve::connections::Answer;
use crate::serve::hosts::Hosts;
use crate::serve::http::Request;
use crate::serve::live_reload::Hub;
use crate::serve::reply::Reply;

/// The answer to a request for the event stream; `generation` is the site's as it is now.
pub fn open(hub: &Arc<Hub>, hosts: &Hosts, request: &Request, generation: u64) -> Answer {
    if !hosts.allows_origin(request.header("Origin"), request.header("Sec-Fetch-Site")) {
        let text = "Live reload is only for pages of this preview.";
        return Answer::Reply(Reply::plain(403, text));
    }
    if hub.is_full() {
        let text = "Too many open pages are waiting for changes.";
        return Answer::Reply(Reply::plain(503, text));
    }
    let hub = Arc::clone(hub);
    Answer::HandOver(Box::new(move |mut writer| {
        // No length: the stream ends when the connection closes.
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\
                    Cache-Control: no-store\r\nConnection: close\r\n\
                    X-Content-Type-Options: nosniff\r\n\r\n";
        if writer.write_all(head.as_bytes()).is_ok() {
            hub.add(writer, generation);
        }
    }))
}
