//! Finding the provider processes a test's Terraform started: on Linux, by their executable
//! (the provider cargo built) and their working directory (the test's, which Terraform passes
//! on). Elsewhere nothing is found, and tests that need it say so.

use std::path::Path;

/// Pids of running provider processes whose working directory is `dir`.
pub(crate) fn providers_in(dir: &Path) -> Vec<u32> {
    let Ok(exe) = std::fs::canonicalize(env!("CARGO_BIN_EXE_terraform-provider-influxdb3")) else {
        return Vec::new();
    };
    let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let link = |name: &str| std::fs::read_link(format!("/proc/{pid}/{name}")).ok();
            link("exe").as_deref() == Some(exe.as_path())
                && link("cwd").as_deref() == Some(dir.as_path())
        })
        .collect()
}
