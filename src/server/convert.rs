//! Conversions between the generated protobuf types and the framework's; the only file that
//! sees both.

use crate::framework::{
    Attribute, AttributeKind, Diagnostic, Diagnostics, Nesting, Schema, Severity,
};
use crate::proto::tfplugin6 as pb;
use crate::value::{self, AttributePath, PathStep, Type, Value};

/// Decodes a DynamicValue with the expected type: msgpack when present, else JSON; an absent
/// or empty value is null.
pub(super) fn decode(dv: Option<&pb::DynamicValue>, ty: &Type) -> Result<Value, Diagnostic> {
    let Some(dv) = dv else {
        return Ok(Value::Null);
    };
    let result = if !dv.msgpack.is_empty() {
        value::decode_msgpack(&dv.msgpack, ty)
    } else if !dv.json.is_empty() {
        value::decode_json(&dv.json, ty)
    } else {
        return Ok(Value::Null);
    };
    result.map_err(|e| {
        provider_bug(
            "Invalid Value From Terraform",
            format!("Terraform sent a value the provider could not decode: {e}."),
        )
    })
}

/// [`encode`], with a failure reported into `diags`.
pub(super) fn encode_or_report(
    v: &Value,
    ty: &Type,
    diags: &mut Diagnostics,
) -> Option<pb::DynamicValue> {
    encode(v, ty).map_err(|d| diags.push(d)).ok()
}

/// Encodes a value as msgpack, the encoding every Terraform and OpenTofu version reads.
pub(super) fn encode(v: &Value, ty: &Type) -> Result<pb::DynamicValue, Diagnostic> {
    value::encode_msgpack(v, ty)
        .map(|msgpack| pb::DynamicValue {
            msgpack,
            json: Vec::new(),
        })
        .map_err(|e| {
            provider_bug(
                "Invalid Value From Provider",
                format!("The provider produced a value it could not encode: {e}."),
            )
        })
}

/// A diagnostic for something that is always the provider's fault.
pub(super) fn provider_bug(summary: &str, detail: String) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        summary: summary.to_owned(),
        detail: format!(
            "{detail}\n\nThis is a bug in the provider; please report it with the Terraform \
             version and the configuration that triggered it."
        ),
        path: None,
    }
}

/// Converts diagnostics for the wire.
pub(super) fn diagnostics(diags: Diagnostics) -> Vec<pb::Diagnostic> {
    diags.into_vec().into_iter().map(diagnostic).collect()
}

/// Converts one diagnostic.
pub(super) fn diagnostic(d: Diagnostic) -> pb::Diagnostic {
    let severity = match d.severity {
        Severity::Error => pb::diagnostic::Severity::Error,
        Severity::Warning => pb::diagnostic::Severity::Warning,
    };
    pb::Diagnostic {
        severity: severity as i32,
        summary: d.summary,
        detail: d.detail,
        attribute: d.path.as_ref().map(|p| attribute_path(&renderable(p))),
    }
}

/// The part of `path` that Terraform can point at in the configuration.
///
/// Terraform (`tfdiags` `ElaborateFromConfigBody`) follows steps through nested *blocks*, and
/// through an *attribute* only one trailing element step (`attr[1]`, `attr["k"]`), which it
/// resolves inside a list or map literal. Any step after that, such as the `.type` of
/// `partition_template[1].type`, makes it give up and quote the resource's first line instead.
/// This provider's schemas have no blocks, so a path is cut after its first attribute, or
/// after the element step that follows it; the detail text names the field.
fn renderable(path: &AttributePath) -> AttributePath {
    let cut = match path.steps.get(1) {
        Some(PathStep::Index(_) | PathStep::Key(_)) => 2,
        _ => 1,
    };
    AttributePath {
        steps: path.steps.iter().take(cut).cloned().collect(),
    }
}

/// Converts an attribute path.
pub(super) fn attribute_path(path: &AttributePath) -> pb::AttributePath {
    use pb::attribute_path::{Step, step::Selector};
    pb::AttributePath {
        steps: path
            .steps
            .iter()
            .map(|s| Step {
                selector: Some(match s {
                    PathStep::Attr(name) => Selector::AttributeName(name.clone()),
                    PathStep::Key(key) => Selector::ElementKeyString(key.clone()),
                    PathStep::Index(i) => Selector::ElementKeyInt(*i),
                }),
            })
            .collect(),
    }
}

/// Converts a schema.
pub fn schema(s: &Schema) -> pb::Schema {
    pb::Schema {
        version: s.version,
        block: Some(pb::schema::Block {
            version: s.version,
            attributes: s.attributes.iter().map(attribute).collect(),
            block_types: Vec::new(),
            description: s.description.clone(),
            description_kind: pb::StringKind::Markdown as i32,
            deprecated: false,
            deprecation_message: String::new(),
            computed: false,
        }),
    }
}

fn attribute(a: &Attribute) -> pb::schema::Attribute {
    let (r#type, nested_type) = match &a.kind {
        AttributeKind::Plain(t) => (t.to_json_bytes(), None),
        AttributeKind::Nested(nesting, attrs) => {
            let nesting = match nesting {
                Nesting::Single => pb::schema::object::NestingMode::Single,
                Nesting::List => pb::schema::object::NestingMode::List,
                Nesting::Set => pb::schema::object::NestingMode::Set,
                Nesting::Map => pb::schema::object::NestingMode::Map,
            };
            (
                Vec::new(),
                Some(pb::schema::Object {
                    attributes: attrs.iter().map(attribute).collect(),
                    nesting: nesting as i32,
                    // min_items/max_items: deprecated in the protocol, left at zero.
                    ..Default::default()
                }),
            )
        }
    };
    pb::schema::Attribute {
        name: a.name.to_owned(),
        r#type,
        nested_type,
        description: a.description.clone(),
        required: a.required,
        optional: a.optional,
        computed: a.computed,
        sensitive: a.sensitive,
        description_kind: pb::StringKind::Markdown as i32,
        deprecated: false,
        deprecation_message: String::new(),
        write_only: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(path: AttributePath) -> String {
        let d = Diagnostic {
            severity: Severity::Error,
            summary: "S".into(),
            detail: "D".into(),
            path: Some(path),
        };
        let steps = diagnostic(d).attribute.map(|p| p.steps).unwrap_or_default();
        let back = AttributePath {
            steps: steps
                .into_iter()
                .filter_map(|s| match s.selector? {
                    pb::attribute_path::step::Selector::AttributeName(n) => Some(PathStep::Attr(n)),
                    pb::attribute_path::step::Selector::ElementKeyString(k) => {
                        Some(PathStep::Key(k))
                    }
                    pb::attribute_path::step::Selector::ElementKeyInt(i) => {
                        Some(PathStep::Index(i))
                    }
                })
                .collect(),
        };
        back.to_string()
    }

    #[test]
    fn diagnostic_paths_stop_where_terraform_can_still_quote_the_source() {
        let part = AttributePath::attr("partition_template").push_index(1);
        assert_eq!(rendered(part.push_attr("type")), "partition_template[1]");
        assert_eq!(rendered(part.clone()), "partition_template[1]");
        assert_eq!(
            rendered(AttributePath::attr("tags").push_key("a").push_attr("b")),
            "tags[\"a\"]"
        );
        assert_eq!(rendered(AttributePath::attr("a").push_attr("b")), "a");
        assert_eq!(rendered(AttributePath::attr("description")), "description");
        assert_eq!(rendered(AttributePath::root()), "");
    }
}
