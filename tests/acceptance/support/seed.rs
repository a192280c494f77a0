//! Changes made to the mock through its Management API, as someone outside Terraform would
//! make them: pre-existing databases and tokens, out-of-band updates, deletes and revocations.

use terraform_provider_influxdb3::api::{
    Client, ClientConfig, Cluster, CreateDatabaseRequest, CreateTableRequest, CreateTokenRequest,
    DatabaseSettings, Permission, Secret,
};
use terraform_provider_influxdb3::mock::MockServer;

/// An API client for the mock's default cluster, with its own runtime.
pub(crate) struct Seed {
    rt: tokio::runtime::Runtime,
    client: Client,
    cluster: Cluster,
    endpoint: String,
    management_token: String,
}

impl Seed {
    /// A client of `mock`'s default cluster.
    pub(crate) fn new(mock: &MockServer) -> Seed {
        let config = ClientConfig::new(mock.endpoint(), Secret::new(mock.management_token()));
        Seed {
            rt: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime"),
            client: Client::new(config).expect("client"),
            cluster: Cluster::new(mock.account_id(), mock.cluster_id()),
            endpoint: mock.endpoint(),
            management_token: mock.management_token().to_owned(),
        }
    }

    /// Creates a database.
    pub(crate) fn database(&self, req: CreateDatabaseRequest) {
        self.rt
            .block_on(self.client.create_database(&self.cluster, &req))
            .expect("create database");
    }

    /// Creates a table of `database`.
    pub(crate) fn table(&self, database: &str, req: CreateTableRequest) {
        self.rt
            .block_on(self.client.create_table(&self.cluster, database, &req))
            .expect("create table");
    }

    /// Changes a database's limits or retention.
    pub(crate) fn patch_database(&self, name: &str, req: DatabaseSettings) {
        self.rt
            .block_on(self.client.update_database(&self.cluster, name, &req))
            .expect("update database");
    }

    /// Renames a database, as the Admin UI or `influxctl database rename` would.
    pub(crate) fn rename_database(&self, name: &str, new_name: &str) {
        self.rt
            .block_on(self.client.rename_database(&self.cluster, name, new_name))
            .expect("rename database");
    }

    /// Deletes a database.
    pub(crate) fn delete_database(&self, name: &str) {
        self.rt
            .block_on(self.client.delete_database(&self.cluster, name))
            .expect("delete database");
    }

    /// Creates a token with one plain POST, as `influxctl` or a script would (no receipt, no
    /// follow-up PATCH); returns its id.
    pub(crate) fn token(&self, description: &str, permissions: &[(&str, &str)]) -> String {
        let body = CreateTokenRequest {
            description: description.to_owned(),
            permissions: permissions
                .iter()
                .map(|(a, r)| Permission::new(*a, *r))
                .collect(),
            expires_at: None,
        };
        let url = format!(
            "{}/accounts/{}/clusters/{}/tokens",
            self.endpoint, self.cluster.account_id, self.cluster.cluster_id
        );
        let answer: serde_json::Value = self.rt.block_on(async {
            reqwest::Client::new()
                .post(&url)
                .bearer_auth(&self.management_token)
                .json(&body)
                .send()
                .await
                .expect("create token")
                .error_for_status()
                .expect("token created")
                .json()
                .await
                .expect("create answer")
        });
        answer["id"].as_str().expect("token id").to_owned()
    }

    /// Revokes a token.
    pub(crate) fn revoke_token(&self, id: &str) {
        self.rt
            .block_on(self.client.delete_token(&self.cluster, id))
            .expect("revoke token");
    }
}

/// A create request with only a name (the server's defaults for the rest).
pub(crate) fn named(name: &str) -> CreateDatabaseRequest {
    CreateDatabaseRequest {
        name: name.to_owned(),
        ..CreateDatabaseRequest::default()
    }
}
