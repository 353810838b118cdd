//! A small static file server for `dist/`: HTTP/1.1 `GET` and `HEAD`, one thread per
//! connection, `Connection: close` on every answer. It binds to 127.0.0.1 only.
//!
//! `/` and any path ending in `/` serve that directory's `index.html`; a missing file is 404;
//! a path with a `..` segment (after percent-decoding) is refused with 400 and never touches
//! the disk. Responses carry `Cache-Control: no-store` so a rebuilt bundle is always fetched.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::thread;
use std::time::Duration;

use crate::shell::Outcome;

/// How long a client may take to send its request.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// The longest request head we read, in bytes.
const MAX_HEAD_BYTES: usize = 16 * 1024;

/// Binds a listener on 127.0.0.1; port 0 picks a free port.
pub fn bind(port: u16) -> Outcome<TcpListener> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, port))
        .map_err(|error| format!("cannot listen on 127.0.0.1:{port}: {error}"))
}

/// Serves files below `root` on every connection of `listener`, forever. With `log`, prints
/// one line per request.
pub fn serve(listener: TcpListener, root: &Path, log: bool) {
    for stream in listener.incoming().flatten() {
        let root = root.to_path_buf();
        thread::spawn(move || {
            if let Err(error) = answer(stream, &root, log) {
                if log {
                    eprintln!("connection error: {error}");
                }
            }
        });
    }
}

/// Reads one request and writes one response.
fn answer(stream: TcpStream, root: &Path, log: bool) -> io::Result<()> {
    stream.set_read_timeout(Some(READ_TIMEOUT))?;
    let request_line = read_head(&stream)?;
    let response = respond(&request_line, root);
    if log {
        println!("{request_line} -> {}", response.status.0);
    }
    let mut stream = stream;
    response.write_to(&mut stream)
}

/// Reads the request head and returns its first line; the header fields are not needed.
fn read_head(stream: &TcpStream) -> io::Result<String> {
    let mut reader = BufReader::new(stream).take(MAX_HEAD_BYTES as u64);
    let mut first = String::new();
    reader.read_line(&mut first)?;
    let mut line = String::new();
    while reader.read_line(&mut line)? > 0 && line.trim_end() != "" {
        line.clear();
    }
    Ok(first.trim_end().to_string())
}

/// A status code with its reason phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status(pub u16, pub &'static str);

const OK: Status = Status(200, "OK");
const BAD_REQUEST: Status = Status(400, "Bad Request");
const NOT_FOUND: Status = Status(404, "Not Found");
const METHOD_NOT_ALLOWED: Status = Status(405, "Method Not Allowed");

/// A complete response, ready to send.
#[derive(Debug)]
pub struct Response {
    /// The status line's code and phrase.
    pub status: Status,
    /// The `Content-Type` value.
    pub content_type: &'static str,
    /// The body; empty for `HEAD`, but `Content-Length` still tells the full size.
    pub body: Vec<u8>,
    /// The value of `Content-Length`.
    pub length: usize,
}

impl Response {
    /// A short plain-text response for errors.
    fn text(status: Status) -> Self {
        let body = format!("{} {}\n", status.0, status.1).into_bytes();
        Response { status, content_type: "text/plain; charset=utf-8", length: body.len(), body }
    }

    /// Writes the status line, the header fields and the body.
    pub fn write_to(&self, out: &mut impl Write) -> io::Result<()> {
        let head = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n\
             Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\
             Connection: close\r\n\r\n",
            self.status.0, self.status.1, self.content_type, self.length
        );
        out.write_all(head.as_bytes())?;
        out.write_all(&self.body)?;
        out.flush()
    }
}

/// The response to a request line such as `GET /index.html HTTP/1.1`.
pub fn respond(request_line: &str, root: &Path) -> Response {
    let mut words = request_line.split(' ');
    let (Some(method), Some(target)) = (words.next(), words.next()) else {
        return Response::text(BAD_REQUEST);
    };
    if method != "GET" && method != "HEAD" {
        return Response::text(METHOD_NOT_ALLOWED);
    }
    let path = match resolve(root, target) {
        Ok(path) => path,
        Err(status) => return Response::text(status),
    };
    let Ok(body) = std::fs::read(&path) else {
        return Response::text(NOT_FOUND);
    };
    let length = body.len();
    let body = if method == "HEAD" { Vec::new() } else { body };
    Response { status: OK, content_type: mime_type(&path), body, length }
}

