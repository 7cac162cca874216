//! A minimal HTTP/1.0 GET against a published container port: the status and the body (a
//! chunked body is decoded). Enough to ask a freshly started app for its answer; no TLS, no
//! redirects (a 3xx counts as an answer, as `curl -f` counts it).
//!
//! Imports nothing of the rest of the crate.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

#[derive(Debug, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub body: String,
}

pub fn get(port: u16, path: &str, timeout: Duration) -> Result<Response, String> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut stream = TcpStream::connect_timeout(&addr, timeout).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(timeout))
        .map_err(|e| e.to_string())?;
    stream
        .set_write_timeout(Some(timeout))
        .map_err(|e| e.to_string())?;
    let request = format!(
        "GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: stagegen-e2e\r\nAccept: */*\r\nConnection: close\r\n\r\n"
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    // at most 4 MiB: an answer to check, not a download
    stream
        .take(4 << 20)
        .read_to_end(&mut raw)
        .map_err(|e| e.to_string())?;
    parse(&raw)
}

fn parse(raw: &[u8]) -> Result<Response, String> {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("the answer has no complete header")?;
    let head = String::from_utf8_lossy(&raw[..end]);
    let body = &raw[end + 4..];
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("not an HTTP status line: `{status_line}`"))?;
    let chunked = lines.any(|l| {
        let l = l.to_ascii_lowercase();
        l.starts_with("transfer-encoding:") && l.contains("chunked")
    });
    let body = if chunked {
        dechunk(body)?
    } else {
        body.to_vec()
    };
    Ok(Response {
        status,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

fn dechunk(mut body: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let line_end = body
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or("a chunk has no size line")?;
        let size_text = String::from_utf8_lossy(&body[..line_end]);
        let size_text = size_text.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| format!("bad chunk size `{size_text}`"))?;
        body = &body[line_end + 2..];
        if size == 0 {
            return Ok(out);
        }
        if body.len() < size {
            return Err("the answer ends inside a chunk".to_string());
        }
        out.extend_from_slice(&body[..size]);
        body = body.get(size + 2..).unwrap_or_default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_answer() {
        let r = parse(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nhello from go-http\n")
            .unwrap();
        assert_eq!(
            r,
            Response {
                status: 200,
                body: "hello from go-http\n".into()
            }
        );
    }

    #[test]
    fn chunked_answer() {
        let r = parse(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n7;x=y\r\n world!\r\n0\r\n\r\n").unwrap();
        assert_eq!(r.body, "hello world!");
    }

    #[test]
    fn errors() {
        assert!(parse(b"HTTP/1.1 200").is_err());
        assert!(parse(b"garbage\r\n\r\n").is_err());
        assert_eq!(
            parse(b"HTTP/1.0 404 Not Found\r\n\r\nno").unwrap().status,
            404
        );
    }

    #[test]
    fn against_a_local_server() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            let mut buf = [0u8; 1024];
            let n = s.read(&mut buf).unwrap();
            assert!(String::from_utf8_lossy(&buf[..n]).starts_with("GET /health HTTP/1.0\r\n"));
            s.write_all(b"HTTP/1.0 200 OK\r\n\r\nok").unwrap();
        });
        let r = get(port, "/health", Duration::from_secs(5)).unwrap();
        assert_eq!(r.body, "ok");
        server.join().unwrap();
    }
}
