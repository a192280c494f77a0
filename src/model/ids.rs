//! Object ids as the API writes them.

/// Whether `v` is a UUID in its canonical hyphenated form, the only form the API uses for
/// account, cluster and token ids.
pub(crate) fn is_uuid(v: &str) -> bool {
    v.len() == 36 && uuid::Uuid::try_parse(v).is_ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_hyphenated_uuids_are_ids() {
        assert!(super::is_uuid("11111111-2222-4333-8444-555555555555"));
        assert!(!super::is_uuid("111111112222433384445555555555555"));
        assert!(!super::is_uuid("not-a-uuid"));
        assert!(!super::is_uuid(""));
    }
}
