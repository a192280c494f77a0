//! An API (or something in front of it) answering with strings made to drive the terminal:
//! what reaches Terraform's output is escaped and of bounded length.

use std::io::{Read, Write};
use std::net::TcpListener;

use super::support::terraform_or_return;
use super::support::{WorkDir, required_providers};

const ACCOUNT: &str = "11111111-1111-4111-8111-111111111111";
const CLUSTER: &str = "22222222-2222-4222-8222-222222222222";
const TOKEN_ID: &str = "33333333-3333-4333-8333-333333333333";

/// A loopback "Management API" answering every request 200 with `body`; its endpoint.
fn answering(body: String) -> String {
    answering_with(200, body)
}

/// A loopback "Management API" answering every request `status` with `body`; its endpoint.
fn answering_with(status: u16, body: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("address");
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut buf = [0u8; 8192];
            let _ = stream.read(&mut buf);
            let answer = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(answer.as_bytes());
        }
    });
    format!("http://{addr}/api/v0")
}

#[test]
fn an_id_holding_terminal_escapes_is_printed_escaped_and_cut() {
    let tf = terraform_or_return!();
    // Clears the screen, homes the cursor and writes Terraform's success line; then pads.
    let id = format!(
        "\u{1b}[2J\u{1b}[H\u{1b}[32mApply complete! Resources: 0 added\u{1b}[0m\r{}",
        "x".repeat(20_000)
    );
    let body = serde_json::json!({
        "id": id,
        "accountId": ACCOUNT,
        "clusterId": CLUSTER,
        "description": "d",
        "permissions": [],
        "createdAt": "2024-01-01T00:00:00Z",
    })
    .to_string();
    let endpoint = answering(body);
    let mut wd = WorkDir::new(&tf);
    wd.set_env("INFLUXDB3_ENDPOINT", &endpoint);
    wd.set_env("INFLUXDB3_ACCOUNT_ID", ACCOUNT);
    wd.set_env("INFLUXDB3_CLUSTER_ID", CLUSTER);
    wd.set_env(
        "INFLUXDB3_MANAGEMENT_TOKEN",
        "management-token-for-a-hostile-api",
    );
    wd.write_config(&format!(
        "{}\nresource \"influxdb3_database_token\" \"t\" {{\n  description = \"d\"\n}}\n",
        required_providers()
    ));
    let out = wd.terraform(&[
        "import",
        "-no-color",
        "-input=false",
        "influxdb3_database_token.t",
        TOKEN_ID,
    ]);
    assert_ne!(out.code, 0, "{out}");
    let text = out.output();
    assert!(
        text.contains("Cannot Import Database Token"),
        "the answer is refused:\n{text}"
    );
    assert!(
        !text.contains('\u{1b}') && !text.contains('\r'),
        "a control character reached the terminal:\n{:?}",
        text.chars().take(1500).collect::<String>()
    );
    assert!(text.contains("\\u{1b}[2J"), "it is shown escaped:\n{text}");
    assert!(
        text.len() < 12_000,
        "the 20000-character id is cut ({} bytes of output)",
        text.len()
    );
}

/// A database token as an answer might quote it.
const TOKEN: &str = "apiv1_Zk3pQ9rT2vX8wY1aB4cD6eF0gH5iJ7kL9mN2oP4qR6sT8uV0wX2yZ4aB6cD8eF";

fn tokens_data_source(wd: &mut WorkDir, endpoint: &str) {
    wd.set_env("INFLUXDB3_ENDPOINT", endpoint);
    wd.set_env("INFLUXDB3_ACCOUNT_ID", ACCOUNT);
    wd.set_env("INFLUXDB3_CLUSTER_ID", CLUSTER);
    wd.set_env(
        "INFLUXDB3_MANAGEMENT_TOKEN",
        "management-token-for-a-hostile-api",
    );
    wd.write_config(&format!(
        "{}\ndata \"influxdb3_database_tokens\" \"all\" {{}}\n",
        required_providers()
    ));
}

#[test]
fn a_token_in_an_answer_is_not_quoted_whole_or_in_pieces() {
    let tf = terraform_or_return!();
    let body = &TOKEN[6..];
    let spaced: String = body
        .as_bytes()
        .chunks(8)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    for (status, answer) in [
        // A 2xx that is not a list: the parse error would quote the string.
        (200, serde_json::json!(TOKEN).to_string()),
        // An error whose message holds the token cut into pieces shorter than 32.
        (
            400,
            serde_json::json!({"code": 400, "message": format!("bad token {spaced}")}).to_string(),
        ),
    ] {
        let mut wd = WorkDir::new(&tf);
        tokens_data_source(&mut wd, &answering_with(status, answer));
        let out = wd.terraform(&["plan", "-no-color", "-input=false"]);
        assert_ne!(out.code, 0, "{out}");
        let text = out.output();
        assert!(text.contains("Cannot List Database Tokens"), "{text}");
        for piece in body.as_bytes().chunks(8) {
            let piece = String::from_utf8_lossy(piece);
            assert!(
                !text.contains(piece.as_ref()),
                "HTTP {status} answer quoted: {text}"
            );
        }
    }
}
