//! `influxdb3-mock-api` started as a program, as the quickstart and people use it: one JSON
//! line when ready, then the reference's token calls with their documented status codes.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use serde_json::{Value as Json, json};

struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_binary_prints_its_line_and_serves_the_documented_token_calls() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_influxdb3-mock-api"))
        .args(["--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the mock");
    let stdout = child.stdout.take().expect("stdout");
    let _guard = Killed(child);
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("ready line");
    let ready: Json = serde_json::from_str(&line).expect("one JSON line");
    let endpoint = ready["endpoint"].as_str().expect("endpoint");
    let token = ready["management_token"]
        .as_str()
        .expect("management_token");
    let base = format!(
        "{endpoint}/accounts/{}/clusters/{}/tokens",
        ready["account_id"].as_str().expect("account_id"),
        ready["cluster_id"].as_str().expect("cluster_id")
    );
    let http = reqwest::Client::new();
    let auth = format!("Bearer {token}");

    let created = http
        .post(&base)
        .header("Authorization", &auth)
        .header("Accept", "application/json")
        .json(&json!({"description": "curl example", "permissions": [{"action": "read", "resource": "db1"}]}))
        .send()
        .await
        .expect("create");
    assert_eq!(created.status(), 200, "create answers 200, not 201");
    let created: Json = created.json().await.expect("create body");
    let id = created["id"].as_str().expect("id").to_owned();
    assert!(
        created["accessToken"]
            .as_str()
            .is_some_and(|t| t.starts_with("apiv1_"))
    );

    let list = http
        .get(&base)
        .header("Authorization", &auth)
        .send()
        .await
        .expect("list");
    assert_eq!(list.status(), 200);
    let list: Json = list.json().await.expect("list body");
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    assert!(
        list[0].get("accessToken").is_none(),
        "the secret only comes with create"
    );

    let one = format!("{base}/{id}");
    let got = http
        .get(&one)
        .header("Authorization", &auth)
        .send()
        .await
        .expect("get");
    assert_eq!(got.status(), 200);

    let patched = http
        .patch(&one)
        .header("Authorization", &auth)
        .json(&json!({"description": "renamed"}))
        .send()
        .await
        .expect("patch");
    assert_eq!(patched.status(), 200);
    let patched: Json = patched.json().await.expect("patch body");
    assert_eq!(patched["description"], "renamed");
    assert_eq!(
        patched["permissions"][0]["resource"], "db1",
        "permissions kept"
    );

    let deleted = http
        .delete(&one)
        .header("Authorization", &auth)
        .send()
        .await
        .expect("delete");
    assert_eq!(deleted.status(), 204);
    assert!(deleted.bytes().await.expect("body").is_empty());
    let again = http
        .delete(&one)
        .header("Authorization", &auth)
        .send()
        .await
        .expect("delete");
    assert_eq!(again.status(), 404);
    let unauthorized = http.get(&base).send().await.expect("no auth");
    assert_eq!(unauthorized.status(), 401);
}
