//! `influxdb3-mock-api` run as a program: started with arguments, its ready line read, killed
//! when dropped.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::Value as Json;

/// A running mock binary and the JSON line it printed when ready.
pub(crate) struct MockProcess {
    child: Child,
    /// The ready line: `endpoint`, `account_id`, `cluster_id`, `management_token`, and
    /// `clusters` when it serves more than one.
    pub(crate) ready: Json,
}

impl MockProcess {
    /// Starts the binary cargo built with `args` and waits for its ready line.
    pub(crate) fn start(args: &[&str]) -> MockProcess {
        let mut child = Command::new(env!("CARGO_BIN_EXE_influxdb3-mock-api"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the mock");
        let stdout = child.stdout.take().expect("stdout");
        let mut process = MockProcess {
            child,
            ready: Json::Null,
        };
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("ready line");
        process.ready = serde_json::from_str(&line).expect("one JSON line");
        process
    }

    /// A string field of the ready line.
    pub(crate) fn field(&self, name: &str) -> &str {
        self.ready[name]
            .as_str()
            .unwrap_or_else(|| panic!("no {name} in {}", self.ready))
    }

    /// Runs one HTTP request against the mock on a private runtime; returns status and body
    /// (JSON, or null when empty). `path` is appended to the server root (`/api/v0/…` or
    /// `/__mock/…`); API requests carry the management token.
    pub(crate) fn call(&self, method: &str, path: &str, body: Option<Json>) -> (u16, Json) {
        let root = self
            .field("endpoint")
            .trim_end_matches("/api/v0")
            .to_owned();
        let token = self.field("management_token").to_owned();
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("HTTP method");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async {
            let mut req = reqwest::Client::new()
                .request(method, format!("{root}{path}"))
                .bearer_auth(token);
            if let Some(body) = body {
                req = req.json(&body);
            }
            let answer = req.send().await.expect("request to the mock");
            let status = answer.status().as_u16();
            let bytes = answer.bytes().await.expect("body");
            (status, serde_json::from_slice(&bytes).unwrap_or(Json::Null))
        })
    }
}

impl Drop for MockProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
