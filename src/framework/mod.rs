//! A small provider framework that knows nothing of protobuf: schemas, diagnostics, the shared
//! plan rules and the traits providers, resources, data sources and actions implement.

pub mod action;
pub mod alias;
pub mod call;
pub mod data_source;
pub mod declaration;
pub mod diag;
pub mod ephemeral;
pub mod identity;
pub mod list;
pub mod plan;
pub mod provider;
pub mod registry;
pub mod resource;
pub mod schema;
pub mod upgrade;

pub use action::{Action, ActionEvents};
pub use alias::{Alias, Deprecation};
pub use call::{Call, PlanCall};
pub use data_source::DataSource;
pub use declaration::{Declaration, Declare, Declared};
pub use diag::{Diagnostic, Diagnostics, Severity};
pub use ephemeral::{EphemeralResource, Opened};
pub use identity::{IdentityAttribute, IdentitySchema};
pub use list::{ListResource, ListedObject};
pub use plan::{Planned, attr, plan_change, set_attr};
pub use provider::Provider;
pub use registry::Registry;
pub use resource::{PlanChange, Resource};
pub use schema::{Attribute, AttributeKind, Nesting, Schema};
pub use upgrade::{StateObject, UpgradeStep};
