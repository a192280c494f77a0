//! For tests: the provider block that points the provider at an in-process mock.

use crate::framework::Provider;
use crate::mock::MockServer;
use crate::model::cluster::{ACCOUNT_ID, CLUSTER_ID};
use crate::value::Value;

use super::InfluxDb3Provider;

/// The provider block's value for `mock`: endpoint, ids and management token set, every other
/// setting null (its default).
pub(crate) fn mock_block(mock: &MockServer) -> Value {
    InfluxDb3Provider.schema().value_with(
        [
            ("endpoint", mock.endpoint()),
            (ACCOUNT_ID, mock.account_id().to_owned()),
            (CLUSTER_ID, mock.cluster_id().to_owned()),
            ("management_token", mock.management_token().to_owned()),
        ]
        .map(|(name, text)| (name, Value::String(text))),
    )
}
