//! Every example directory under `examples/` validates under real Terraform, so the docs (which
//! include them) cannot drift from the schema.

use std::path::{Path, PathBuf};

use super::support::terraform_or_return;
use super::support::{WorkDir, required_providers};

// Only `.tf` files are validated. The `.hcl` examples (`import { identity = … }`, Terraform
// 1.12+, and `*.tfquery.hcl` list blocks, Terraform 1.14+) are skipped: the Terraform these
// tests run (1.11 and 1.0.3) cannot parse them. The protocol suite (tests/protocol) covers the
// provider's side of both.
fn example_dirs(root: &Path) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut has_tf = false;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "tf") {
                has_tf = true;
            }
        }
        if has_tf {
            dirs.push(dir);
        }
    }
    dirs.sort();
    dirs
}

#[test]
fn every_example_validates() {
    let tf = terraform_or_return!();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let dirs = example_dirs(&root);
    assert!(
        !dirs.is_empty(),
        "no examples found under {}",
        root.display()
    );
    for dir in dirs {
        if dir.starts_with(root.join("ephemeral-resources"))
            && !tf.has(super::support::terraform::Feature::Ephemerals)
        {
            eprintln!(
                "every_example_validates: skipping {} ({} has no ephemeral blocks)",
                dir.display(),
                tf.describe()
            );
            continue;
        }
        if dir.starts_with(root.join("actions"))
            && !tf.has(super::support::terraform::Feature::Actions)
        {
            eprintln!(
                "every_example_validates: skipping {} ({} has no action blocks)",
                dir.display(),
                tf.describe()
            );
            continue;
        }
        let wd = WorkDir::new(&tf);
        let mut declares_provider = false;
        for entry in std::fs::read_dir(&dir).expect("read example dir").flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "tf") {
                let text = std::fs::read_to_string(&path).expect("read example");
                declares_provider |= text.contains("required_providers");
                std::fs::write(wd.file(&entry.file_name().to_string_lossy()), text)
                    .expect("copy example");
            }
        }
        if !declares_provider {
            std::fs::write(wd.file("versions.tf"), required_providers()).expect("versions.tf");
        }
        let out = wd.terraform(&["validate", "-no-color"]);
        assert_eq!(out.code, 0, "{} does not validate:\n{out}", dir.display());
    }
}
