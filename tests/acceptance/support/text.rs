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
