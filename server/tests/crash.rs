//! A `kill -9` of `stride serve` during uploads leaves no half-written row or file, and loses
//! nothing committed: the binary is started on a data folder, uploads are cut at several points
//! (halfway through the body, and 0 to 40 ms after the whole body was sent, which lands during
//! the analysis, the write of the original or the insert), the process is killed with SIGKILL and
//! started again on the same folder. After each restart: every run listed has its original, byte
//! for byte; every file in the originals folder is a whole original under its own SHA-256; the
//! run committed before the crashes is still there; SQLite's integrity check passes.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use app::server::credentials::sha256_hex;

fn fixture(path: &str) -> Vec<u8> {
    let full = format!(
        "{}/../../shared/fixtures/{path}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&full).unwrap_or_else(|e| panic!("cannot read the fixture {full}: {e}"))
}

struct Server {
    child: Child,
    port: u16,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start(data: &Path) -> Server {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_stride"))
        .args(["serve", "--addr", &format!("127.0.0.1:{port}"), "--data"])
        .arg(data)
        .args(["--site-root"])
        .arg(data.join("no-site"))
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the stride binary starts");
    let server = Server { child, port };
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok((200, _)) = server.request("GET", "/healthz", None, &[]) {
            return server;
        }
        assert!(Instant::now() < deadline, "the server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
}

impl Server {
    /// One HTTP/1.1 request; the status and body.
    fn request(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: &[u8],
    ) -> std::io::Result<(u16, Vec<u8>)> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port))?;
        stream.write_all(head(method, path, token, body.len()).as_bytes())?;
        stream.write_all(body)?;
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer)?;
        let split = answer
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .ok_or_else(|| std::io::Error::other("no header end"))?;
        let status = String::from_utf8_lossy(&answer[9..12]).parse().unwrap_or(0);
        let head = String::from_utf8_lossy(&answer[..split]).to_ascii_lowercase();
        let mut body = answer[split + 4..].to_vec();
        if head.contains("transfer-encoding: chunked") {
            body = unchunk(&body);
        }
        Ok((status, body))
    }

    fn json(&self, path: &str, token: &str) -> serde_json::Value {
        let (status, body) = self.request("GET", path, Some(token), &[]).unwrap();
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
        serde_json::from_slice(&body).unwrap()
    }

    fn kill(mut self) {
        // SIGKILL: no shutdown, no flush.
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

fn head(method: &str, path: &str, token: Option<&str>, len: usize) -> String {
    let auth = token.map_or_else(String::new, |t| format!("Authorization: Bearer {t}\r\n"));
    format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{auth}\
         Content-Type: application/octet-stream\r\nContent-Length: {len}\r\n\r\n"
    )
}

fn unchunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = body.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&body[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&body[end + 2..end + 2 + size]);
        body = &body[end + 4 + size..];
    }
    out
}

fn stride(args: &[&str], data: &Path, stdin: &str) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_stride"))
        .args(args)
        .arg("--data")
        .arg(data)
        .env("RUST_LOG", "error")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// Every file under the originals folder.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found
}

/// The invariants after a restart; the ids of the runs listed.
fn check(server: &Server, token: &str, data: &Path, committed: &str) -> Vec<(String, String)> {
    let list = server.json("/api/v1/activities?limit=100", token);
    let mut runs = Vec::new();
    for run in list["activities"].as_array().unwrap() {
        let (id, sha) = (run["id"].as_str().unwrap(), run["sha256"].as_str().unwrap());
        let (status, bytes) = server
            .request(
                "GET",
                &format!("/api/v1/activities/{id}/original"),
                Some(token),
                &[],
            )
            .unwrap();
        assert_eq!(status, 200, "run {id} lost its original");
        assert_eq!(sha256_hex(&bytes), sha, "run {id}: the original is whole");
        runs.push((id.to_string(), sha.to_string()));
    }
    assert!(
        runs.iter().any(|(_, sha)| sha == committed),
        "the committed run is kept"
    );
    for file in files(&data.join("originals")) {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&file).unwrap();
        assert_eq!(
            sha256_hex(&bytes),
            name,
            "{}: a whole original under its hash",
            file.display()
        );
    }
    runs
}

#[test]
fn kill_9_during_uploads_leaves_nothing_half_written() {
    let data = std::env::temp_dir().join(format!("stride-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    stride(
        &["user", "create", "ada", "--password-stdin"],
        &data,
        "analytical engine\n",
    );
    let token = stride(&["token", "create", "ada", "--name", "crash"], &data, "")
        .trim()
        .to_string();
    let first = fixture("python-fitparse/garmin-fenix-5-run.fit");
    let big = fixture("jimmykane-fit-parser/running-with-developer-data.fit");
    let committed = sha256_hex(&first);

    let mut server = start(&data);
    let (status, _) = server
        .request("POST", "/api/v1/activities", Some(&token), &first)
        .unwrap();
    assert_eq!(status, 201);

    // Halfway through the body, then at points after it, each time on a fresh process.
    let cuts: Vec<Option<u64>> = [
        None,
        Some(0),
        Some(1),
        Some(3),
        Some(6),
        Some(10),
        Some(20),
        Some(40),
    ]
    .into_iter()
    .collect();
    let mut outcomes = Vec::new();
    for cut in cuts {
        let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        stream
            .write_all(head("POST", "/api/v1/activities", Some(&token), big.len()).as_bytes())
            .unwrap();
        match cut {
            None => stream.write_all(&big[..big.len() / 2]).unwrap(),
            Some(ms) => {
                stream.write_all(&big).unwrap();
                std::thread::sleep(Duration::from_millis(ms));
            }
        }
        server.kill();
        drop(stream);
        server = start(&data);
        let runs = check(&server, &token, &data, &committed);
        let kept = runs.iter().find(|(_, sha)| *sha == sha256_hex(&big));
        outcomes.push((cut, kept.is_some()));
        // Start the next round without the big run, so that its upload writes again.
        if let Some((id, _)) = kept {
            let (status, _) = server
                .request(
                    "DELETE",
                    &format!("/api/v1/activities/{id}"),
                    Some(&token),
                    &[],
                )
                .unwrap();
            assert_eq!(status, 204);
        }
    }
    eprintln!("cut (ms after the body; None = halfway) -> run kept: {outcomes:?}");
    assert_eq!(outcomes[0], (None, false), "half a body is never a run");
    server.kill();

    // SQLite's own check of the file after the last kill.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let pool = app::server::db::open(&data).await.unwrap();
        let ok: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(ok, "ok");
        pool.close().await;
    });
    std::fs::remove_dir_all(&data).unwrap();
}
