//! The provider registry protocol on loopback, served by the test: the `versions` and
//! `download` documents for `ironflux/influxdb3` and the release files they point at. Terraform
//! reaches it through a CLI configuration `host "registry.terraform.io"` block.
//!
//! A tiny HTTP/1.1 server (GET only, one request per connection) on its own thread: enough for
//! Terraform's client, and nothing the provider's own code could echo.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;

use super::release::{PLATFORM, Release, VERSION};

const PROVIDER_PATH: &str = "/v1/providers/ironflux/influxdb3";

/// A running registry. Stops when dropped.
#[derive(Debug)]
pub(crate) struct Registry {
    port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Registry {
    /// Serves `release`, with `files` replacing release files by name (a tampered zip, a
    /// forged signature).
    pub(crate) fn serve(release: &Release, replaced: &[(&str, Vec<u8>)]) -> Registry {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind registry");
        let port = listener.local_addr().expect("addr").port();
        let base = format!("http://127.0.0.1:{port}");
        let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        let sums = Release::file_name("SHA256SUMS");
        let sig = format!("{sums}.sig");
        for name in [Release::zip_name(), sums.clone(), sig.clone()] {
            let bytes = release.read(&name);
            files.insert(format!("/files/{name}"), bytes);
        }
        for (name, bytes) in replaced {
            files.insert(format!("/files/{name}"), bytes.clone());
        }
        let versions = serde_json::json!({
            "versions": [{
                "version": VERSION,
                "protocols": ["6.0"],
                "platforms": [{"os": PLATFORM.0, "arch": PLATFORM.1}],
            }]
        });
        let download = serde_json::json!({
            "protocols": ["6.0"],
            "os": PLATFORM.0,
            "arch": PLATFORM.1,
            "filename": Release::zip_name(),
            "download_url": format!("{base}/files/{}", Release::zip_name()),
            "shasums_url": format!("{base}/files/{sums}"),
            "shasums_signature_url": format!("{base}/files/{sig}"),
            "shasum": release.zip_sha256(),
            "signing_keys": {"gpg_public_keys": [{
                "key_id": release.key_id,
                "ascii_armor": release.public_key,
            }]},
        });
        files.insert(
            format!("{PROVIDER_PATH}/versions"),
            versions.to_string().into_bytes(),
        );
        files.insert(
            format!(
                "{PROVIDER_PATH}/{VERSION}/download/{}/{}",
                PLATFORM.0, PLATFORM.1
            ),
            download.to_string().into_bytes(),
        );
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    return;
                }
                if let Ok(stream) = stream {
                    answer(stream, &files);
                }
            }
        });
        Registry {
            port,
            stop,
            thread: Some(thread),
        }
    }

    /// A CLI configuration that sends `registry.terraform.io` provider lookups here and
    /// installs nothing any other way.
    pub(crate) fn cli_config(&self) -> String {
        format!(
            "host \"registry.terraform.io\" {{\n  services = {{\n    \"providers.v1\" = \"http://127.0.0.1:{}/v1/providers/\"\n  }}\n}}\n",
            self.port
        )
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect((Ipv4Addr::LOCALHOST, self.port));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn answer(stream: TcpStream, files: &BTreeMap<String, Vec<u8>>) {
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) | Err(_) => break,
            Ok(_) if header == "\r\n" || header == "\n" => break,
            Ok(_) => {}
        }
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("");
    let path = path.split('?').next().unwrap_or("");
    let (status, body, kind) = match files.get(path) {
        Some(body) if path.starts_with("/v1/") => ("200 OK", body.as_slice(), "application/json"),
        Some(body) => ("200 OK", body.as_slice(), "application/octet-stream"),
        None => (
            "404 Not Found",
            &b"{\"errors\":[\"Not Found\"]}"[..],
            "application/json",
        ),
    };
    let mut out = stream;
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = out.write_all(head.as_bytes());
    let _ = out.write_all(body);
    let _ = out.flush();
}
