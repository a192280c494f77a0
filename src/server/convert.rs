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
/// What a validate RPC answers: the configuration decoded as `ty` and checked by `validate`,
/// or why it could not be decoded.
pub(super) fn validation(
    config: Option<&pb::DynamicValue>,
    ty: &Type,
    validate: impl FnOnce(&Value, &mut Diagnostics),
) -> Vec<pb::Diagnostic> {
    let mut diags = Diagnostics::new();
    match decode(config, ty) {
        Ok(config) => validate(&config, &mut diags),
        Err(d) => diags.push(d),
    }
    diagnostics(diags)
}

pub(super) fn diagnostics(diags: Diagnostics) -> Vec<pb::Diagnostic> {
    diags.into_vec().into_iter().map(diagnostic).collect()
}

/// Longest summary sent to Terraform, in characters.
const SUMMARY_MAX_CHARS: usize = 200;
/// Longest detail sent to Terraform, in characters: room for the longest message of this
/// provider (an ambiguous create naming a hundred candidate ids), not for a server's essay.
pub(super) const DETAIL_MAX_CHARS: usize = 8000;

/// Converts one diagnostic. Every diagnostic passes here on its way to the terminal, so this is
/// where text from API answers (ids, names, messages) is made harmless to print: see
/// [`printable`].
pub(super) fn diagnostic(d: Diagnostic) -> pb::Diagnostic {
    let severity = match d.severity {
        Severity::Error => pb::diagnostic::Severity::Error,
        Severity::Warning => pb::diagnostic::Severity::Warning,
    };
    pb::Diagnostic {
        severity: severity as i32,
        summary: printable(&d.summary, SUMMARY_MAX_CHARS, false),
        detail: printable(&d.detail, DETAIL_MAX_CHARS, true),
        attribute: d.path.as_ref().map(|p| attribute_path(&renderable(p))),
    }
}

/// `text` safe for a terminal: control characters (ESC, carriage return, backspace, C1
/// codes) and the Unicode characters that reorder or hide text (bidirectional overrides,
/// zero-width joiners) are written as `\u{..}` escapes, so a server's string cannot move
/// the cursor, clear the screen or fake Terraform's own output; line feeds stay only where
/// `newlines` allows (a detail's paragraphs). Longer text is cut at `max` characters with a
/// note saying so.
pub(super) fn printable(text: &str, max: usize, newlines: bool) -> String {
    let mut out = String::with_capacity(text.len().min(max * 2));
    for (count, c) in text.chars().enumerate() {
        if count == max {
            out.push_str(&format!(
                "… (cut: {} characters in all)",
                text.chars().count()
            ));
            break;
        }
        let hidden = matches!(
            c,
            '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
        );
        if (c == '\n' && newlines) || !(c.is_control() || hidden) {
            out.push(c);
        } else {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
    }
    out
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
    #[test]
    fn text_from_an_answer_cannot_drive_the_terminal_and_is_cut() {
        let id = "11111111\u{1b}[2J\u{1b}[HApply complete!\r\u{202e}x\u{7}";
        let shown = super::printable(&format!("token {id} not found\nnext"), 100, true);
        assert_eq!(
            shown,
            "token 11111111\\u{1b}[2J\\u{1b}[HApply complete!\\u{d}\\u{202e}x\\u{7} not found\nnext"
        );
        assert_eq!(super::printable("a\nb", 10, false), "a\\u{a}b");
        let long = super::printable(&"x".repeat(20_000), super::DETAIL_MAX_CHARS, true);
        assert!(
            long.chars().count() < super::DETAIL_MAX_CHARS + 40,
            "{}",
            long.len()
        );
        assert!(long.ends_with("(cut: 20000 characters in all)"), "{long}");
    }

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
