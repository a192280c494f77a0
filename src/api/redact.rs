//! Recognising text that may hold a secret by its shape, so an error response that quotes a
//! token (altered or not) is never echoed.
//!
//! Masking the exact management token is not enough: a server (or a proxy in front of it) may
//! quote it lower-cased, cut by markup, or quote a database token instead. So a server's text
//! is shown only if it contains none of these:
//! - `apiv1_` in any case (the prefix of database tokens);
//! - a run of base64-url characters (`A-Z a-z 0-9 - _ + =`) of 32 or more that mixes upper
//!   case, lower case and digits, or any such run of 65 or more (longer than a database name),
//!   looked for in the text as it is and with `<…>` tags removed;
//! - the management token with case and every non-alphanumeric character ignored;
//! - a token cut into pieces (by spaces, punctuation or markup) too short to be runs of their
//!   own: with everything but letters and digits removed, 32 characters in a row holding upper
//!   case, lower case and a digit that change class as often as random text does (12 times or
//!   more; prose and identifiers change rarely, `MetricsDb2024` three times).
//!
//! UUIDs (36 characters, lower-case hex) and database names (at most 64 characters) stay
//! readable, which is what error messages usually quote.

/// Shortest mixed-class run treated as a secret.
const MIXED_RUN_MIN: usize = 32;
/// Shortest run of any class treated as a secret.
const ANY_RUN_MIN: usize = 65;
/// Shortest management token also searched for squashed (shorter ones would match by chance).
const SQUASHED_MASK_MIN: usize = 12;

/// Whether `text` looks like it quotes a secret; `mask` is the management token.
pub(crate) fn looks_secret(text: &str, mask: &str) -> bool {
    if text.to_ascii_lowercase().contains("apiv1_") {
        return true;
    }
    if has_token_run(text) || has_token_run(&without_tags(text)) {
        return true;
    }
    if has_scattered_token(&without_tags(text)) {
        return true;
    }
    let mask = squash(mask);
    mask.len() >= SQUASHED_MASK_MIN && squash(text).contains(&mask)
}

/// A run of base64-url characters long enough, and mixed enough, to be a secret.
fn has_token_run(text: &str) -> bool {
    let is_run_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '=');
    text.split(|c: char| !is_run_char(c)).any(|run| {
        let len = run.len();
        let mixed = run.bytes().any(|b| b.is_ascii_uppercase())
            && run.bytes().any(|b| b.is_ascii_lowercase())
            && run.bytes().any(|b| b.is_ascii_digit());
        len >= ANY_RUN_MIN || (len >= MIXED_RUN_MIN && mixed)
    })
}

/// Letters and digits of a secret's length, once separators are dropped, that look random.
const SCATTERED_WINDOW: usize = 32;
/// Class changes (upper/lower/digit) in a window that random base64 reaches and text does not:
/// random characters change class about 19 times in 32; 12 misses one 64-character token in
/// ten thousand.
const SCATTERED_CHANGES: usize = 12;

/// A token whose pieces are separated by spaces, punctuation or markup: see the module doc.
fn has_scattered_token(text: &str) -> bool {
    // 0 upper, 1 lower, 2 digit.
    let classes: Vec<usize> = text
        .bytes()
        .filter_map(|b| match b {
            b'A'..=b'Z' => Some(0),
            b'a'..=b'z' => Some(1),
            b'0'..=b'9' => Some(2),
            _ => None,
        })
        .collect();
    if classes.len() < SCATTERED_WINDOW {
        return false;
    }
    let mut counts = [0usize; 3];
    let mut changes = 0;
    for (i, &c) in classes.iter().enumerate() {
        counts[c] += 1;
        if i > 0 && classes[i - 1] != c {
            changes += 1;
        }
        if i >= SCATTERED_WINDOW {
            let gone = i - SCATTERED_WINDOW;
            counts[classes[gone]] -= 1;
            if classes[gone] != classes[gone + 1] {
                changes -= 1;
            }
        }
        if i + 1 >= SCATTERED_WINDOW
            && counts[0] >= 3
            && counts[1] >= 3
            && counts[2] >= 1
            && changes >= SCATTERED_CHANGES
        {
            return true;
        }
    }
    false
}

