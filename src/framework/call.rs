//! What every call into a type carries besides its values: the provider's context and the
//! diagnostics the call reports into. One argument for both keeps each trait method a
//! one-line signature, and a type reaches both the same way in every kind.

use super::diag::Diagnostics;

/// A call made once the provider is configured (reads, applies, opens, lists, invocations).
#[derive(Debug)]
pub struct Call<'a, C> {
    /// The configured provider.
    pub ctx: &'a C,
    /// Where the call reports; an error fails the operation.
    pub diags: &'a mut Diagnostics,
}

/// A call made while planning: `ctx` is `None` when the provider configuration is not known yet
/// (for example, it depends on another resource).
#[derive(Debug)]
pub struct PlanCall<'a, C> {
    /// The configured provider, when its configuration is known.
    pub ctx: Option<&'a C>,
    /// Where the call reports; an error fails the plan.
    pub diags: &'a mut Diagnostics,
}

impl<'a, C> Call<'a, C> {
    /// A call on `ctx` reporting into `diags`.
    pub fn new(ctx: &'a C, diags: &'a mut Diagnostics) -> Self {
        Call { ctx, diags }
    }
}

impl<'a, C> PlanCall<'a, C> {
    /// A planning call on `ctx` (if known) reporting into `diags`.
    pub fn new(ctx: Option<&'a C>, diags: &'a mut Diagnostics) -> Self {
        PlanCall { ctx, diags }
    }
}
