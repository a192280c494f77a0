//! Changes made to the mock through its Management API, as someone outside Terraform would
//! make them: pre-existing databases and tokens, out-of-band updates, deletes and revocations.

use terraform_provider_influxdb3::api::{
    Client, ClientConfig, Cluster, CreateDatabaseRequest, CreateTokenRequest, Permission, Secret,
    UpdateDatabaseRequest,
};
use terraform_provider_influxdb3::mock::MockServer;

/// An API client for the mock's default cluster, with its own runtime.
pub(crate) struct Seed {
    rt: tokio::runtime::Runtime,
    client: Client,
    cluster: Cluster,
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
        }
    }

    /// Creates a database.
    pub(crate) fn database(&self, req: CreateDatabaseRequest) {
        self.rt
            .block_on(self.client.create_database(&self.cluster, &req))
            .expect("create database");
    }

    /// Changes a database's limits or retention.
    pub(crate) fn patch_database(&self, name: &str, req: UpdateDatabaseRequest) {
        self.rt
            .block_on(self.client.update_database(&self.cluster, name, &req))
            .expect("update database");
    }

    /// Deletes a database.
    pub(crate) fn delete_database(&self, name: &str) {
        self.rt
            .block_on(self.client.delete_database(&self.cluster, name))
            .expect("delete database");
    }

    /// Creates a token; returns its id.
    pub(crate) fn token(&self, description: &str, permissions: &[(&str, &str)]) -> String {
        let req = CreateTokenRequest {
            description: description.to_owned(),
            permissions: permissions
                .iter()
                .map(|(a, r)| Permission::new(*a, *r))
                .collect(),
            expires_at: None,
        };
        self.rt
            .block_on(self.client.create_token(&self.cluster, &req))
            .expect("create token")
            .token
            .id
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
