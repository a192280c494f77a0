//! The route table: the API under `/api/v0`, the control endpoints under `/__mock/`, and JSON
//! `{code,message}` answers for unknown paths (404) and wrong methods (405).

use std::sync::Arc;

use axum::Router;
use axum::http::StatusCode;
use axum::middleware;
use axum::routing::{get, patch, post};

use super::control;
use super::control_guard::control_guard;
use super::databases;
use super::error::ApiError;
use super::layer::api_layer;
use super::state::App;
use super::tokens;

const CLUSTER: &str = "/api/v0/accounts/{account_id}/clusters/{cluster_id}";

pub(crate) fn router(app: Arc<App>) -> Router {
    Router::new()
        .route(
            &format!("{CLUSTER}/tokens"),
            get(tokens::list).post(tokens::create),
        )
        .route(
            &format!("{CLUSTER}/tokens/{{token_id}}"),
            get(tokens::get)
                .patch(tokens::update)
                .delete(tokens::delete),
        )
        .route(
            &format!("{CLUSTER}/databases"),
            get(databases::list).post(databases::create),
        )
        .route(
            &format!("{CLUSTER}/databases/{{database_name}}"),
            patch(databases::update).delete(databases::delete),
        )
        .merge(control_routes())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(app.clone(), api_layer))
        .with_state(app)
}

/// The control endpoints, behind [`control_guard`] (loopback `Host`, no `Origin`, JSON POSTs).
fn control_routes() -> Router<Arc<App>> {
    Router::new()
        .route("/__mock/requests", get(control::requests))
        .route("/__mock/state", get(control::state))
        .route("/__mock/config", post(control::configure))
        .route("/__mock/reset", post(control::reset))
        .route_layer(middleware::from_fn(control_guard))
}

async fn not_found() -> ApiError {
    ApiError::not_found("not found")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method not allowed")
}
