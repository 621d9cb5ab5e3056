//! `candor serve`'s server: binds a port, runs one thread per request, and holds what the
//! watcher tells it (reload, or the errors of a failed rebuild) for every open page.
//!
//! The children hold the rest: `http` answers a request from the output folder, `reload`
//! streams events to open pages and puts the script into served pages, `overlay` makes the
//! error box. Pages get the script only as served here, never in the files `build` writes.
//! Never prints, never writes to the output folder, never serves a file outside it.

mod http;
mod overlay;
mod reload;
#[cfg(test)]
mod tests;

use crate::error::Diagnostic;
use reload::Event;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};

/// Where to listen: `bind:port`, else one of the next `try_next_ports` ports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeOptions {
    pub bind: IpAddr,
    pub port: u16,
    /// How many ports after `port` to try when it is taken (0: fail at once).
    pub try_next_ports: u16,
}

impl Default for ServeOptions {
    fn default() -> ServeOptions {
        ServeOptions {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 1111,
            try_next_ports: 10,
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
    clients: Vec<Sender<Event>>,
    stopping: bool,
}

/// What every request thread reads: the output folder and the state the watcher sets.
struct Shared {
    root: PathBuf,
    state: Mutex<State>,
    workers: Mutex<Vec<JoinHandle<()>>>,
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A running preview server. Dropping it stops accepting; `stop` also waits for every thread.
pub struct Server {
    handle: Handle,
    http: Arc<tiny_http::Server>,
    accept: Option<JoinHandle<()>>,
}

/// What the watcher needs from the server, cheap to clone and send to another thread.
#[derive(Clone)]
pub struct Handle {
    shared: Arc<Shared>,
    addr: SocketAddr,
}

impl Server {
    /// Binds (trying port, port+1, … up to try_next_ports when taken), spawns the accept thread, returns.
    pub fn start(output: PathBuf, options: &ServeOptions) -> Result<Server, ServeError> {
        let listener = bind(options)?;
        let addr = listener
            .local_addr()
            .unwrap_or_else(|_| SocketAddr::new(options.bind, options.port));
        let failed = |source| ServeError::Listen { addr, source };
        let http = tiny_http::Server::from_listener(listener, None)
            .map_err(|e| failed(io::Error::other(e.to_string())))?;
        let http = Arc::new(http);
        let shared = Arc::new(Shared {
            root: output,
            state: Mutex::default(),
            workers: Mutex::default(),
        });
        let (accept_http, accept_shared) = (Arc::clone(&http), Arc::clone(&shared));
        let accept = thread::Builder::new()
            .name("candor-serve".into())
            .spawn(move || accept_loop(&accept_http, &accept_shared))
            .map_err(failed)?;
        Ok(Server {
            handle: Handle { shared, addr },
            http,
            accept: Some(accept),
        })
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

    /// Stops accepting, closes every events connection and joins every thread the server started.
    pub fn stop(mut self) {
        self.shut_down();
        let workers = std::mem::take(
            &mut *self
                .handle
                .shared
                .workers
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        );
        for worker in workers {
            let _ = worker.join();
        }
    }

    fn shut_down(&mut self) {
        {
            let mut state = self.handle.shared.state();
            state.stopping = true;
            state.clients.clear();
        }
        self.http.unblock();
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shut_down();
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
        state
            .clients
            .retain(|client| client.send(Event::Reload).is_ok());
    }

    /// After a failed rebuild: remember the errors and push them as an overlay to open pages; the last
    /// good files keep being served, and the next `reload` clears it.
    pub fn show_errors(&self, diagnostics: &[Diagnostic]) {
        let html: Arc<str> = overlay::html(diagnostics).into();
        let mut state = self.shared.state();
        state.errors = Some(Arc::clone(&html));
        state
            .clients
            .retain(|client| client.send(Event::Errors(Arc::clone(&html))).is_ok());
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

fn accept_loop(http: &tiny_http::Server, shared: &Arc<Shared>) {
    for request in http.incoming_requests() {
        let worker_shared = Arc::clone(shared);
        // Events connections live long; each request gets its own thread so none waits on another.
        let spawned = thread::Builder::new()
            .name("candor-serve-request".into())
            .spawn(move || http::handle_request(&worker_shared, request));
        // When no thread can be had, the request was dropped with it, and tiny_http answers 500.
        if let Ok(worker) = spawned {
            let mut workers = shared
                .workers
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            workers.retain(|w| !w.is_finished());
            workers.push(worker);
        }
    }
}
