//! Registry-layout documentation generated from the provider's own schema.
//!
//! Each page comes from a hand-written template in `templates/` (prose that no schema can
//! carry: warnings, how-tos) with markers the generator fills in:
//! - `{{schema}}`: the attribute reference of the page's type, from the schema descriptions;
//! - `{{example path/from/examples}}`: a file of `examples/`, fenced as HCL or shell.
//!
//! A page without a template gets a default one. `influxdb3-docs` writes `docs/`;
//! `influxdb3-docs --check` (and a test) fails when `docs/` is not what the schema says.

mod render;

use std::path::{Path, PathBuf};

use crate::framework::Schema;
use crate::provider::InfluxDb3Provider;
use crate::server::ProviderService;

pub use render::schema_markdown;

/// Why documentation could not be generated.
#[derive(Debug, thiserror::Error)]
pub enum DocsError {
    /// A template or example could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A template names a marker the generator does not know.
    #[error("{template}: unknown marker {marker:?}")]
    UnknownMarker {
        /// The template.
        template: PathBuf,
        /// The marker.
        marker: String,
    },
}

/// One generated page: where it goes under the repository root, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Path relative to the repository root, e.g. `docs/resources/database_token.md`.
    pub path: PathBuf,
    /// The Markdown.
    pub text: String,
}

struct Subject<'a> {
    /// `index`, `resources`, `data-sources`, `ephemeral-resources`, `actions`.
    kind: &'static str,
    /// Type name without the `influxdb3_` prefix (`database_token`), or `index`.
    short: String,
    full: String,
    schema: &'a Schema,
}

/// Renders every page from the templates and examples under `root`.
pub fn render_all(root: &Path) -> Result<Vec<Page>, DocsError> {
    let service = ProviderService::new(InfluxDb3Provider);
    let actions = service.action_schemas();
    let mut subjects = vec![Subject {
        kind: "index",
        short: "index".to_owned(),
        full: "influxdb3".to_owned(),
        schema: service.provider_schema(),
    }];
    for (kind, list) in [
        ("resources", service.resource_schemas()),
        ("data-sources", service.data_source_schemas()),
        ("ephemeral-resources", service.ephemeral_resource_schemas()),
        ("actions", actions.iter().map(|(n, s)| (*n, s)).collect()),
    ] {
        for (name, schema) in list {
            subjects.push(Subject {
                kind,
                short: name.trim_start_matches("influxdb3_").to_owned(),
                full: name.to_owned(),
                schema,
            });
        }
    }
    let mut pages = subjects
        .iter()
        .map(|s| render_page(root, s))
        .collect::<Result<Vec<_>, _>>()?;
    pages.extend(render_guides(root, subjects[0].schema)?);
    Ok(pages)
}

/// Guides: every `templates/guides/NAME.md.tmpl` becomes `docs/guides/NAME.md`. They hold
/// prose and examples, so `{{schema}}` in one renders the provider's own schema.
fn render_guides(root: &Path, schema: &Schema) -> Result<Vec<Page>, DocsError> {
    let dir = root.join("templates/guides");
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(DocsError::Read { path: dir, source }),
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".md.tmpl").map(str::to_owned))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let template_path = dir.join(format!("{name}.md.tmpl"));
            let template =
                std::fs::read_to_string(&template_path).map_err(|source| DocsError::Read {
                    path: template_path.clone(),
                    source,
                })?;
            Ok(Page {
                path: PathBuf::from(format!("docs/guides/{name}.md")),
                text: render::fill(&template, &template_path, root, schema)?,
            })
        })
        .collect()
}

