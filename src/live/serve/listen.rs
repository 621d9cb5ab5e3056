//! The one thread that holds every connection while it waits on its client — accepting, reading
//! request heads, writing the rest of answers a client reads slowly, closing — for all of them
//! at once (mio: epoll, kqueue or IOCP). A slow, silent or vanished client costs a slot and a
//! buffer, never a thread. A complete head goes to the worker pool, or to `streams` for the
//! live-reload stream; a bad one is answered here with its status.
//!
//! Bounds: at most `MAX_CONNECTIONS` open connections (one more is answered 503, unless a head
//! overdue by `HEAD_PATIENCE` makes room), a head of at most `head::HEAD_LIMIT` bytes (431)
//! read within `HEAD_TIMEOUT` of the connection (408), at
//! most `MAX_PENDING_BYTES` of answers waiting on slow readers, each within
//! `http::WRITE_TIMEOUT`. Never reads a file, and never blocks on a client: every socket here
//! is non-blocking.

use super::head::{self, HEAD_LIMIT, Head, Refusal, Version};
use super::http::{WRITE_TIMEOUT, refusal, write_within};
use super::reload::EVENTS_PATH;
use super::streams::Message;
use super::{Counted, Shared};
use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Registry, Token, Waker};
use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use std::sync::mpsc::{Receiver, Sender};
use std::time::{Duration, Instant};

/// Open connections: reading a head, waiting for a worker, or being answered. Browsers open
/// six per site; the rest is room for many tabs and a reload storm.
pub(super) const MAX_CONNECTIONS: usize = 256;
/// How long a client has to send its whole head after connecting. Browsers send it at once;
/// a connection opened ahead of need (Chrome's preconnect) is closed without a word.
pub(super) const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// Bytes of answers waiting for clients that read slowly, all together. Past it a worker
/// writes an answer itself, blocking, within `WRITE_TIMEOUT`.
pub(super) const MAX_PENDING_BYTES: usize = 64 << 20;
/// How long a connection is kept after its answer (the most: `MAX_CONNECTIONS` of them),
/// reading and dropping what the client still sends: closing with unread bytes sends a reset,
/// which can make the client lose the answer.
const LINGER: Duration = Duration::from_secs(2);
/// How long a browser may take to send a head: every slot taken, the connection whose head has
/// been coming for longest, and longer than this, makes room for a new one (slowloris holds
/// slots with heads it never finishes; a browser sends its head in one piece).
const HEAD_PATIENCE: Duration = Duration::from_secs(1);
/// How long to wait before accepting again when the process is out of file descriptors.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

pub(super) const LISTENER: Token = Token(usize::MAX);
pub(super) const WAKER: Token = Token(usize::MAX - 1);

/// A request ready for a worker: its connection (still non-blocking) and head.
pub(super) struct Job {
    pub stream: std::net::TcpStream,
    pub head: Head,
    /// The client sent more than a head (a body): linger before closing, so it reads the answer.
    pub linger: bool,
    pub slot: Counted,
}

/// An answer a worker could not write at once, for this thread to finish.
pub(super) struct Unsent {
    stream: std::net::TcpStream,
    bytes: Vec<u8>,
    at: usize,
    slot: Counted,
    budget: Option<Counted>,
}

/// How a worker hands the rest of an answer back to this thread.
#[derive(Clone)]
pub(super) struct Handback {
    unsent: Sender<Unsent>,
    waker: Arc<Waker>,
    pending: Arc<AtomicUsize>,
}

impl Handback {
    pub(super) fn new(waker: Arc<Waker>) -> (Handback, Receiver<Unsent>) {
        let (unsent, queue) = std::sync::mpsc::channel();
        let handback = Handback {
            unsent,
            waker,
            pending: Arc::new(AtomicUsize::new(0)),
        };
        (handback, queue)
    }