/// Maps a request target to a file below `root`, refusing any `..` segment.
pub fn resolve(root: &Path, target: &str) -> Result<PathBuf, Status> {
    let path = target.split(['?', '#']).next().unwrap_or_default();
    if !path.starts_with('/') {
        return Err(BAD_REQUEST);
    }
    let decoded = percent_decode(path).ok_or(BAD_REQUEST)?;
    if decoded.contains(['\\', '\0']) {
        return Err(BAD_REQUEST);
    }
    let mut file = root.to_path_buf();
    for segment in decoded.split('/').filter(|s| !s.is_empty() && *s != ".") {
        if segment == ".." {
            return Err(BAD_REQUEST);
        }
        file.push(segment);
    }
    if decoded.ends_with('/') {
        file.push("index.html");
    }
    Ok(file)
}

/// Decodes `%XX` escapes; `None` for a broken escape or bytes that are not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.as_bytes();
    while let Some((&byte, tail)) = rest.split_first() {
        if byte == b'%' {
            let hex = std::str::from_utf8(tail.get(..2)?).ok()?;
            bytes.push(u8::from_str_radix(hex, 16).ok()?);
            rest = &tail[2..];
        } else {
            bytes.push(byte);
            rest = tail;
        }
    }
    String::from_utf8(bytes).ok()
}

/// The `Content-Type` for a file, by its extension.
pub fn mime_type(path: &Path) -> &'static str {
    let extension = path.extension().and_then(|ext| ext.to_str()).unwrap_or_default();
    match extension.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_index_and_files() {
        let root = Path::new("dist");
        assert_eq!(resolve(root, "/"), Ok(root.join("index.html")));
        assert_eq!(resolve(root, "/app.js?v=1"), Ok(root.join("app.js")));
        assert_eq!(resolve(root, "/a%20b/./c.css"), Ok(root.join("a b/c.css")));
        assert_eq!(resolve(root, "/docs/"), Ok(root.join("docs/index.html")));
    }

    #[test]
    fn refuses_traversal_and_odd_targets() {
        let root = Path::new("dist");
        for target in ["/../Cargo.toml", "/a/../../b", "/%2e%2e/x", "/a%5c..", "*", "/%zz", "/%"] {
            assert_eq!(resolve(root, target), Err(BAD_REQUEST), "{target}");
        }
    }

    #[test]
    fn mime_types() {
        assert_eq!(mime_type(Path::new("x_bg.wasm")), "application/wasm");
        assert_eq!(mime_type(Path::new("x.js")), "text/javascript; charset=utf-8");
        assert_eq!(mime_type(Path::new("style-1.css")), "text/css; charset=utf-8");
        assert_eq!(mime_type(Path::new("index.html")), "text/html; charset=utf-8");
        assert_eq!(mime_type(Path::new("blob")), "application/octet-stream");
    }

    /// A throwaway `dist/` with an index page, in the system's temporary directory.
    fn scratch_root() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-server-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.html"), "<main id=\"app\"></main>").unwrap();
        dir
    }

    /// Sends one raw request to the server and returns the whole response as text.
    fn fetch(port: u16, request: &str) -> String {
        let mut stream = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut text = String::new();
        stream.read_to_string(&mut text).unwrap();
        text
    }

    #[test]
    fn serves_over_loopback() {
        let root = scratch_root();
        let listener = bind(0).unwrap();
        let port = listener.local_addr().unwrap().port();
        let served = root.clone();
        thread::spawn(move || serve(listener, &served, false));

        let page = fetch(port, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assert!(page.starts_with("HTTP/1.1 200 OK\r\n"), "{page}");
        assert!(page.contains("Content-Type: text/html; charset=utf-8\r\n"));
        assert!(page.ends_with("<main id=\"app\"></main>"));

        let head = fetch(port, "HEAD /index.html HTTP/1.1\r\n\r\n");
        assert!(head.contains("Content-Length: 22\r\n") && head.ends_with("\r\n\r\n"));
        assert!(fetch(port, "GET /nope.js HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 404"));
        assert!(fetch(port, "GET /../x HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 400"));
        assert!(fetch(port, "POST / HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 405"));
        std::fs::remove_dir_all(root).unwrap();
    }
}
