//! The servers the deploy tests publish to, started for one test on 127.0.0.1 at a free port
//! and stopped when dropped: moto (S3) and OpenSSH's sshd with a host key and a client key
//! made for the test; nginx serving a folder under a subpath. `.ci/run` installs them (moto in `target/moto-venv`, sshd and rsync from
//! Debian); where one is missing the test says so and skips, unless `CANDOR_DEPLOY_TESTS=require`
//! (set by `.ci/run`), where a missing tool fails the test.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A child process killed when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `None` (with the reason printed) when `tool` is absent and the tests may skip.
pub fn present(tool: &Path, what: &str) -> Option<PathBuf> {
    if tool.exists() {
        return Some(tool.to_path_buf());
    }
    let reason = format!(
        "{} not found: the {what} deploy test needs it (`.ci/run` installs it)",
        tool.display()
    );
    assert!(
        std::env::var("CANDOR_DEPLOY_TESTS").as_deref() != Ok("require"),
        "{reason}"
    );
    eprintln!("skipped: {reason}");
    None
}

pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

/// Waits until `port` accepts, or the child has exited. The deadline only keeps a broken
/// server from hanging the suite.
fn wait_until_listening(child: &mut Child, port: u16, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("{what} exited at start: {status}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{what} never listened on {port}");
}

/// The moto S3 server of `.ci/run`'s virtualenv.
pub fn moto_server() -> PathBuf {
    super::super::support::repo().join("target/moto-venv/bin/moto_server")
}

/// moto on a free port, with `bucket` created.
pub fn moto(server: &Path, bucket: &str) -> Server {
    let port = free_port();
    let mut child = Command::new(server)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start moto_server");
    wait_until_listening(&mut child, port, "moto_server");
    let server = Server { child, port };
    http(
        port,
        &format!(
            "PUT /{bucket} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        ),
    );
    server
}

/// Sends one raw request, returns the answer.
pub fn http(port: u16, request: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.write_all(request.as_bytes()).expect("send");
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    answer
}

/// sshd for this user on a free port, and the `RSYNC_RSH` that reaches it with the test's key.
pub struct Ssh {
    pub server: Server,
    pub rsync_rsh: String,
    pub user: String,
}

pub fn sshd(sshd: &Path, dir: &Path) -> Ssh {
    let keygen = |name: &str| {
        let path = dir.join(name);
        let ok = Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "", "-f"])
            .arg(&path)
            .status()
            .expect("ssh-keygen");
        assert!(ok.success(), "ssh-keygen");
        path
    };
    let host_key = keygen("host_key");
    let client_key = keygen("client_key");
    std::fs::copy(dir.join("client_key.pub"), dir.join("authorized_keys")).expect("copy key");
    let port = free_port();
    let config = dir.join("sshd_config");
    std::fs::write(
        &config,
        format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {}\nAuthorizedKeysFile {}\n\
             PidFile {}\nStrictModes no\nUsePAM no\nPasswordAuthentication no\n\
             KbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\n",
            host_key.display(),
            dir.join("authorized_keys").display(),
            dir.join("sshd.pid").display(),
        ),
    )
    .expect("write sshd_config");
    // Debian's sshd wants its privilege separation folder, made at boot on a real machine.
    let _ = std::fs::create_dir_all("/run/sshd");
    let mut child = Command::new(sshd)
        .arg("-D")
        .arg("-e")
        .arg("-f")
        .arg(&config)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start sshd");
    wait_until_listening(&mut child, port, "sshd");
    let user = String::from_utf8(Command::new("id").arg("-un").output().expect("id").stdout)
        .expect("user name")
        .trim()
        .to_owned();
    Ssh {
        server: Server { child, port },
        rsync_rsh: format!(
            "ssh -F /dev/null -p {port} -i {} -o IdentitiesOnly=yes -o BatchMode=yes \
             -o StrictHostKeyChecking=no -o UserKnownHostsFile={}",
            client_key.display(),
            dir.join("known_hosts").display()
        ),
        user,
    }
}

/// nginx on 127.0.0.1:`port` with `locations` (nginx `location` blocks) in its one server, as
/// a host configured by hand runs it; one process (no workers, no daemon), its files in `dir`.
pub fn nginx(nginx: &Path, dir: &Path, locations: &str, port: u16) -> Server {
    let dir = dir.display();
    let config = format!(
        "daemon off;\nmaster_process off;\npid {dir}/nginx.pid;\nerror_log {dir}/error.log;\n\
         events {{}}\nhttp {{\n  include /etc/nginx/mime.types;\n  access_log off;\n  \
         client_body_temp_path {dir}/body;\n  proxy_temp_path {dir}/proxy;\n  \
         fastcgi_temp_path {dir}/fastcgi;\n  uwsgi_temp_path {dir}/uwsgi;\n  \
         scgi_temp_path {dir}/scgi;\n  server {{\n    listen 127.0.0.1:{port};\n\
         {locations}\n  }}\n}}\n"
    );
    let path = format!("{dir}/nginx.conf");
    std::fs::write(&path, config).expect("write nginx.conf");
    let mut child = Command::new(nginx)
        .args([
            "-e",
            &format!("{dir}/error.log"),
            "-p",
            &dir.to_string(),
            "-c",
            &path,
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start nginx");
    wait_until_listening(&mut child, port, "nginx");
    Server { child, port }
}