    /// Writes `bytes` (a whole answer) as far as the socket takes them at once, and hands the
    /// rest to this thread; past `MAX_PENDING_BYTES`, writes the rest itself within
    /// `WRITE_TIMEOUT`.
    pub(super) fn finish(&self, job: Job, bytes: Vec<u8>) {
        let Job {
            mut stream,
            linger,
            slot,
            ..
        } = job;
        let mut at = 0;
        while at < bytes.len() {
            match stream.write(&bytes[at..]) {
                Ok(0) => return,
                Ok(n) => at += n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return,
            }
        }
        if at == bytes.len() && !linger {
            let _ = stream.shutdown(std::net::Shutdown::Write);
            return;
        }
        // The whole answer counts, as the whole stays in memory until it is out.
        let budget = Counted::take(&self.pending, bytes.len(), MAX_PENDING_BYTES);
        if budget.is_none() && at < bytes.len() {
            if stream.set_nonblocking(false).is_ok() {
                let _ = write_within(&mut stream, &bytes[at..], WRITE_TIMEOUT);
            }
            return;
        }
        let unsent = Unsent {
            stream,
            bytes,
            at,
            slot,
            budget,
        };
        if self.unsent.send(unsent).is_ok() {
            let _ = self.waker.wake();
        }
    }
}

/// Where a connection stands.
enum Stage {
    /// Its head is coming.
    Head(Vec<u8>),
    /// The rest of its answer is going out; the budget share is held until it has.
    Write {
        bytes: Vec<u8>,
        at: usize,
        _budget: Option<Counted>,
    },
    /// Answered and shut for writing; what the client still sends is dropped until it closes.
    Linger,
}

struct Conn {
    stream: TcpStream,
    stage: Stage,
    deadline: Instant,
    /// `None` once answered: a lingering connection takes no slot.
    slot: Option<Counted>,
}

/// What the thread hands work to, and takes it back from.
pub(super) struct Outlets {
    pub shared: Arc<Shared>,
    pub jobs: Sender<Job>,
    pub unsent: Receiver<Unsent>,
}

/// The connections of the loop, by token.
struct Conns {
    map: HashMap<Token, Conn>,
    next_token: usize,
    open: Arc<AtomicUsize>,
}

/// Runs until the server stops (the waker is woken with `stopping` set).
pub(super) fn run(mut poll: Poll, listener: &TcpListener, outlets: &Outlets) {
    let mut conns = Conns {
        map: HashMap::new(),
        next_token: 0,
        open: Arc::new(AtomicUsize::new(0)),
    };
    let mut accept_again: Option<Instant> = None;
    let mut events = Events::with_capacity(1024);
    loop {
        let wake_at = (conns.map.values().map(|c| c.deadline))
            .chain(accept_again)
            .min();
        let timeout = wake_at.map(|at| at.saturating_duration_since(Instant::now()));
        if let Err(e) = poll.poll(&mut events, timeout)
            && e.kind() != io::ErrorKind::Interrupted
        {
            return;
        }
        if outlets.shared.state().stopping {
            return;
        }
        let registry = poll.registry();
        let mut accept = accept_again.is_some_and(|at| at <= Instant::now());
        for event in &events {
            match event.token() {
                LISTENER => accept = true,
                WAKER => {
                    while let Ok(unsent) = outlets.unsent.try_recv() {
                        conns.write_rest(unsent, registry, outlets);
                    }
                }
                token => conns.ready(token, registry, outlets),
            }
        }
        if accept {
            accept_again = None;
            loop {
                match listener.accept() {
                    Ok((stream, _)) => conns.admit(stream, registry),
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    // Out of descriptors (EMFILE) or a client that left before accept: try
                    // again shortly, as the listener's event (edge-triggered) fired once.
                    Err(_) => {
                        accept_again = Some(Instant::now() + ACCEPT_BACKOFF);
                        break;
                    }
                }
            }
        }
        conns.expire(registry);
    }
}

impl Conns {
    fn token(&mut self) -> Token {
        let token = Token(self.next_token);
        self.next_token = (self.next_token + 1) % WAKER.0;
        token
    }

