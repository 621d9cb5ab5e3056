//! The head of one HTTP/1.x request as the preview server reads it: the request line and the
//! headers, parsed strictly within fixed limits, and the `Host` check that keeps a DNS-rebinding
//! page from reading the preview.
//!
//! Never allocates more than the head it is handed (the caller caps it at `HEAD_LIMIT`), and
//! never accepts a byte in the request line or a header that could end a line of our response
//! (a request target goes back out in a `Location` header).

/// The largest head read (request line and headers): what browsers send, cookies of other local
/// development servers included (Node raised its limit from 8 to 16 KiB for them).
pub(super) const HEAD_LIMIT: usize = 16 * 1024;
/// The most headers in one head; browsers send about 20.
const MAX_HEADERS: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Version {
    Http10,
    Http11,
}

impl Version {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Version::Http10 => "HTTP/1.0",
            Version::Http11 => "HTTP/1.1",
        }
    }
}

/// What the server needs of a request: the rest of its headers are read past.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Head {
    pub method: String,
    /// The request target in origin form: starts with `/`, printable ASCII only.
    pub target: String,
    pub version: Version,
    pub host: Option<String>,
}

/// Why a head is refused; each is answered with its status and the connection closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Refusal {
    /// 400: not a request line, a header without a name, a control byte, two `Host`s.
    Malformed,
    /// 431: more than `HEAD_LIMIT` bytes or `MAX_HEADERS` headers.
    TooLarge,
    /// 505: HTTP/2 and later arrive here only from a client that ignored how we answer.
    Version,
    /// 403: a `Host` that may be a DNS-rebinding name (see `host_allowed`).
    Host,
}

impl Refusal {
    pub(super) fn status(self) -> u16 {
        match self {
            Refusal::Malformed => 400,
            Refusal::TooLarge => 431,
            Refusal::Version => 505,
            Refusal::Host => 403,
        }
    }
}

/// Where the head in `buf` ends (just past its empty line), if it is all there; `from` is how
/// much of `buf` an earlier call saw, so a head read a byte at a time is scanned once, not once
/// per byte. A bare LF ends a line too (RFC 9112 §2.2). An empty line before the request line,
/// which the RFC lets a server skip after a previous request's body, ends an empty head here:
/// every connection carries one request.
pub(super) fn end(buf: &[u8], from: usize) -> Option<usize> {
    let empty_line_ends_at = |at: usize| match at {
        0 => true,
        _ if buf[at - 1] == b'\n' => true,
        1 => buf[0] == b'\r',
        _ => buf[at - 1] == b'\r' && buf[at - 2] == b'\n',
    };
    (from.saturating_sub(2)..buf.len())
        .find(|&at| buf[at] == b'\n' && empty_line_ends_at(at))
        .map(|at| at + 1)
}

/// Parses a complete head (as `end` delimits it).
pub(super) fn parse(head: &[u8]) -> Result<Head, Refusal> {
    if head.len() > HEAD_LIMIT {
        return Err(Refusal::TooLarge);
    }
    let mut lines = head
        .split(|b| *b == b'\n')
        .map(|line| line.strip_suffix(b"\r").unwrap_or(line));
    let request_line = lines.next().ok_or(Refusal::Malformed)?;
    let (method, target, version) = request_line_parts(request_line)?;
    let mut host = None;
    let mut count = 0;
    for line in lines.take_while(|line| !line.is_empty()) {
        count += 1;
        if count > MAX_HEADERS {
            return Err(Refusal::TooLarge);
        }
        let (name, value) = header(line)?;
        if name.eq_ignore_ascii_case("host") {
            if host.is_some() {
                return Err(Refusal::Malformed);
            }
            host = Some(value.to_owned());
        }
    }
    // RFC 9112 §3.2: an HTTP/1.1 request without Host is answered 400.
    if version == Version::Http11 && host.is_none() {
        return Err(Refusal::Malformed);
    }
    Ok(Head {
        method: method.to_owned(),
        target: target.to_owned(),
        version,
        host,
    })
}

