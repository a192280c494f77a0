//! Schemas as resources declare them: attributes with their type, flags, description (the only
//! source of user docs) and the plan behaviour the framework applies.

use crate::value::{Type, Value};

/// Compares two values of one attribute for meaning rather than spelling (for example two
/// RFC3339 strings for the same instant). Both values are known and non-null.
pub type SemanticEq = fn(&Value, &Value) -> bool;

/// A resource, data source or provider schema.
#[derive(Debug, Clone)]
pub struct Schema {
    /// State version; bump it (and handle the upgrade) when stored state changes shape.
    pub version: i64,
    /// Markdown description of the whole type.
    pub description: String,
    /// Top-level attributes.
    pub attributes: Vec<Attribute>,
}

impl Schema {
    /// A version-0 schema.
    pub fn new(description: impl Into<String>, attributes: Vec<Attribute>) -> Self {
        Schema {
            version: 0,
            description: description.into(),
            attributes,
        }
    }

    /// The same schema at state version `version` (the resource then has that many upgrade
    /// steps, see [`crate::framework::Resource::state_upgrades`]).
    pub fn with_version(mut self, version: i64) -> Self {
        self.version = version;
        self
    }

    /// The object type of a value of this schema.
    pub fn value_type(&self) -> Type {
        object_type(&self.attributes)
    }

    /// Looks an attribute up by name.
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }
}

#[cfg(test)]
impl Schema {
    /// For tests: a value of this schema with the attributes `set` names, every other one null
    /// (as Terraform sends a configuration that leaves them out).
    pub(crate) fn value_with<'a>(&self, set: impl IntoIterator<Item = (&'a str, Value)>) -> Value {
        let mut attrs: std::collections::BTreeMap<String, Value> = self
            .attributes
            .iter()
            .map(|a| (a.name.to_owned(), Value::Null))
            .collect();
        attrs.extend(
            set.into_iter()
                .map(|(name, value)| (name.to_owned(), value)),
        );
        Value::Object(attrs)
    }
}

/// How nested attributes nest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nesting {
    /// One object.
    Single,
    /// A list of objects.
    List,
    /// A set of objects.
    Set,
    /// A map of objects.
    Map,
}

/// A plain type, or attributes nested in an object, list, set or map.
#[derive(Debug, Clone)]
pub enum AttributeKind {
    /// A value of this type.
    Plain(Type),
    /// Objects of these attributes, nested as given.
    Nested(Nesting, Vec<Attribute>),
}

/// One attribute. Build with [`Attribute::required`], [`Attribute::optional`] or
/// [`Attribute::computed`] and the chained setters.
#[derive(Debug, Clone)]
pub struct Attribute {
    /// Its name in configuration and state.
    pub name: &'static str,
    /// Its type.
    pub kind: AttributeKind,
    /// Markdown: what it does and what changing it costs.
    pub description: String,
    /// Must be set in configuration.
    pub required: bool,
    /// May be set in configuration.
    pub optional: bool,
    /// The provider may set it.
    pub computed: bool,
    /// Hidden in plan output and logs.
    pub sensitive: bool,
    /// A change of value plans a replacement.
    pub requires_replace: bool,
    /// On update, keep the prior value instead of planning it unknown.
    pub use_state_for_unknown: bool,
    /// Value planned when the configuration leaves it null (implies computed).
    pub default: Option<Value>,
    /// Spelling-insensitive comparison; a value equal to the prior one plans the prior value.
    pub semantic_eq: Option<SemanticEq>,
}

impl Attribute {
    fn base(name: &'static str, kind: AttributeKind) -> Self {
        Attribute {
            name,
            kind,
            description: String::new(),
            required: false,
            optional: false,
            computed: false,
            sensitive: false,
            requires_replace: false,
            use_state_for_unknown: false,
            default: None,
            semantic_eq: None,
        }
    }

    /// An attribute the configuration must set.
    pub fn required(name: &'static str, kind: impl Into<AttributeKind>) -> Self {
        Attribute {
            required: true,
            ..Self::base(name, kind.into())
        }
    }

    /// An attribute the configuration may set.
    pub fn optional(name: &'static str, kind: impl Into<AttributeKind>) -> Self {
        Attribute {
            optional: true,
            ..Self::base(name, kind.into())
        }
    }

    /// An attribute only the provider sets.
    pub fn computed(name: &'static str, kind: impl Into<AttributeKind>) -> Self {
        Attribute {
            computed: true,
            ..Self::base(name, kind.into())
        }
    }

    /// Sets the description.
    pub fn describe(mut self, text: impl Into<String>) -> Self {
        self.description = text.into();
        self
    }

    /// Marks it sensitive.
    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }

    /// A change plans a replacement.
    pub fn requires_replace(mut self) -> Self {
        self.requires_replace = true;
        self
    }

    /// Keeps the prior value on update (for values fixed at creation, such as ids).
    pub fn use_state_for_unknown(mut self) -> Self {
        self.use_state_for_unknown = true;
        self
    }

    /// Planned when the configuration leaves it null; makes the attribute computed too.
    pub fn default_value(mut self, value: Value) -> Self {
        self.default = Some(value);
        self.computed = true;
        self
    }

    /// Also let the provider set it (optional + computed).
    pub fn also_computed(mut self) -> Self {
        self.computed = true;
        self
    }

    /// Compares values by meaning.
    pub fn semantic_eq(mut self, eq: SemanticEq) -> Self {
        self.semantic_eq = Some(eq);
        self
    }

    /// The type of its value.
    pub fn value_type(&self) -> Type {
        match &self.kind {
            AttributeKind::Plain(t) => t.clone(),
            AttributeKind::Nested(nesting, attrs) => {
                let object = object_type(attrs);
                match nesting {
                    Nesting::Single => object,
                    Nesting::List => Type::List(Box::new(object)),
                    Nesting::Set => Type::Set(Box::new(object)),
                    Nesting::Map => Type::Map(Box::new(object)),
                }
            }
        }
    }

    /// Whether `a` and `b` mean the same, by [`Attribute::semantic_eq`] when both are known
    /// and non-null, else by value equality (sets ignore order).
    pub fn values_equal(&self, a: &Value, b: &Value) -> bool {
        match self.semantic_eq {
            Some(eq)
                if a.is_wholly_known() && b.is_wholly_known() && !a.is_null() && !b.is_null() =>
            {
                eq(a, b)
            }
            _ => a == b,
        }
    }
}

impl From<Type> for AttributeKind {
    fn from(t: Type) -> Self {
        AttributeKind::Plain(t)
    }
}

fn object_type(attributes: &[Attribute]) -> Type {
    Type::Object(
        attributes
            .iter()
            .map(|a| (a.name.to_owned(), a.value_type()))
            .collect(),
    )
}