    /// Takes a new connection in, making room when a head is overdue, or answers 503 when
    /// every slot is taken.
    fn admit(&mut self, mut stream: TcpStream, registry: &Registry) {
        let mut slot = Counted::take(&self.open, 1, MAX_CONNECTIONS);
        if slot.is_none() && self.drop_slowest_head(registry) {
            slot = Counted::take(&self.open, 1, MAX_CONNECTIONS);
        }
        let Some(slot) = slot else {
            refuse(&mut stream, 503);
            self.linger(stream, registry);
            return;
        };
        let token = self.token();
        if (registry.register(&mut stream, token, Interest::READABLE)).is_ok() {
            let conn = Conn {
                stream,
                stage: Stage::Head(Vec::new()),
                deadline: Instant::now() + HEAD_TIMEOUT,
                slot: Some(slot),
            };
            self.map.insert(token, conn);
        }
    }

    /// Answers 408 to the connection whose head has been coming longest, if longer than
    /// `HEAD_PATIENCE`, and frees its slot; whether there was one.
    fn drop_slowest_head(&mut self, registry: &Registry) -> bool {
        let overdue = Instant::now() + HEAD_TIMEOUT - HEAD_PATIENCE;
        let slowest = (self.map.iter())
            .filter(|(_, c)| matches!(c.stage, Stage::Head(_)) && c.deadline <= overdue)
            .min_by_key(|(_, c)| c.deadline)
            .map(|(token, _)| *token);
        let Some(mut conn) = slowest.and_then(|token| self.map.remove(&token)) else {
            return false;
        };
        let _ = registry.deregister(&mut conn.stream);
        refuse(&mut conn.stream, 408);
        self.linger(conn.stream, registry);
        true
    }

    /// Keeps an answered connection until its client closes, or `LINGER` passes.
    fn linger(&mut self, mut stream: TcpStream, registry: &Registry) {
        let lingering = (self.map.values())
            .filter(|c| matches!(c.stage, Stage::Linger))
            .count();
        let token = self.token();
        if lingering < MAX_CONNECTIONS
            && (registry.register(&mut stream, token, Interest::READABLE)).is_ok()
        {
            let conn = Conn {
                stream,
                stage: Stage::Linger,
                deadline: Instant::now() + LINGER,
                slot: None,
            };
            self.map.insert(token, conn);
        }
    }

    /// Takes an answer back from a worker and writes what the client will take now.
    fn write_rest(&mut self, unsent: Unsent, registry: &Registry, outlets: &Outlets) {
        let mut stream = TcpStream::from_std(unsent.stream);
        let token = self.token();
        if (registry.register(&mut stream, token, Interest::WRITABLE)).is_ok() {
            let conn = Conn {
                stream,
                stage: Stage::Write {
                    bytes: unsent.bytes,
                    at: unsent.at,
                    _budget: unsent.budget,
                },
                deadline: Instant::now() + WRITE_TIMEOUT,
                slot: Some(unsent.slot),
            };
            self.map.insert(token, conn);
            self.ready(token, registry, outlets);
        }
    }

    /// Does what the connection on `token` is ready for, until it would block (events are
    /// edge-triggered): read more of its head, write more of its answer, or read and drop.
    fn ready(&mut self, token: Token, registry: &Registry, outlets: &Outlets) {
        let Some(mut conn) = self.map.remove(&token) else {
            return;
        };
        match step(&mut conn) {
            Step::Wait => {
                self.map.insert(token, conn);
            }
            Step::Close => {
                let _ = registry.deregister(&mut conn.stream);
            }
            Step::Written => {
                let _ = registry.deregister(&mut conn.stream);
                let _ = conn.stream.shutdown(std::net::Shutdown::Write);
                self.linger(conn.stream, registry);
            }
            Step::Head(end) => {
                let _ = registry.deregister(&mut conn.stream);
                if let Err(refused) = hand_over(conn, end, outlets) {
                    let Refused(mut stream, status) = *refused;
                    refuse(&mut stream, status);
                    self.linger(stream, registry);
                }
            }
        }
    }

