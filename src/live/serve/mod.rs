//! `candor serve`'s server: binds a port, reads every request head on one thread, answers on a
//! fixed pool of workers and streams live-reload events to every open page from one more, and
//! holds what the watcher tells it (reload, or the errors of a failed rebuild).
//!
//! The children hold the rest: `listen` accepts and reads heads within their limits, `head`
//! parses one and checks its `Host`, `http` answers a request from the output folder,
//! `streams` keeps the open live-reload streams, `reload` puts the script into served pages,
//! `overlay` makes the error box. Pages get the script only as served here, never in the files
//! `build` writes. Every number that bounds the server is a constant beside its use, and
//! docs/decisions.md lists them. Never prints, never writes to the output folder, never serves a
//! file outside it, and never starts a thread per connection.

mod head;
mod http;
mod listen;
mod overlay;
mod reload;
mod streams;
#[cfg(test)]
mod tests;

use crate::error::Diagnostic;
use listen::{Handback, Job, LISTENER, Outlets, WAKER};
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};

/// Threads answering requests: reading a file and writing it out takes a millisecond, and
/// a client that stops reading holds one for at most `http::WRITE_TIMEOUT`.
const WORKERS: usize = 8;

/// Where to listen: `bind:port`, else one of the next `try_next_ports` ports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeOptions {
    pub bind: IpAddr,
    pub port: u16,
    /// How many ports after `port` to try when it is taken (0: fail at once).
    pub try_next_ports: u16,
    /// Host names a request may name besides IP addresses and `localhost` (`--allow-host`):
    /// any other is refused, since a page elsewhere could read the preview through it.
    pub allowed_hosts: Vec<String>,
}

impl Default for ServeOptions {
    fn default() -> ServeOptions {
        ServeOptions {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 1111,
            try_next_ports: 10,
            allowed_hosts: Vec::new(),
        }
    }
}

/// Why the server could not start; the binary shows it as a usage error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("port {port} on {bind} is taken{}; pass --port", tried(*.port, *.last))]
    PortTaken { bind: IpAddr, port: u16, last: u16 },
    #[error("cannot serve on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        #[source]
        source: io::Error,
    },
}

fn tried(port: u16, last: u16) -> String {
    if last > port {
        format!(" (tried {port}–{last})")
    } else {
        String::new()
    }
}

#[derive(Default)]
struct State {
    /// The overlay HTML while the last rebuild failed.
    errors: Option<Arc<str>>,
    stopping: bool,
}

/// What every thread of the server reads: the output folder and the state the watcher sets.
struct Shared {
    root: PathBuf,
    allowed_hosts: Vec<String>,
    state: Mutex<State>,
    /// To the `streams` thread; sent under the `state` lock, so messages keep its order.
    streams: Sender<streams::Message>,
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A running preview server. Dropping it stops it as `stop` does.
pub struct Server {
    handle: Handle,
    waker: Arc<mio::Waker>,
    threads: Vec<JoinHandle<()>>,
}

/// What the watcher needs from the server, cheap to clone and send to another thread.
#[derive(Clone)]
pub struct Handle {
    shared: Arc<Shared>,
    addr: SocketAddr,
}

impl Server {
    /// Binds (trying port, port+1, … up to try_next_ports when taken), starts the threads, returns.
    pub fn start(output: PathBuf, options: &ServeOptions) -> Result<Server, ServeError> {
        let listener = bind(options)?;
        let addr = listener
            .local_addr()
            .unwrap_or_else(|_| SocketAddr::new(options.bind, options.port));
        let failed = |source| ServeError::Listen { addr, source };
        listener.set_nonblocking(true).map_err(failed)?;
        let mut listener = mio::net::TcpListener::from_std(listener);
        let poll = mio::Poll::new().map_err(failed)?;
        let waker = Arc::new(mio::Waker::new(poll.registry(), WAKER).map_err(failed)?);
        poll.registry()
            .register(&mut listener, LISTENER, mio::Interest::READABLE)
            .map_err(failed)?;
        let (streams_tx, streams_rx) = mpsc::channel();
        let shared = Arc::new(Shared {
            root: output,
            allowed_hosts: options.allowed_hosts.clone(),
            state: Mutex::default(),
            streams: streams_tx,
        });
        let mut server = Server {
            handle: Handle { shared, addr },
            waker,
            threads: Vec::new(),
        };
        // Started in this order, a failure half way stops the threads already running: the
        // server's drop stops them as `stop` does.
        server.spawn("candor-serve-streams", move || streams::run(&streams_rx))?;
        let (jobs_tx, jobs_rx) = mpsc::channel();
        let jobs_rx = Arc::new(Mutex::new(jobs_rx));
        let (handback, unsent) = Handback::new(Arc::clone(&server.waker));
        for _ in 0..WORKERS {
            let (jobs, shared) = (Arc::clone(&jobs_rx), Arc::clone(&server.handle.shared));
            let handback = handback.clone();
            server.spawn("candor-serve-worker", move || {
                work(&jobs, &shared, &handback);
            })?;
        }
        let outlets = Outlets {
            shared: Arc::clone(&server.handle.shared),
            jobs: jobs_tx,
            unsent,
        };
        server.spawn("candor-serve", move || {
            listen::run(poll, &listener, &outlets);
        })?;
        Ok(server)
    }