/// Writes every page under `root/docs`. Returns the pages written.
pub fn write_all(root: &Path) -> Result<Vec<Page>, DocsError> {
    let pages = render_all(root)?;
    for page in &pages {
        let path = root.join(&page.path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| DocsError::Read {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        std::fs::write(&path, &page.text).map_err(|source| DocsError::Read {
            path: path.clone(),
            source,
        })?;
    }
    Ok(pages)
}

/// The pages whose file under `root` differs from what the schema says (missing included).
pub fn stale_pages(root: &Path) -> Result<Vec<PathBuf>, DocsError> {
    Ok(render_all(root)?
        .into_iter()
        .filter(|p| std::fs::read_to_string(root.join(&p.path)).ok().as_deref() != Some(&p.text))
        .map(|p| p.path)
        .collect())
}

fn render_page(root: &Path, s: &Subject<'_>) -> Result<Page, DocsError> {
    let (template_path, out_path) = if s.kind == "index" {
        (
            root.join("templates/index.md.tmpl"),
            PathBuf::from("docs/index.md"),
        )
    } else {
        (
            root.join(format!("templates/{}/{}.md.tmpl", s.kind, s.short)),
            PathBuf::from(format!("docs/{}/{}.md", s.kind, s.short)),
        )
    };
    let template = match std::fs::read_to_string(&template_path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => default_template(root, s),
        Err(source) => {
            return Err(DocsError::Read {
                path: template_path,
                source,
            });
        }
    };
    let text = render::fill(&template, &template_path, root, s.schema)?;
    Ok(Page {
        path: out_path,
        text,
    })
}

fn default_template(root: &Path, s: &Subject<'_>) -> String {
    let dir = if s.kind == "index" {
        "provider".to_owned()
    } else {
        format!("{}/{}", s.kind, s.full)
    };
    let file = match s.kind {
        "data-sources" => "data-source.tf",
        "resources" => "resource.tf",
        "ephemeral-resources" => "ephemeral-resource.tf",
        "actions" => "action.tf",
        _ => "provider.tf",
    };
    // The registry groups pages by subcategory: the incumbent's names, kept as deprecated
    // aliases, go under their own heading instead of crowding the list of types to use.
    let subcategory = if s.schema.description.starts_with(DEPRECATED) {
        "subcategory: \"Deprecated aliases\"\n"
    } else {
        ""
    };
    let mut t = format!(
        "---\npage_title: \"{} {} - influxdb3\"\n{subcategory}description: |-\n  {}\n---\n\n# {} ({})\n\n{}\n\n",
        s.full,
        kind_title(s.kind),
        first_sentence(&s.schema.description),
        s.full,
        kind_title(s.kind),
        s.schema.description
    );
    if root.join("examples").join(&dir).join(file).exists() {
        t.push_str(&format!(
            "## Example Usage\n\n{{{{example {dir}/{file}}}}}\n\n"
        ));
    }
    t.push_str("{{schema}}\n");
    if root.join("examples").join(&dir).join("import.sh").exists() {
        t.push_str(&format!("\n## Import\n\n{{{{example {dir}/import.sh}}}}\n"));
    }
    t
}

/// How an alias's description starts (`crate::framework::Alias`).
const DEPRECATED: &str = "**Deprecated**";

fn kind_title(kind: &str) -> &'static str {
    match kind {
        "resources" => "Resource",
        "data-sources" => "Data Source",
        "ephemeral-resources" => "Ephemeral Resource",
        "actions" => "Action",
        _ => "Provider",
    }
}

fn first_sentence(text: &str) -> String {
    text.split(". ")
        .next()
        .unwrap_or(text)
        .trim_end_matches('.')
        .to_owned()
        + "."
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every page under `docs/` and the README, flattened (whitespace runs as one space).
    fn pages(root: &Path) -> Vec<(PathBuf, String)> {
        let mut found = vec![(root.join("README.md"), String::new())];
        let mut dirs = vec![root.join("docs")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("docs dir").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "md") {
                    found.push((path, String::new()));
                }
            }
        }
        for (path, text) in &mut found {
            let raw = std::fs::read_to_string(&*path).expect("page");
            *text = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        }
        found
    }

    /// The pages once said "429 and 5xx are retried", but 501 and 505 are sent once: the
    /// pages that describe retries name the client's own list, and none says "5xx" for it.
    #[test]
    fn pages_name_exactly_the_statuses_the_client_retries() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let all = pages(root);
        for (path, text) in &all {
            for loose in ["429 and 5xx", "429, 5xx", "429 or 5xx"] {
                assert!(!text.contains(loose), "{} says {loose:?}", path.display());
            }
        }
        let exact = crate::api::RETRIED_STATUSES_TEXT;
        for page in [
            "docs/index.md",
            "docs/ephemeral-resources/database_token.md",
        ] {
            let (_, text) = all
                .iter()
                .find(|(p, _)| p.ends_with(page))
                .expect("the page");
            assert!(text.contains(exact), "{page} does not say {exact:?}");
        }
    }

    /// The environment variables a script's header documents: lines that start with one or
    /// more comma-separated names (`#   NAME   what` in a shell script, `  NAME   what` in a
    /// Python docstring).
    fn documented_variables(script: &str) -> Vec<String> {
        let is_name = |w: &str| {
            w.len() > 3
                && w.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        };
        let mut names = Vec::new();
        for line in script.lines() {
            let Some(rest) = line
                .strip_prefix("#   ")
                .or_else(|| line.strip_prefix("  "))
            else {
                continue;
            };
            for word in rest.split_whitespace() {
                let name = word.trim_end_matches(',');
                if !is_name(name) {
                    break;
                }
                names.push(name.to_owned());
                if name == word {
                    break;
                }
            }
        }
        names
    }

    /// The README once said "Python 3" for a script that needs 3.11, and left three of the
    /// scripts' variables out: it names every variable the scripts document, and the Python
    /// version `tomllib` needs.
    #[test]
    fn deprecated_aliases_have_their_own_subcategory_and_the_index_names_every_real_type() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let all = render_all(root).expect("render docs");
        let index = all
            .iter()
            .find(|page| page.path == Path::new("docs/index.md"))
            .map(|page| &page.text)
            .expect("index page");
        for Page { path, text } in &all {
            let path = path.to_string_lossy();
            let grouped = text.contains("\nsubcategory: \"Deprecated aliases\"\n");
            let deprecated = text.contains("description: |-\n  **Deprecated**");
            assert_eq!(grouped, deprecated, "{path}");
            if path.starts_with("docs/resources/") && !deprecated {
                let name = format!(
                    "`influxdb3_{}`",
                    path.trim_start_matches("docs/resources/")
                        .trim_end_matches(".md")
                );
                assert!(index.contains(&name), "the index does not name {name}");
            }
        }
    }

    #[test]
    fn the_readme_names_what_the_scripts_take_and_need() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let readme = std::fs::read_to_string(root.join("README.md")).expect("README");
        for script in ["scripts/quickstart.sh", "scripts/release.py"] {
            let text = std::fs::read_to_string(root.join(script)).expect("script");
            let names = documented_variables(&text);
            assert!(names.len() >= 5, "{script}: {names:?}");
            for name in names {
                assert!(readme.contains(&name), "README lacks {name} ({script})");
            }
            if text.contains("import tomllib") {
                assert!(readme.contains("Python 3.11"), "{script} needs Python 3.11");
            }
        }
    }

    /// A page that sends the reader to another page for details names a page that has them.
    #[test]
    fn the_security_guide_sends_transport_details_to_a_page_that_has_them() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let read = |page: &str| std::fs::read_to_string(root.join(page)).expect("page");
        let security = read("docs/guides/security.md");
        let flat = security.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains("the install guide (`docs/guides/install.md`), section Troubleshooting"),
            "security.md no longer sends transport details to the install guide"
        );
        let install = read("docs/guides/install.md");
        let troubleshooting = install
            .split("## Troubleshooting")
            .nth(1)
            .expect("the section");
        for detail in [
            "tfplugin-influxdb3-*",
            "INFLUXDB3_PLUGIN_TRANSPORT=tcp",
            "PLUGIN_MIN_PORT",
        ] {
            assert!(troubleshooting.contains(detail), "{detail}");
        }
    }

    #[test]
    fn docs_are_up_to_date_with_the_schema() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let stale = stale_pages(root).expect("render docs");
        assert!(
            stale.is_empty(),
            "docs/ is stale for {stale:?}: run `cargo run --bin influxdb3-docs` and commit the result"
        );
    }
}
