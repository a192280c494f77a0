//! Markdown for a schema, and template filling.

use std::fmt::Write;
use std::path::Path;

use super::DocsError;
use crate::framework::{Attribute, AttributeKind, Nesting, Schema};
use crate::value::Type;

/// Fills `{{schema}}` and `{{example …}}` markers.
pub(super) fn fill(
    template: &str,
    template_path: &Path,
    root: &Path,
    schema: &Schema,
) -> Result<String, DocsError> {
    let mut out = String::with_capacity(template.len() * 2);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let marker = after[..end].trim();
        if marker == "schema" {
            out.push_str(&schema_markdown(schema));
        } else if let Some(file) = marker.strip_prefix("example ") {
            let path = root.join("examples").join(file.trim());
            let body = std::fs::read_to_string(&path).map_err(|source| DocsError::Read {
                path: path.clone(),
                source,
            })?;
            let lang = if file.ends_with(".sh") {
                "shell"
            } else {
                "terraform"
            };
            let _ = write!(out, "```{lang}\n{}\n```", body.trim_end());
        } else {
            return Err(DocsError::UnknownMarker {
                template: template_path.to_path_buf(),
                marker: marker.to_owned(),
            });
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    Ok(out)
}

/// The attribute reference: Required, Optional and Read-Only groups, then one section per
/// nested attribute.
pub fn schema_markdown(schema: &Schema) -> String {
    let mut out = String::from("## Schema\n");
    let mut nested = Vec::new();
    group(&mut out, "", &schema.attributes, &mut nested);
    while let Some((path, attrs)) = nested.pop() {
        let _ = write!(
            out,
            "\n<a id=\"nestedatt--{}\"></a>\n### Nested Schema for `{path}`\n",
            path.replace('.', "--")
        );
        group(&mut out, &format!("{path}."), &attrs, &mut nested);
    }
    out
}

type AttributeFilter = fn(&Attribute) -> bool;

fn group(
    out: &mut String,
    prefix: &str,
    attrs: &[Attribute],
    nested: &mut Vec<(String, Vec<Attribute>)>,
) {
    let sections: [(&str, AttributeFilter); 3] = [
        ("Required", |a| a.required),
        ("Optional", |a| a.optional),
        ("Read-Only", |a| a.computed && !a.optional && !a.required),
    ];
    let heading = if prefix.is_empty() { "###" } else { "####" };
    for (title, pick) in sections {
        let mut chosen: Vec<&Attribute> = attrs.iter().filter(|a| pick(a)).collect();
        if chosen.is_empty() {
            continue;
        }
        chosen.sort_by_key(|a| a.name);
        let _ = write!(out, "\n{heading} {title}\n\n");
        for a in chosen {
            let full = format!("{prefix}{}", a.name);
            let mut kind = type_name(a);
            if a.sensitive {
                kind.push_str(", Sensitive");
            }
            let link = if let AttributeKind::Nested(_, inner) = &a.kind {
                nested.push((full.clone(), inner.clone()));
                format!(
                    " (see [below for nested schema](#nestedatt--{}))",
                    full.replace('.', "--")
                )
            } else {
                String::new()
            };
            let desc = a.description.replace('\n', " ");
            let _ = writeln!(out, "- `{}` ({kind}) {desc}{link}", a.name);
        }
    }
}

fn type_name(a: &Attribute) -> String {
    match &a.kind {
        AttributeKind::Plain(t) => plain(t),
        AttributeKind::Nested(nesting, _) => match nesting {
            Nesting::Single => "Attributes".to_owned(),
            Nesting::List => "Attributes List".to_owned(),
            Nesting::Set => "Attributes Set".to_owned(),
            Nesting::Map => "Attributes Map".to_owned(),
        },
    }
}

fn plain(t: &Type) -> String {
    match t {
        Type::Bool => "Boolean".to_owned(),
        Type::Number => "Number".to_owned(),
        Type::String => "String".to_owned(),
        Type::Dynamic => "Dynamic".to_owned(),
        Type::List(e) => format!("List of {}", plain(e)),
        Type::Set(e) => format!("Set of {}", plain(e)),
        Type::Map(e) => format!("Map of {}", plain(e)),
        Type::Object(_) => "Object".to_owned(),
        Type::Tuple(_) => "Tuple".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::Attribute;

    #[test]
    fn attributes_are_grouped_and_nested_ones_get_a_section() {
        let schema = Schema::new(
            "x",
            vec![
                Attribute::computed("id", Type::String).describe("The id."),
                Attribute::required("name", Type::String).describe("The name."),
                Attribute::optional(
                    "rules",
                    AttributeKind::Nested(
                        Nesting::Set,
                        vec![
                            Attribute::required("action", Type::String).describe("Read or write."),
                        ],
                    ),
                )
                .describe("Rules."),
                Attribute::computed("secret", Type::String)
                    .sensitive()
                    .describe("Shh."),
            ],
        );
        let md = schema_markdown(&schema);
        let required = md.find("### Required").expect("required");
        let optional = md.find("### Optional").expect("optional");
        let read_only = md.find("### Read-Only").expect("read-only");
        assert!(required < optional && optional < read_only, "{md}");
        assert!(md.contains("- `secret` (String, Sensitive) Shh."), "{md}");
        assert!(md.contains("### Nested Schema for `rules`"), "{md}");
        assert!(md.contains("- `action` (String) Read or write."), "{md}");
    }

    #[test]
    fn an_unknown_marker_is_an_error() {
        let schema = Schema::new("x", vec![]);
        let err = fill("{{nope}}", Path::new("t.md.tmpl"), Path::new("."), &schema);
        assert!(matches!(err, Err(DocsError::UnknownMarker { .. })));
    }
}
