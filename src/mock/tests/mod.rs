//! Tests of the mock, through HTTP against a mock spawned on the test's runtime.

mod access;
mod cli;
mod control;
mod databases;
mod drop_response;
mod openapi;
mod openapi_recovery;
mod recovery;
mod server;
mod switches;
mod tokens;
mod validation;

use reqwest::Method;
use serde_json::{Value, json};

use super::{MockOptions, MockServer};

/// A spawned mock plus an HTTP client that sends its management token.
pub(super) struct Mock {
    pub(super) server: MockServer,
    http: reqwest::Client,
}

/// What came back: status, `Content-Type`, and the body as JSON (`Null` when empty; a JSON
/// string holding the raw text when it is not JSON).
#[derive(Debug)]
pub(super) struct Reply {
    pub(super) status: u16,
    pub(super) content_type: Option<String>,
    pub(super) body: Value,
}

impl Mock {
    pub(super) async fn new() -> Self {
        Self::with(MockOptions::default()).await
    }

    pub(super) async fn with(options: MockOptions) -> Self {
        let server = MockServer::spawn(options).await.expect("mock starts");
        Self {
            server,
            http: reqwest::Client::new(),
        }
    }

    /// A mock whose client keeps no idle connection, so no client timer runs: on paused time
    /// (`start_paused`) the clock then moves only for the mock's own waits.
    pub(super) async fn on_paused_time() -> Self {
        let server = MockServer::spawn(MockOptions::default())
            .await
            .expect("mock starts");
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .build()
            .expect("a client without an idle pool builds");
        Self { server, http }
    }

    /// `{endpoint}/accounts/{account}/clusters/{cluster}{rest}` of the default cluster.
    pub(super) fn url(&self, rest: &str) -> String {
        format!(
            "{}/accounts/{}/clusters/{}{rest}",
            self.server.endpoint(),
            self.server.account_id(),
            self.server.cluster_id()
        )
    }

    /// Sends an authorized request; `body` is sent as JSON when given.
    pub(super) async fn call(&self, method: Method, url: &str, body: Option<Value>) -> Reply {
        let mut request = self
            .http
            .request(method, url)
            .bearer_auth(self.server.management_token());
        if let Some(body) = body {
            request = request.json(&body);
        }
        reply(request.send().await.expect("request is answered")).await
    }

    pub(super) async fn get(&self, rest: &str) -> Reply {
        self.call(Method::GET, &self.url(rest), None).await
    }

    pub(super) async fn post(&self, rest: &str, body: Value) -> Reply {
        self.call(Method::POST, &self.url(rest), Some(body)).await
    }

    pub(super) async fn patch(&self, rest: &str, body: Value) -> Reply {
        self.call(Method::PATCH, &self.url(rest), Some(body)).await
    }

    pub(super) async fn delete(&self, rest: &str) -> Reply {
        self.call(Method::DELETE, &self.url(rest), None).await
    }

    /// Sends a raw request without the management token, with the given headers and body.
    pub(super) async fn raw(
        &self,
        method: Method,
        url: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Reply {
        let mut request = self.http.request(method, url);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(body) = body {
            request = request.body(body.to_owned());
        }
        reply(request.send().await.expect("request is answered")).await
    }

    /// Creates a token with the given body and returns the response body (asserts 200).
    pub(super) async fn create_token(&self, body: Value) -> Value {
        let reply = self.post("/tokens", body).await;
        assert_eq!(reply.status, 200, "{reply:?}");
        reply.body
    }

    /// Creates a token with a read permission on `db` and returns its id.
    pub(super) async fn token_id(&self, description: &str) -> String {
        let body = self
            .create_token(json!({
                "description": description,
                "permissions": [{"action": "read", "resource": "db"}]
            }))
            .await;
        body["id"].as_str().expect("id is a string").to_owned()
    }

    /// Creates a database with the given body and returns the response body (asserts 200).
    pub(super) async fn create_database(&self, body: Value) -> Value {
        let reply = self.post("/databases", body).await;
        assert_eq!(reply.status, 200, "{reply:?}");
        reply.body
    }

    pub(super) fn configure(&self, patch: Value) {
        self.server.configure(patch).expect("valid config");
    }

    /// The control endpoint URL `{base}/__mock/{what}`.
    pub(super) fn control(&self, what: &str) -> String {
        format!("{}/__mock/{what}", self.server.base_url())
    }
}

async fn reply(response: reqwest::Response) -> Reply {
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let text = response.text().await.expect("body is read");
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    Reply {
        status,
        content_type,
        body,
    }
}

/// The header a control POST needs (the guard refuses other content types).
pub(super) const JSON: &[(&str, &str)] = &[("content-type", "application/json")];

/// Asserts an API error: the status, a JSON content type, and `{code: status, message: <non-empty>}`.
pub(super) fn assert_error(reply: &Reply, status: u16) {
    assert_eq!(reply.status, status, "{reply:?}");
    assert_eq!(
        reply.content_type.as_deref(),
        Some("application/json"),
        "{reply:?}"
    );
    assert_eq!(reply.body["code"], json!(status), "{reply:?}");
    let message = reply.body["message"].as_str().expect("message is a string");
    assert!(!message.is_empty());
    assert_eq!(
        reply.body.as_object().map(|o| o.len()),
        Some(2),
        "{reply:?}"
    );
}