fn request_line_parts(line: &[u8]) -> Result<(&str, &str, Version), Refusal> {
    let line = std::str::from_utf8(line).map_err(|_| Refusal::Malformed)?;
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Refusal::Malformed);
    };
    let version = match version {
        "HTTP/1.1" => Version::Http11,
        "HTTP/1.0" => Version::Http10,
        v if v.starts_with("HTTP/") && v.len() <= 8 => return Err(Refusal::Version),
        _ => return Err(Refusal::Malformed),
    };
    if method.is_empty() || !method.bytes().all(is_token) {
        return Err(Refusal::Malformed);
    }
    // Origin form only (`/path?query`): no absolute URI, no `*`, nothing a browser would not send.
    if !target.starts_with('/') || !target.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Refusal::Malformed);
    }
    Ok((method, target, version))
}

/// One `name: value` line; a folded line (starting with a space) is refused, as RFC 9112 §5.2
/// allows.
fn header(line: &[u8]) -> Result<(&str, &str), Refusal> {
    let colon = line
        .iter()
        .position(|b| *b == b':')
        .ok_or(Refusal::Malformed)?;
    let (name, value) = (&line[..colon], &line[colon + 1..]);
    if name.is_empty() || !name.iter().copied().all(is_token) {
        return Err(Refusal::Malformed);
    }
    if value.iter().any(|b| b.is_ascii_control() && *b != b'\t') {
        return Err(Refusal::Malformed);
    }
    let name = std::str::from_utf8(name).map_err(|_| Refusal::Malformed)?;
    // A value may hold any other byte (obs-text); only `Host` is read, and it must be ASCII.
    let value = std::str::from_utf8(value).unwrap_or("\u{fffd}");
    Ok((name, value.trim_matches([' ', '\t'])))
}

