//! The rules more than one family of types follows, below the families (`tokens`,
//! `databases`, `tables`) and above the value codec and the API client: where an object lives
//! ([`cluster`], [`home`]), its identity ([`identity`]), deletion protection ([`protection`]),
//! timestamps ([`instant`], [`duration`]), permission sets ([`permissions`]), partition
//! templates ([`template`]) and what data sources share ([`data_source`]).
//! [`context::ProviderContext`] is what a configured provider
//! hands every type.
//!
//! Every attribute name is defined once, as a constant in the module of the object that has
//! it (here for shared attributes, in the family's `model` otherwise), and read through a typed
//! view (`TokenValue`, `DatabaseValue`, getters written by [`view::attribute_reads!`]), so a
//! misspelt name is a compile error rather than a silent null.

pub(crate) mod cluster;
pub(crate) mod context;
pub(crate) mod data_source;
pub(crate) mod duration;
pub(crate) mod home;
pub(crate) mod identity;
pub(crate) mod ids;
pub(crate) mod instant;
pub(crate) mod permissions;
pub(crate) mod protection;
pub(crate) mod template;
pub(crate) mod template_json;
pub(crate) mod view;

pub(crate) use context::{Call, PlanCall, ProviderContext};