/// `text` without `<…>` tags, so `abc<b>def</b>` reads `abcdef`.
fn without_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// ASCII letters and digits only, lower-cased.
fn squash(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The shape of a value that may be a secret, for a message that must not echo it: its length
/// and at most its first four characters, e.g. `a 72-character value starting with "apiv"`.
pub fn shape(value: &str) -> String {
    let count = value.chars().count();
    if count == 0 {
        return "an empty value".into();
    }
    let prefix: String = value
        .chars()
        .take(4.min(count / 4))
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if prefix.is_empty() {
        format!("a {count}-character value")
    } else {
        format!("a {count}-character value starting with {prefix:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "apiv1_Zk3pQ9rT2vX8wY1aB4cD6eF0gH5iJ7kL9mN2oP4qR6sT8uV0wX2yZ4aB6cD8eF";
    const MANAGEMENT: &str = "eyJhbGciOiJSUzI1NiJ9.Q2xvdWREZWRpY2F0ZWQ.c2lnbmF0dXJlMTIzNDU2Nzg5";

    #[test]
    fn altered_tokens_are_recognised() {
        let lower = TOKEN.to_ascii_lowercase();
        let split = format!("{}<b>{}</b>{}", &TOKEN[..20], &TOKEN[20..40], &TOKEN[40..]);
        let no_prefix = &TOKEN[6..];
        let split_no_prefix = format!("{}<i>{}</i>", &no_prefix[..25], &no_prefix[25..]);
        let spaced_management = MANAGEMENT.to_ascii_uppercase().replace('.', " . ");
        for text in [
            format!("token {lower} is invalid"),
            format!("<p>bad token {split}</p>"),
            format!("bad {no_prefix}"),
            split_no_prefix,
            format!("Bearer {spaced_management} rejected"),
        ] {
            assert!(looks_secret(&text, MANAGEMENT), "{text}");
        }
    }

    #[test]
    fn a_token_cut_into_short_pieces_is_recognised() {
        let body = &TOKEN[6..];
        let pieces = |n: usize, sep: &str| {
            body.as_bytes()
                .chunks(n)
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect::<Vec<_>>()
                .join(sep)
        };
        for text in [
            format!("token {} is unknown", pieces(8, " ")),
            format!("<p>{}</p>", pieces(3, "</b><b>")),
            format!("bad: {}", pieces(16, ", ")),
            format!("{{\"message\": \"{}\"}}", pieces(5, "\n")),
        ] {
            assert!(looks_secret(&text, MANAGEMENT), "{text}");
        }
    }

    #[test]
    fn ordinary_messages_stay_readable() {
        for text in [
            "token 11111111-1111-4111-8111-111111111111 not found",
            "database a_rather_long_database_name_for_metrics_2024 already exists",
            "/api/v0/accounts/11111111-1111-4111-8111-111111111111/clusters/22222222-2222-4222-8222-222222222222",
            "502 Bad Gateway nginx",
            "invalid type: string \"MetricsDb2024\", expected struct DatabaseToken at line 1 column 9",
            "unknown variant `ReadWrite`, expected one of `read`, `write` at line 1 column 42",
            "database Metrics2024 not found in cluster 11111111-1111-4111-8111-111111111111 (account 22222222-2222-4222-8222-222222222222)",
            "HTTPSConnectionPool(host='console.influxdata.com', port=443): Max retries exceeded with url: /api/v0/accounts",
        ] {
            assert!(!looks_secret(text, MANAGEMENT), "{text}");
        }
    }

    #[test]
    fn shape_shows_length_and_a_short_prefix_only() {
        assert_eq!(
            shape(TOKEN),
            format!("a {}-character value starting with \"apiv\"", TOKEN.len())
        );
        assert_eq!(shape("abc"), "a 3-character value");
        assert_eq!(shape(""), "an empty value");
    }
}
