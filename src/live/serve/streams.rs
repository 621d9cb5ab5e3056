//! The open live-reload streams, all served by one thread: each event the watcher sends is
//! written to every stream in turn, within a short timeout, and a stream that fails or stalls
//! is dropped. At most `MAX_STREAMS` are open; one more is answered 503.
//!
//! Never blocks on one page for longer than `EVENT_WRITE_TIMEOUT`, and never holds a stream
//! whose page is gone for longer than the next event, ping or new stream.

use super::head::Version;
use super::http::text;
use super::reload::{sse, unstyled};
use std::io::{self, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

/// Open pages with live reload; one tab per page, so more is a flood, not a person.
pub(super) const MAX_STREAMS: usize = 64;
/// How long one page may take to accept an event: a browser on this machine takes microseconds,
/// so a page that takes longer has stopped reading.
const EVENT_WRITE_TIMEOUT: Duration = Duration::from_secs(1);
/// A comment line now and then notices pages closed without a word and keeps proxies open.
const PING_EVERY: Duration = Duration::from_secs(15);

/// What the thread is told, in the order things happened (the server sends under its lock).
pub(super) enum Message {
    /// A new stream, after its request head, with the overlay to show at once when the last
    /// rebuild failed.
    Open {
        stream: TcpStream,
        version: Version,
        errors: Option<Arc<str>>,
    },
    Reload,
    /// The overlay's HTML.
    Errors(Arc<str>),
    Stop,
}

/// Runs until `Stop`, or until every sender is gone; the streams close with it.
pub(super) fn run(messages: &Receiver<Message>) {
    let mut streams: Vec<TcpStream> = Vec::new();
    loop {
        let message = match messages.recv_timeout(PING_EVERY) {
            Ok(Message::Stop) | Err(RecvTimeoutError::Disconnected) => return,
            Ok(Message::Open {
                stream,
                version,
                errors,
            }) => {
                streams.retain(|s| !closed(s));
                open(stream, version, errors.as_deref(), &mut streams);
                continue;
            }
            Ok(Message::Reload) => sse("reload", ""),
            Ok(Message::Errors(html)) => sse("errors", &unstyled(&html)),
            Err(RecvTimeoutError::Timeout) => {
                streams.retain(|s| !closed(s));
                ": ping\n\n".to_owned()
            }
        };
        streams.retain_mut(|stream| stream.write_all(message.as_bytes()).is_ok());
    }
}

/// Answers the stream's request: the event-stream head and a short retry (a restarted
/// server's pages reconnect, and so reload, within a second), or 503 when `MAX_STREAMS` are open.
fn open(
    mut stream: TcpStream,
    version: Version,
    errors: Option<&str>,
    streams: &mut Vec<TcpStream>,
) {
    if stream.set_write_timeout(Some(EVENT_WRITE_TIMEOUT)).is_err() {
        return;
    }
    if streams.len() >= MAX_STREAMS {
        let busy = format!("503 more than {MAX_STREAMS} pages are open with live reload\n");
        text(503, &busy).send(&mut stream, version);
        return;
    }
    let head = format!(
        "{} 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\n\
         Connection: close\r\n\r\nretry: 500\n\n{}",
        version.as_str(),
        errors.map_or_else(String::new, |html| sse("errors", &unstyled(html)))
    );
    if stream.write_all(head.as_bytes()).is_ok() {
        streams.push(stream);
    }
}

/// Whether the page closed its end: a stream's client sends nothing after its request, so
/// anything readable is the end of the stream (or a reset).
fn closed(stream: &TcpStream) -> bool {
    if stream.set_nonblocking(true).is_err() {
        return true;
    }
    let gone = match stream.peek(&mut [0; 1]) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => e.kind() != io::ErrorKind::WouldBlock,
    };
    stream.set_nonblocking(false).is_err() || gone
}
