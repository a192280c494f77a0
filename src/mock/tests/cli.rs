//! The binary's argument parsing.

use std::ffi::OsString;
use std::net::SocketAddr;

use super::super::cli::{CliError, Command, parse};

fn run(args: &[&str]) -> Result<Command, CliError> {
    parse(args.iter().map(OsString::from))
}

fn serve(args: &[&str]) -> (SocketAddr, super::super::MockOptions) {
    match run(args) {
        Ok(Command::Serve { listen, options }) => (listen, options),
        other => panic!("expected Serve, got {other:?}"),
    }
}

#[test]
fn no_arguments_listen_on_an_ephemeral_loopback_port() {
    let (listen, options) = serve(&[]);
    assert_eq!(listen, "127.0.0.1:0".parse().expect("addr"));
    assert!(options.management_token.is_none());
}

#[test]
fn all_flags_are_read_in_both_spellings() {
    let (listen, options) = serve(&[
        "--listen",
        "127.0.0.1:8080",
        "--management-token=T",
        "--account-id",
        "A",
        "--cluster-id=C",
    ]);
    assert_eq!(listen.port(), 8080);
    assert_eq!(options.management_token.as_deref(), Some("T"));
    assert_eq!(options.account_id.as_deref(), Some("A"));
    assert_eq!(options.cluster_id.as_deref(), Some("C"));
}

#[test]
fn ipv6_loopback_is_accepted() {
    let (listen, _) = serve(&["--listen", "[::1]:0"]);
    assert!(listen.is_ipv6());
}

#[test]
fn help_is_recognised_anywhere() {
    assert!(matches!(
        run(&["--listen", "127.0.0.1:0", "-h"]),
        Ok(Command::Help)
    ));
    assert!(matches!(run(&["--help"]), Ok(Command::Help)));
}

#[test]
fn a_non_loopback_or_malformed_listen_address_is_refused() {
    for addr in [
        "0.0.0.0:0",
        "192.168.1.2:80",
        "localhost:80",
        "127.0.0.1",
        "nope",
    ] {
        assert_eq!(
            run(&["--listen", addr]).map(|_| ()),
            Err(CliError::BadListen(addr.to_owned()))
        );
    }
}

#[test]
fn unknown_missing_and_repeated_arguments_are_refused() {
    assert_eq!(
        run(&["--port", "1"]).map(|_| ()),
        Err(CliError::Unknown("--port".to_owned()))
    );
    assert_eq!(
        run(&["serve"]).map(|_| ()),
        Err(CliError::Unknown("serve".to_owned()))
    );
    assert_eq!(
        run(&["--account-id"]).map(|_| ()),
        Err(CliError::MissingValue("--account-id".to_owned()))
    );
    assert_eq!(
        run(&["--cluster-id", "a", "--cluster-id=b"]).map(|_| ()),
        Err(CliError::Repeated("--cluster-id".to_owned()))
    );
}

#[test]
fn cluster_is_repeatable_and_adds_clusters_in_order() {
    let (_, options) = serve(&["--cluster", "A1:C1", "--cluster=A2:C2"]);
    assert_eq!(
        options.extra_clusters,
        [
            ("A1".to_owned(), "C1".to_owned()),
            ("A2".to_owned(), "C2".to_owned())
        ]
    );
    assert!(options.account_id.is_none(), "the default cluster stays");
}

#[test]
fn a_cluster_that_is_not_account_colon_cluster_is_refused() {
    for value in ["A1", "A1:", ":C1", "A1:C1:X"] {
        assert_eq!(
            run(&["--cluster", value]).map(|_| ()),
            Err(CliError::BadCluster(value.to_owned()))
        );
    }
    assert_eq!(
        run(&["--cluster"]).map(|_| ()),
        Err(CliError::MissingValue("--cluster".to_owned()))
    );
}

#[test]
fn a_generated_cluster_is_asked_for_with_two_counts() {
    let (_, options) = serve(&["--generate-tokens", "100000", "--permissions-per-token=10"]);
    assert_eq!(
        (options.generate_tokens, options.permissions_per_token),
        (100_000, 10)
    );
    assert_eq!(
        run(&["--generate-tokens", "many"]).err(),
        Some(CliError::BadCount(
            "--generate-tokens".to_owned(),
            "many".to_owned()
        ))
    );
    assert_eq!(
        run(&["--generate-tokens=1", "--generate-tokens=2"]).err(),
        Some(CliError::Repeated("--generate-tokens".to_owned()))
    );
}
