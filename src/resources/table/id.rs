//! The import id of a table: `<database>/<table>`, split at the **last** `/` because database
//! names may contain `/` (so a table whose name contains `/` cannot be imported).

/// The database and table names of an import id, or why it is not one.
pub fn parse(id: &str) -> Result<(&str, &str), String> {
    match id.rsplit_once('/') {
        Some((database, table)) if !database.is_empty() && !table.is_empty() => {
            Ok((database, table))
        }
        _ => Err(format!(
            "{id:?} is not `<database>/<table>` (for example `metrics/cpu`; the id is split at \
             the last `/`)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_the_last_slash_so_database_names_may_hold_slashes() {
        assert_eq!(parse("metrics/cpu"), Ok(("metrics", "cpu")));
        assert_eq!(parse("team/metrics/cpu"), Ok(("team/metrics", "cpu")));
        for bad in ["cpu", "/cpu", "metrics/", ""] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