fn is_token(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

/// Whether a request with this `Host` may be answered. A page of another site can make a
/// browser send requests here through a name it controls that resolves to this machine (DNS
/// rebinding), and read the answers as its own: the name is the only mark of it. So a request
/// is answered only when its `Host` is an IP address (a browser sends one only when the user
/// typed it), `localhost` or a name below `.localhost` (which browsers resolve to loopback
/// themselves, RFC 6761), or a name the user allowed with `--allow-host`. No `Host` at all
/// (HTTP/1.0 from a script) is answered too: browsers always send one.
pub(super) fn host_allowed(host: Option<&str>, allowed: &[String]) -> bool {
    let Some(host) = host else {
        return true;
    };
    let Some(name) = host_name(host) else {
        return false;
    };
    if name.parse::<std::net::IpAddr>().is_ok() {
        return true;
    }
    let name = name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || allowed
            .iter()
            .any(|a| a.strip_suffix('.').unwrap_or(a).eq_ignore_ascii_case(&name))
}

/// The name or address of a `Host` value without its port: `[::1]:1111` → `::1`.
fn host_name(host: &str) -> Option<&str> {
    let (name, port) = match host.strip_prefix('[') {
        Some(rest) => {
            let (inside, after) = rest.split_once(']')?;
            (inside, after.strip_prefix(':'))
        }
        None => match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        },
    };
    let port_ok = port.is_none_or(|p| p.bytes().all(|b| b.is_ascii_digit()));
    let name_ok = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._:".contains(&b));
    (port_ok && name_ok).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(text: &str) -> Result<Head, Refusal> {
        let bytes = text.as_bytes();
        let at = end(bytes, 0).expect("a complete head");
        parse(&bytes[..at])
    }

    #[test]
    fn a_browser_request_is_read() {
        let parsed = head("GET /a/?b=1 HTTP/1.1\r\nHost: localhost:1111\r\nAccept: */*\r\n\r\n");
        assert_eq!(
            parsed,
            Ok(Head {
                method: "GET".to_owned(),
                target: "/a/?b=1".to_owned(),
                version: Version::Http11,
                host: Some("localhost:1111".to_owned()),
            })
        );
        let bare = head("HEAD / HTTP/1.0\n\n").expect("LF endings and no Host in 1.0");
        assert_eq!((bare.version, bare.host), (Version::Http10, None));
    }

    #[test]
    fn the_head_ends_at_its_first_empty_line_not_before() {
        assert_eq!(end(b"GET / HTTP/1.0\r\n", 0), None);
        assert_eq!(end(b"GET / HTTP/1.0\r\nHost: x\r\n", 0), None);
        assert_eq!(end(b"GET / HTTP/1.0\r\n\r\nbody", 0), Some(18));
        assert_eq!(end(b"GET / HTTP/1.0\n\nbody", 0), Some(16));
        assert_eq!(end(b"GET / HTTP/1.0\r\n\r\n", 0), Some(18));
        assert_eq!(
            end(b"\r\n", 0),
            Some(2),
            "an empty head, which parse refuses"
        );
        assert_eq!(parse(b"\r\n"), Err(Refusal::Malformed));
    }

    #[test]
    fn a_head_read_a_byte_at_a_time_ends_where_it_ends_read_whole() {
        let text = b"GET / HTTP/1.1\r\nHost: a\r\n\r\nrest";
        let found = (1..=text.len()).find_map(|len| end(&text[..len], len - 1));
        assert_eq!(found, end(text, 0));
        assert_eq!(found, Some(27));
    }

    #[test]
    fn broken_request_lines_and_headers_are_400() {
        for text in [
            "GET /\r\n\r\n",
            "GET  / HTTP/1.0\r\n\r\n",
            "GET / HTTP/1.0 extra\r\n\r\n",
            "GET http://evil/ HTTP/1.0\r\n\r\n",
            "GET * HTTP/1.0\r\n\r\n",
            "G(T / HTTP/1.0\r\n\r\n",
            "GET /a\rb HTTP/1.0\r\n\r\n",
            "GET /caf\u{e9} HTTP/1.0\r\n\r\n",
            "GET / HTTP/1.0\r\nno colon\r\n\r\n",
            "GET / HTTP/1.0\r\n: empty name\r\n\r\n",
            "GET / HTTP/1.0\r\nX-A: b\r\n folded\r\n\r\n",
            "GET / HTTP/1.0\r\nX-A: b\x00c\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
            "GET / HTTP/1.1\r\n\r\n",
            "GET / FTP/1.0\r\n\r\n",
        ] {
            assert_eq!(head(text), Err(Refusal::Malformed), "{text:?}");
        }
    }

    #[test]
    fn later_versions_are_505_and_big_heads_431() {
        assert_eq!(head("GET / HTTP/2.0\r\n\r\n"), Err(Refusal::Version));
        let many: String = (0..=MAX_HEADERS).map(|i| format!("X-{i}: a\r\n")).collect();
        assert_eq!(
            head(&format!("GET / HTTP/1.0\r\n{many}\r\n")),
            Err(Refusal::TooLarge)
        );
        let long = format!("GET / HTTP/1.0\r\nX: {}\r\n\r\n", "a".repeat(HEAD_LIMIT));
        assert_eq!(head(&long), Err(Refusal::TooLarge));
        assert_eq!(Refusal::TooLarge.status(), 431);
    }

    #[test]
    fn addresses_localhost_and_allowed_names_pass_the_host_check() {
        let allowed = ["status.test".to_owned()];
        for host in [
            "127.0.0.1:1111",
            "127.0.0.1",
            "192.168.1.20:1111",
            "[::1]:1111",
            "[fe80::1]",
            "localhost:1111",
            "LOCALHOST",
            "preview.localhost:1111",
            "localhost.",
            "status.test:1111",
            "Status.Test.",
        ] {
            assert!(host_allowed(Some(host), &allowed), "{host}");
        }
        assert!(host_allowed(None, &[]), "no Host (HTTP/1.0) is no browser");
    }

    #[test]
    fn other_names_fail_the_host_check() {
        for host in [
            "evil.example:1111",
            "localhost.evil.example",
            "status.test",
            "",
            "[::1",
            "127.0.0.1:abc",
            "a b",
            "2130706433x",
            "\u{fffd}",
        ] {
            assert!(!host_allowed(Some(host), &[]), "{host}");
        }
    }
}