    fn spawn(&mut self, name: &str, run: impl FnOnce() + Send + 'static) -> Result<(), ServeError> {
        let thread = thread::Builder::new().name(name.to_owned()).spawn(run);
        let thread = thread.map_err(|source| ServeError::Listen {
            addr: self.handle.addr,
            source,
        })?;
        self.threads.push(thread);
        Ok(())
    }

    pub fn handle(&self) -> Handle {
        self.handle.clone()
    }

    pub fn addr(&self) -> SocketAddr {
        self.handle.addr
    }

    pub fn url(&self) -> String {
        self.handle.url()
    }

    pub fn reload(&self) {
        self.handle.reload();
    }

    pub fn show_errors(&self, diagnostics: &[Diagnostic]) {
        self.handle.show_errors(diagnostics);
    }

    /// Stops accepting, closes every connection and live-reload stream, and joins every
    /// thread the server started (a worker first finishes the response it is writing).
    pub fn stop(mut self) {
        self.shut_down();
    }

    fn shut_down(&mut self) {
        {
            let shared = &self.handle.shared;
            let mut state = shared.state();
            state.stopping = true;
            let _ = shared.streams.send(streams::Message::Stop);
        }
        let _ = self.waker.wake();
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shut_down();
    }
}

/// A share of a bounded count (a connection slot, bytes pending), given back when dropped.
struct Counted {
    count: Arc<AtomicUsize>,
    amount: usize,
}

impl Counted {
    fn take(count: &Arc<AtomicUsize>, amount: usize, most: usize) -> Option<Counted> {
        let taken = count.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
            (n + amount <= most).then_some(n + amount)
        });
        taken.ok().map(|_| Counted {
            count: Arc::clone(count),
            amount,
        })
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.count.fetch_sub(self.amount, Ordering::AcqRel);
    }
}

/// A worker: answers one request after another until the listening thread is gone. It reads
/// the file and writes what the client takes at once; the listening thread writes the rest.
fn work(jobs: &Mutex<Receiver<Job>>, shared: &Shared, handback: &Handback) {
    loop {
        let job = jobs.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok(job) = job else {
            return;
        };
        let response = http::respond(shared, &job.head);
        let bytes = response.to_bytes(job.head.version, job.head.method == "HEAD");
        handback.finish(job, bytes);
    }
}

impl Handle {
    /// `http://127.0.0.1:1111/`; an unspecified bind address shows as localhost.
    pub fn url(&self) -> String {
        let ip = match self.addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        format!("http://{}/", SocketAddr::new(ip, self.addr.port()))
    }

    /// After a successful rebuild (new output complete on disk): clear any error and tell pages to reload.
    pub fn reload(&self) {
        let mut state = self.shared.state();
        state.errors = None;
        let _ = self.shared.streams.send(streams::Message::Reload);
    }

    /// After a failed rebuild: remember the errors and push them as an overlay to open pages; the last
    /// good files keep being served, and the next `reload` clears it.
    pub fn show_errors(&self, diagnostics: &[Diagnostic]) {
        let html: Arc<str> = overlay::html(diagnostics).into();
        let mut state = self.shared.state();
        state.errors = Some(Arc::clone(&html));
        let _ = self.shared.streams.send(streams::Message::Errors(html));
    }
}

fn bind(options: &ServeOptions) -> Result<TcpListener, ServeError> {
    let mut port = options.port;
    let last = options.port.saturating_add(options.try_next_ports);
    loop {
        let addr = SocketAddr::new(options.bind, port);
        match TcpListener::bind(addr) {
            Ok(listener) => return Ok(listener),
            Err(e) if e.kind() == io::ErrorKind::AddrInUse => {}
            Err(source) => return Err(ServeError::Listen { addr, source }),
        }
        if port >= last {
            return Err(ServeError::PortTaken {
                bind: options.bind,
                port: options.port,
                last,
            });
        }
        port += 1;
    }
}
