//! Command-line arguments of the `influxdb3-mock-api` binary, parsed by hand.
//!
//! `--flag value` and `--flag=value` are both accepted; each flag at most once, except
//! `--cluster`, which may be repeated.

use std::ffi::OsString;
use std::net::{Ipv4Addr, SocketAddr};

use super::start_options::MockOptions;

/// The usage text printed on `--help` (stdout) and on bad arguments (stderr, exit 2).
pub const USAGE: &str = "\
Usage: influxdb3-mock-api [--listen ADDR] [--management-token T] [--account-id UUID] [--cluster-id UUID]
                          [--cluster ACCOUNT:CLUSTER]... [--generate-tokens N [--permissions-per-token P]]

Serves an in-memory mock of the InfluxDB Cloud Dedicated Management API and prints one JSON
line {\"endpoint\",\"account_id\",\"cluster_id\",\"management_token\"} on stdout when ready.
With --cluster the line also has \"clusters\": [{\"account_id\",\"cluster_id\"}, ...], every
served cluster, the default one (account_id/cluster_id) first.
Runs until SIGINT or SIGTERM.

  --listen ADDR              loopback address and port to listen on (default 127.0.0.1:0)
  --management-token T       the accepted Bearer token, for every cluster (default: random)
  --account-id UUID          the default cluster's account id (default: random)
  --cluster-id UUID          the default cluster's id (default: random)
  --cluster ACCOUNT:CLUSTER  serve one more cluster, with its own tokens and databases
                             (two UUIDs; repeatable). Requests for any other cluster get 404
  --generate-tokens N        start the default cluster with N live tokens (and again after
                             every reset), generated at once instead of N creates
  --permissions-per-token P  permissions of each generated token (default 0, at most 2000)
  -h, --help                 print this help";

/// What the command line asks for.
#[derive(Debug, Clone)]
pub enum Command {
    /// Print [`USAGE`] and exit 0.
    Help,
    /// Serve on `listen` with `options`.
    Serve {
        /// A loopback address (checked here).
        listen: SocketAddr,
        /// Ids and token; validated when the server starts.
        options: MockOptions,
    },
}

/// A command-line mistake; the binary prints it with [`USAGE`] and exits 2.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CliError {
    /// An argument that is not one of the flags.
    #[error("unknown argument `{0}`")]
    Unknown(String),
    /// A flag given without its value.
    #[error("`{0}` needs a value")]
    MissingValue(String),
    /// A flag given twice.
    #[error("`{0}` given more than once")]
    Repeated(String),
    /// A value that is not valid UTF-8.
    #[error("the value of `{0}` is not valid UTF-8")]
    NotUtf8(String),
    /// `--cluster` whose value is not `ACCOUNT:CLUSTER`.
    #[error("--cluster `{0}` must be ACCOUNT:CLUSTER, an account id and a cluster id (UUIDs)")]
    BadCluster(String),
    /// A count flag whose value is not a whole number.
    #[error("`{0}` needs a whole number, not `{1}`")]
    BadCount(String, String),
    /// `--listen` that is not `IP:PORT` or not a loopback address.
    #[error("--listen `{0}` must be a loopback IP:PORT, e.g. 127.0.0.1:0 or [::1]:8080")]
    BadListen(String),
}

/// Parses the arguments after the program name.
pub fn parse<I>(args: I) -> Result<Command, CliError>
where
    I: IntoIterator<Item = OsString>,
{
    let mut listen: Option<String> = None;
    let mut options = MockOptions::default();
    let (mut generate, mut permissions) = (None, None);
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let arg = arg
            .into_string()
            .map_err(|raw| CliError::Unknown(raw.to_string_lossy().into_owned()))?;
        if arg == "-h" || arg == "--help" {
            return Ok(Command::Help);
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (arg.clone(), None),
        };
        if flag == "--cluster" {
            let value = value_of(&flag, inline, &mut args)?;
            options.extra_clusters.push(cluster_pair(&value)?);
            continue;
        }
        if flag == "--generate-tokens" || flag == "--permissions-per-token" {
            let counted = if flag == "--generate-tokens" {
                &mut generate
            } else {
                &mut permissions
            };
            if counted.is_some() {
                return Err(CliError::Repeated(flag));
            }
            let value = value_of(&flag, inline, &mut args)?;
            let n = value
                .parse::<usize>()
                .map_err(|_| CliError::BadCount(flag.clone(), value.clone()))?;
            *counted = Some(n);
            continue;
        }
        let slot = match flag.as_str() {
            "--listen" => &mut listen,
            "--management-token" => &mut options.management_token,
            "--account-id" => &mut options.account_id,
            "--cluster-id" => &mut options.cluster_id,
            _ => return Err(CliError::Unknown(arg)),
        };
        if slot.is_some() {
            return Err(CliError::Repeated(flag));
        }
        *slot = Some(value_of(&flag, inline, &mut args)?);
    }
    let listen = match listen {
        None => SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        Some(text) => text
            .parse::<SocketAddr>()
            .ok()
            .filter(|addr| addr.ip().is_loopback())
            .ok_or(CliError::BadListen(text))?,
    };
    options.generate_tokens = generate.unwrap_or(0);
    options.permissions_per_token = permissions.unwrap_or(0);
    Ok(Command::Serve { listen, options })
}

/// The flag's value: after `=`, else the next argument.
fn value_of(
    flag: &str,
    inline: Option<String>,
    args: &mut impl Iterator<Item = OsString>,
) -> Result<String, CliError> {
    match inline {
        Some(value) => Ok(value),
        None => args
            .next()
            .ok_or_else(|| CliError::MissingValue(flag.to_owned()))?
            .into_string()
            .map_err(|_| CliError::NotUtf8(flag.to_owned())),
    }
}

/// Splits `ACCOUNT:CLUSTER`; whether both are UUIDs is checked when the server starts.
fn cluster_pair(value: &str) -> Result<(String, String), CliError> {
    match value.split_once(':') {
        Some((account, cluster))
            if !account.is_empty() && !cluster.is_empty() && !cluster.contains(':') =>
        {
            Ok((account.to_owned(), cluster.to_owned()))
        }
        _ => Err(CliError::BadCluster(value.to_owned())),
    }
}
