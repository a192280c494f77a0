//! Steps and checks in the spirit of terraform-plugin-testing: plan to a file and inspect it,
//! apply that plan, insist on an empty plan afterwards (with and without refresh), read state.

use serde_json::Value as Json;

use super::workdir::{Outcome, WorkDir};

impl WorkDir {
    /// Points the provider at `mock` through the `INFLUXDB3_*` environment variables (so no
    /// secret is written into configuration files).
    pub(crate) fn use_mock(&mut self, mock: &terraform_provider_influxdb3::mock::MockServer) {
        self.set_env("INFLUXDB3_ENDPOINT", &mock.endpoint());
        self.set_env("INFLUXDB3_ACCOUNT_ID", mock.account_id());
        self.set_env("INFLUXDB3_CLUSTER_ID", mock.cluster_id());
        self.set_env("INFLUXDB3_MANAGEMENT_TOKEN", mock.management_token());
        self.register_secret(mock.management_token());
    }

    /// `terraform plan -out=tfplan` then `terraform show -json tfplan`.
    pub(crate) fn plan_json(&self) -> Json {
        self.terraform(&["plan", "-no-color", "-input=false", "-out=tfplan"])
            .success();
        let plan = self.terraform_json(&["show", "-json", "tfplan"]);
        self.register_access_tokens(&plan);
        plan
    }

    /// `terraform apply tfplan`.
    pub(crate) fn apply_plan(&self) -> Outcome {
        self.terraform(&["apply", "-no-color", "-input=false", "tfplan"])
    }

    /// `terraform show -json` of the current state. Registers every access token in it as a
    /// secret no later command may print.
    pub(crate) fn state_json(&self) -> Json {
        let state = self.terraform_json(&["show", "-json"]);
        self.register_access_tokens(&state);
        state
    }

    /// Panics unless a plan (refreshing or not) has no changes.
    pub(crate) fn assert_empty_plan(&self, refresh: bool) {
        let mut args = vec!["plan", "-no-color", "-input=false", "-detailed-exitcode"];
        if !refresh {
            args.push("-refresh=false");
        }
        let out = self.terraform(&args);
        assert_eq!(
            out.code, 0,
            "expected an empty plan (refresh={refresh}):\n{out}"
        );
    }

    /// One configuration step: write `hcl`, plan to a file, apply that plan, then require an
    /// empty plan without and with refresh. Returns the plan JSON for plan checks.
    pub(crate) fn step(&self, hcl: &str) -> Json {
        self.write_config(hcl);
        let plan = self.plan_json();
        self.apply_plan().success();
        self.assert_empty_plan(false);
        self.assert_empty_plan(true);
        plan
    }

    /// `terraform destroy -auto-approve`.
    pub(crate) fn destroy(&self) -> Outcome {
        self.terraform(&["destroy", "-no-color", "-input=false", "-auto-approve"])
    }
}

/// The actions planned for `address` (`["create"]`, `["update"]`, `["delete","create"]`, …).
pub(crate) fn actions(plan: &Json, address: &str) -> Vec<String> {
    resource_change(plan, address)["change"]["actions"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The `resource_changes` entry of `address`; panics with the plan when absent.
pub(crate) fn resource_change<'a>(plan: &'a Json, address: &str) -> &'a Json {
    plan["resource_changes"]
        .as_array()
        .and_then(|changes| changes.iter().find(|c| c["address"] == address))
        .unwrap_or_else(|| panic!("no resource change for {address} in plan:\n{plan:#}"))
}

/// The state values of `address` from `terraform show -json`; panics when absent.
pub(crate) fn state_values<'a>(state: &'a Json, address: &str) -> &'a Json {
    state_resource(state, address)
        .map(|r| &r["values"])
        .unwrap_or_else(|| panic!("no {address} in state:\n{state:#}"))
}

/// The state entry of `address`, if present.
pub(crate) fn state_resource<'a>(state: &'a Json, address: &str) -> Option<&'a Json> {
    state["values"]["root_module"]["resources"]
        .as_array()?
        .iter()
        .find(|r| r["address"] == address)
}