    /// Closes what is past its deadline: a head that took too long gets 408 and lingers; a
    /// connection that never sent a byte (a preconnect), an answer still unread and a
    /// lingering connection just close.
    fn expire(&mut self, registry: &Registry) {
        let now = Instant::now();
        let late: Vec<Token> = (self.map.iter())
            .filter(|(_, c)| c.deadline <= now)
            .map(|(t, _)| *t)
            .collect();
        for token in late {
            let Some(mut conn) = self.map.remove(&token) else {
                continue;
            };
            let _ = registry.deregister(&mut conn.stream);
            if matches!(&conn.stage, Stage::Head(head) if !head.is_empty()) {
                refuse(&mut conn.stream, 408);
                self.linger(conn.stream, registry);
            }
        }
    }
}

/// What a connection needs after `step`.
enum Step {
    Wait,
    Close,
    /// The answer is all out.
    Written,
    /// The head is all in and ends at this offset (or passed the limit, when beyond it).
    Head(usize),
}

fn step(conn: &mut Conn) -> Step {
    let mut buf = [0; 4096];
    loop {
        let result = match &mut conn.stage {
            Stage::Write { bytes, at, .. } if *at >= bytes.len() => return Step::Written,
            Stage::Write { bytes, at, .. } => match conn.stream.write(&bytes[*at..]) {
                Ok(n) if n > 0 && *at + n == bytes.len() => return Step::Written,
                Ok(n) if n > 0 => {
                    *at += n;
                    continue;
                }
                other => other,
            },
            Stage::Linger => conn.stream.read(&mut buf),
            Stage::Head(head) => match conn.stream.read(&mut buf) {
                Ok(n) if n > 0 => {
                    let seen = head.len();
                    // Never keep more than the limit and one byte: that byte says "too large".
                    let room = (HEAD_LIMIT + 1).saturating_sub(seen);
                    head.extend_from_slice(&buf[..n.min(room)]);
                    if let Some(end) = head::end(head, seen) {
                        return Step::Head(end);
                    }
                    if head.len() > HEAD_LIMIT {
                        return Step::Head(head.len());
                    }
                    continue;
                }
                other => other,
            },
        };
        match result {
            Ok(0) => return Step::Close,
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Step::Wait,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return Step::Close,
        }
    }
}

/// A connection to answer with a status here, rather than by a worker.
struct Refused(TcpStream, u16);

/// Hands a connection whose head is in (up to `end`) to a worker, or to `streams` for the
/// live-reload stream; or gives it back to be refused.
fn hand_over(conn: Conn, end: usize, outlets: &Outlets) -> Result<(), Box<Refused>> {
    let Stage::Head(bytes) = &conn.stage else {
        return Ok(());
    };
    let shared = &outlets.shared;
    let head = head::parse(&bytes[..end]).and_then(|head| {
        if head::host_allowed(head.host.as_deref(), &shared.allowed_hosts) {
            Ok(head)
        } else {
            Err(Refusal::Host)
        }
    });
    let head = match head {
        Ok(head) => head,
        Err(refusal) => return Err(Box::new(Refused(conn.stream, refusal.status()))),
    };
    let linger = bytes.len() > end || !matches!(head.method.as_str(), "GET" | "HEAD");
    let stream = std::net::TcpStream::from(conn.stream);
    let _ = stream.set_nodelay(true);
    let path = head.target.split(['?', '#']).next().unwrap_or_default();
    if head.method == "GET" && path == EVENTS_PATH {
        if stream.set_nonblocking(false).is_err() {
            return Ok(());
        }
        // Sent under the lock the watcher sends under: no event is missed or comes twice.
        let state = shared.state();
        let open = Message::Open {
            stream,
            version: head.version,
            errors: state.errors.clone(),
        };
        let _ = shared.streams.send(open);
        return Ok(());
    }
    if let Some(slot) = conn.slot {
        let job = Job {
            stream,
            head,
            linger,
            slot,
        };
        let _ = outlets.jobs.send(job);
    }
    Ok(())
}

/// A short answer written at once, without blocking: it fits in the empty send buffer of a
/// connection that has been sent nothing yet. Then our side is closed.
fn refuse(stream: &mut TcpStream, status: u16) {
    let _ = stream.write(&refusal(status).to_bytes(Version::Http11, false));
    let _ = stream.shutdown(std::net::Shutdown::Write);
}
