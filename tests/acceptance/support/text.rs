//! Reading Terraform's human output: diagnostics are boxed (`│`) and wrapped to the terminal
//! width, so phrases are compared with the box and the line breaks taken out.

/// `text` without box-drawing borders, whitespace runs collapsed to one space.
pub(crate) fn flat(text: &str) -> String {
    text.replace(['│', '╷', '╵'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Panics unless `output` contains every phrase (compared flat).
pub(crate) fn assert_mentions(output: &str, phrases: &[&str]) {
    let flat_output = flat(output);
    for phrase in phrases {
        assert!(
            flat_output.contains(&flat(phrase)),
            "expected {phrase:?} in the output:\n{output}"
        );
    }
}

/// Panics unless the documentation page `page` (a path under `docs/`) says every phrase
/// (compared flat), so a test of a behaviour also holds the page that describes it.
pub(crate) fn assert_page_says(page: &str, phrases: &[&str]) {
    let path = format!("{}/docs/{page}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let text = flat(&text);
    for phrase in phrases {
        assert!(
            text.contains(&flat(phrase)),
            "docs/{page} no longer says {phrase:?}; the test that checks it must change with it"
        );
    }
}
