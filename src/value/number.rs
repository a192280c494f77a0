//! Terraform numbers: exact, arbitrary-precision decimals.
//!
//! Terraform keeps numbers as 512-bit binary floats and sends any number that is not an
//! integer or an exact `f64` as decimal text. We keep the exact decimal value so nothing is
//! lost between decoding a plan and sending it back: a value we echo must be the value we got.

use std::fmt;

use super::error::{DecodeError, DecodeErrorKind};

/// The largest decimal exponent (of the number in scientific notation) accepted. Terraform's
/// own numbers stay far inside it; the cap only keeps absurd input such as `1e999999999999`
/// from being accepted (and turns it into an error instead).
const MAX_SCI_EXPONENT: i64 = 1_000_000_000;

/// Longest piece of offending text quoted in an error message.
const MAX_QUOTED: usize = 40;

/// An exact decimal number of any size or precision, or one of the two infinities.
///
/// The representation is canonical, so the derived equality and hashing are numeric: `1.0`,
/// `1` and `10e-1` are the same number, and so are `-0` and `0`.
///
/// Terraform's numbers include ±infinity (`1/0` in a configuration arrives as a float64
/// infinity), so a decoded value can be infinite. No API field accepts one: validation must
/// report it at the attribute ([`Number::is_infinite`]); the integer accessors return `None`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Number {
    negative: bool,
    /// `digits` is empty and `exponent` 0 when set.
    infinite: bool,
    /// Significant digits, ASCII, no leading or trailing zeros; empty for zero.
    digits: Box<str>,
    /// Power of ten the digits are multiplied by; 0 for zero.
    exponent: i64,
}

impl Number {
    /// Zero.
    pub fn zero() -> Self {
        Self {
            negative: false,
            infinite: false,
            digits: Box::from(""),
            exponent: 0,
        }
    }

    /// Positive or negative infinity, which Terraform numbers can hold (`1/0`).
    pub fn infinity(negative: bool) -> Self {
        Self {
            negative,
            infinite: true,
            digits: Box::from(""),
            exponent: 0,
        }
    }

    /// Whether this is +∞ or -∞; no API field takes one.
    pub fn is_infinite(&self) -> bool {
        self.infinite
    }

    /// The integer `i`.
    pub fn from_i64(i: i64) -> Self {
        Self::from_integer_text(i < 0, &i.unsigned_abs().to_string())
    }

    /// The integer `u`.
    pub fn from_u64(u: u64) -> Self {
        Self::from_integer_text(false, &u.to_string())
    }

    /// The exact value of `f` (every finite `f64` is a finite decimal), or `None` for NaN and
    /// infinities, which Terraform numbers cannot hold. `0.1_f64` gives
    /// `0.1000000000000000055511151231257827021181583404541015625`, not `0.1`: this is what
    /// Terraform does with a float64 on the wire too.
    pub fn from_f64(f: f64) -> Option<Self> {
        if !f.is_finite() {
            return None;
        }
        let bits = f.to_bits();
        let negative = bits >> 63 == 1;
        let biased = i64::try_from((bits >> 52) & 0x7ff).ok()?;
        let fraction = bits & ((1_u64 << 52) - 1);
        let (mut mantissa, mut exp2) = if biased == 0 {
            (fraction, -1074_i64)
        } else {
            (fraction | (1_u64 << 52), biased - 1075)
        };
        if mantissa == 0 {
            return Some(Self::zero());
        }
        while mantissa % 2 == 0 && exp2 < 0 {
            mantissa /= 2;
            exp2 += 1;
        }
        let mut big = BigDecimal::from_u64(mantissa);
        let exponent = if exp2 >= 0 {
            // mantissa * 2^exp2, an integer.
            big.mul_pow(2, 29, exp2.unsigned_abs());
            0
        } else {
            // mantissa * 2^-k = mantissa * 5^k * 10^-k.
            big.mul_pow(5, 13, exp2.unsigned_abs());
            exp2
        };
        Some(Self::normalise(negative, &big.to_text(), exponent))
    }

    /// Parses decimal text: an optional sign, digits with an optional fraction, and an optional
    /// exponent (`-12.5`, `1e+400`, `.5`, `5.`). Rejects everything else, including
    /// whitespace, `inf`, `nan`, hex, and exponents beyond ±10⁹.
    pub fn parse(text: &str) -> Result<Self, DecodeError> {
        parse(text)
            .ok_or_else(|| DecodeError::at_root(DecodeErrorKind::InvalidNumber(quote_prefix(text))))
    }

    /// The value as an `i64`, only when it is an integer within range.
    pub fn as_i64(&self) -> Option<i64> {
        let magnitude = self.integer_magnitude()?;
        if self.negative {
            0_i128
                .checked_sub(i128::from(magnitude))
                .and_then(|v| i64::try_from(v).ok())
        } else {
            i64::try_from(magnitude).ok()
        }
    }

    /// The value as a `u64`, only when it is a non-negative integer within range.
    pub fn as_u64(&self) -> Option<u64> {
        if self.negative {
            return None;
        }
        self.integer_magnitude()
    }

    /// The nearest `f64` (correctly rounded); numbers beyond the `f64` range become infinite
    /// or zero, as with any float conversion.
    pub fn as_f64(&self) -> f64 {
        if self.infinite {
            return if self.negative {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            };
        }
        if self.digits.is_empty() {
            return 0.0;
        }
        let sign = if self.negative { "-" } else { "" };
        // Rust's float parser rounds correctly and saturates huge exponents, and this text is
        // always in its grammar, so the fallback cannot happen.
        format!("{sign}{}e{}", self.digits, self.exponent)
            .parse()
            .unwrap_or(f64::NAN)
    }

    /// The `f64` that is exactly this number, if there is one. The msgpack encoder uses it to
    /// send such numbers as float64, like Terraform does.
    pub fn to_exact_f64(&self) -> Option<f64> {
        if self.infinite {
            return Some(self.as_f64());
        }
        // A non-integer binary fraction always ends in the decimal digit 5, and no f64 has
        // more than 767 significant decimal digits: two cheap filters before the exact check.
        if self.exponent < 0 && !self.digits.ends_with('5') {
            return None;
        }
        if self.digits.len() > 767 {
            return None;
        }
        let f = self.as_f64();
        (Self::from_f64(f).as_ref() == Some(self)).then_some(f)
    }

    /// Whether the number has no fractional part.
    pub fn is_integer(&self) -> bool {
        !self.infinite && self.exponent >= 0
    }

    /// Whether the number is below zero.
    pub fn is_negative(&self) -> bool {
        self.negative
    }

    /// Magnitude as a u64 if the number is an integer that fits.
    fn integer_magnitude(&self) -> Option<u64> {
        if !self.is_integer() {
            return None;
        }
        let mut out: u64 = 0;
        for digit in self.digits.bytes() {
            out = out
                .checked_mul(10)?
                .checked_add(u64::from(digit.wrapping_sub(b'0')))?;
        }
        for _ in 0..self.exponent {
            out = out.checked_mul(10)?;
        }
        Some(out)
    }

    fn from_integer_text(negative: bool, digits: &str) -> Self {
        Self::normalise(negative, digits, 0)
    }

    /// Builds the canonical form of `digits * 10^exponent` (digits are ASCII 0-9). The caller
    /// guarantees the exponent stays within range after trailing zeros are absorbed.
    fn normalise(negative: bool, digits: &str, exponent: i64) -> Self {
        let digits = digits.trim_start_matches('0');
        let trimmed = digits.trim_end_matches('0');
        if trimmed.is_empty() {
            return Self::zero();
        }
        let zeros = i64::try_from(digits.len() - trimmed.len()).unwrap_or(i64::MAX);
        Self {
            negative,
            infinite: false,
            digits: Box::from(trimmed),
            exponent: exponent.saturating_add(zeros),
        }
    }

    /// The exponent of the number in scientific notation (`d.ddd × 10^e`).
    fn sci_exponent(&self) -> i64 {
        let len = i64::try_from(self.digits.len()).unwrap_or(i64::MAX);
        self.exponent.saturating_add(len).saturating_sub(1)
    }
}

fn parse(text: &str) -> Option<Number> {
    let bytes = text.as_bytes();
    let (negative, rest) = match bytes.first()? {
        b'-' => (true, bytes.get(1..)?),
        b'+' => (false, bytes.get(1..)?),
        _ => (false, bytes),
    };
    let int_len = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    let (int_part, rest) = rest.split_at_checked(int_len)?;
    let (frac_part, rest) = match rest.split_first() {
        Some((b'.', after)) => {
            let frac_len = after.iter().take_while(|b| b.is_ascii_digit()).count();
            after.split_at_checked(frac_len)?
        }
        _ => (&[][..], rest),
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    let exp_literal = match rest.split_first() {
        None => 0,
        Some((b'e' | b'E', after)) => parse_exponent(after)?,
        Some(_) => return None,
    };
    let mut digits = String::with_capacity(int_part.len().saturating_add(frac_part.len()));
    digits.extend(int_part.iter().chain(frac_part).map(|&b| char::from(b)));
    let frac_len = i64::try_from(frac_part.len()).ok()?;
    let number = Number::normalise(negative, &digits, exp_literal.checked_sub(frac_len)?);
    if number.digits.is_empty() {
        return Some(number);
    }
    (number.sci_exponent().unsigned_abs() <= MAX_SCI_EXPONENT.unsigned_abs()).then_some(number)
}

/// Parses `[+-]digits`, saturating far beyond any accepted exponent so huge literals are
/// rejected by the range check rather than overflowing.
fn parse_exponent(bytes: &[u8]) -> Option<i64> {
    let (negative, digits) = match bytes.split_first()? {
        (b'-', after) => (true, after),
        (b'+', after) => (false, after),
        _ => (false, bytes),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let cap = 4 * MAX_SCI_EXPONENT;
    let magnitude = digits.iter().fold(0_i64, |acc, &d| {
        acc.saturating_mul(10)
            .saturating_add(i64::from(d - b'0'))
            .min(cap)
    });
    Some(if negative { -magnitude } else { magnitude })
}

fn quote_prefix(text: &str) -> String {
    match text.char_indices().nth(MAX_QUOTED) {
        Some((cut, _)) => format!("{}...", text.get(..cut).unwrap_or_default()),
        None => text.to_owned(),
    }
}

/// Exact decimal text: plain for integers with few trailing zeros (`12345678901234567890123`)
/// and fractions with few leading zeros (`0.0001`), scientific otherwise (`1e+400`,
/// `1.5e-10`). Terraform parses every form.
impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.infinite {
            return f.write_str(if self.negative { "-Inf" } else { "+Inf" });
        }
        if self.digits.is_empty() {
            return f.write_str("0");
        }
        if self.negative {
            f.write_str("-")?;
        }
        let digits = &*self.digits;
        let sci = self.sci_exponent();
        if (0..=21).contains(&self.exponent) {
            f.write_str(digits)?;
            for _ in 0..self.exponent {
                f.write_str("0")?;
            }
            return Ok(());
        }
        if self.exponent < 0 && sci >= -6 {
            if sci >= 0 {
                let split = usize::try_from(sci).unwrap_or(usize::MAX).saturating_add(1);
                let (int, frac) = digits.split_at_checked(split).unwrap_or((digits, ""));
                return write!(f, "{int}.{frac}");
            }
            f.write_str("0.")?;
            for _ in 1..sci.unsigned_abs() {
                f.write_str("0")?;
            }
            return f.write_str(digits);
        }
        let (first, rest) = digits.split_at_checked(1).unwrap_or((digits, ""));
        f.write_str(first)?;
        if !rest.is_empty() {
            write!(f, ".{rest}")?;
        }
        let sign = if sci < 0 { '-' } else { '+' };
        write!(f, "e{sign}{}", sci.unsigned_abs())
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Number({self})")
    }
}

impl From<i64> for Number {
    fn from(i: i64) -> Self {
        Self::from_i64(i)
    }
}

impl From<u64> for Number {
    fn from(u: u64) -> Self {
        Self::from_u64(u)
    }
}

/// Just enough unsigned big-integer arithmetic for exact `f64` to decimal conversion:
/// little-endian limbs in base 10⁹.
struct BigDecimal {
    limbs: Vec<u64>,
}

const LIMB_BASE: u64 = 1_000_000_000;

impl BigDecimal {
    fn from_u64(mut v: u64) -> Self {
        let mut limbs = Vec::new();
        while v > 0 {
            limbs.push(v % LIMB_BASE);
            v /= LIMB_BASE;
        }
        Self { limbs }
    }

    /// Multiplies by `base^power`, `chunk` powers at a time (`base^chunk` must stay below
    /// 2^32 so limb products fit a u64).
    fn mul_pow(&mut self, base: u64, chunk: u32, power: u64) {
        let mut left = power;
        while left > 0 {
            let step = left.min(u64::from(chunk));
            let factor = base.pow(u32::try_from(step).unwrap_or(chunk));
            self.mul_small(factor);
            left -= step;
        }
    }

    fn mul_small(&mut self, factor: u64) {
        let mut carry = 0_u64;
        for limb in &mut self.limbs {
            let product = *limb * factor + carry;
            *limb = product % LIMB_BASE;
            carry = product / LIMB_BASE;
        }
        while carry > 0 {
            self.limbs.push(carry % LIMB_BASE);
            carry /= LIMB_BASE;
        }
    }

    fn to_text(&self) -> String {
        let mut out = String::with_capacity(self.limbs.len().saturating_mul(9));
        let mut limbs = self.limbs.iter().rev();
        if let Some(top) = limbs.next() {
            out.push_str(&top.to_string());
        }
        for limb in limbs {
            out.push_str(&format!("{limb:09}"));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn infinities_are_not_integers_and_print_with_their_sign() {
        let (pos, neg) = (Number::infinity(false), Number::infinity(true));
        assert_ne!(pos, neg);
        assert_eq!(pos.to_string(), "+Inf");
        assert_eq!(neg.to_string(), "-Inf");
        assert!(!pos.is_integer());
        assert_eq!((pos.as_i64(), pos.as_u64()), (None, None));
        assert_eq!(neg.as_f64(), f64::NEG_INFINITY);
        assert!(!Number::from_i64(7).is_infinite());
    }

    use super::*;
    use proptest::prelude::*;

    fn n(text: &str) -> Number {
        Number::parse(text).expect("valid number")
    }

    #[test]
    fn equal_values_written_differently_are_equal() {
        assert_eq!(n("1.0"), n("1"));
        assert_eq!(n("10e-1"), n("1"));
        assert_eq!(n("-0"), n("0"));
        assert_eq!(n("0.000"), Number::zero());
        assert_eq!(n("+2.50"), n("2.5"));
        assert_eq!(n("1e3"), Number::from_i64(1000));
        assert_ne!(n("1"), n("-1"));
        assert_ne!(n("1.5"), n("15"));
    }

    #[test]
    fn display_is_exact_and_canonical() {
        for (input, shown) in [
            ("1", "1"),
            ("-2.5", "-2.5"),
            ("1e400", "1e+400"),
            ("-1.25e-400", "-1.25e-400"),
            ("12345678901234567890123", "12345678901234567890123"),
            ("1e21", "1000000000000000000000"),
            ("1e22", "1e+22"),
            ("15e21", "15000000000000000000000"),
            ("15e22", "1.5e+23"),
            ("0.0001", "0.0001"),
            ("0.0000001", "1e-7"),
            ("0.000001", "0.000001"),
            ("123.456", "123.456"),
            (".5", "0.5"),
            ("5.", "5"),
            ("100", "100"),
            ("0e999999999999999999", "0"),
        ] {
            assert_eq!(n(input).to_string(), shown, "{input}");
            assert_eq!(n(shown), n(input), "{shown} parses back");
        }
    }

    #[test]
    fn malformed_text_is_rejected() {
        for text in [
            "",
            "-",
            "+",
            ".",
            "e5",
            "1e",
            "1e+",
            "1.2.3",
            " 1",
            "1 ",
            "inf",
            "NaN",
            "0x10",
            "1_000",
            "--1",
            "1e5.5",
            "١",
            "1e1000000001",
        ] {
            let err = Number::parse(text).expect_err(text);
            assert!(matches!(err.kind, DecodeErrorKind::InvalidNumber(_)));
        }
    }

    #[test]
    fn long_text_is_shortened_in_errors() {
        let text = "9".repeat(100) + "x";
        let err = Number::parse(&text).expect_err("invalid");
        assert!(err.to_string().len() < 100);
    }

    #[test]
    fn integers_convert_only_when_in_range() {
        assert_eq!(n("9223372036854775807").as_i64(), Some(i64::MAX));
        assert_eq!(n("-9223372036854775808").as_i64(), Some(i64::MIN));
        assert_eq!(n("9223372036854775808").as_i64(), None);
        assert_eq!(n("18446744073709551615").as_u64(), Some(u64::MAX));
        assert_eq!(n("18446744073709551616").as_u64(), None);
        assert_eq!(n("1.5").as_i64(), None);
        assert_eq!(n("1e400").as_i64(), None);
        assert_eq!(n("-1").as_u64(), None);
        assert_eq!(n("12e2").as_i64(), Some(1200));
        assert!(n("12e2").is_integer());
        assert!(!n("1.2").is_integer());
    }

    #[test]
    fn floats_convert_exactly() {
        assert_eq!(Number::from_f64(2.5), Some(n("2.5")));
        assert_eq!(Number::from_f64(-0.0), Some(Number::zero()));
        assert_eq!(
            Number::from_f64(0.1),
            Some(n(
                "0.1000000000000000055511151231257827021181583404541015625"
            ))
        );
        assert_eq!(
            Number::from_f64(2f64.powi(70)),
            Some(n("1180591620717411303424"))
        );
        assert_eq!(Number::from_f64(f64::NAN), None);
        assert_eq!(Number::from_f64(f64::INFINITY), None);
        let tiny = Number::from_f64(f64::from_bits(1)).expect("finite");
        let shown = tiny.to_string();
        assert!(shown.starts_with("4.94065645841246544176568792868221372365059"));
        assert!(shown.ends_with("5e-324"));
        assert_eq!(tiny.as_f64(), f64::from_bits(1));
        assert_eq!(n("1e400").as_f64(), f64::INFINITY);
        assert_eq!(n("0.1").as_f64(), 0.1);
    }

    #[test]
    fn exact_f64_is_found_only_for_exact_values() {
        assert_eq!(n("2.5").to_exact_f64(), Some(2.5));
        assert_eq!(n("0.1").to_exact_f64(), None);
        assert_eq!(n("1e400").to_exact_f64(), None);
        assert_eq!(n("0.3").to_exact_f64(), None);
        assert_eq!(
            Number::from_f64(f64::MAX).and_then(|x| x.to_exact_f64()),
            Some(f64::MAX)
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn every_finite_f64_roundtrips(bits in any::<u64>()) {
            let f = f64::from_bits(bits);
            prop_assume!(f.is_finite());
            let number = Number::from_f64(f).expect("finite");
            prop_assert_eq!(number.as_f64().to_bits(), if f == 0.0 { 0 } else { bits });
            prop_assert_eq!(number.to_exact_f64().map(f64::to_bits), Some(if f == 0.0 { 0 } else { bits }));
            prop_assert_eq!(Number::parse(&number.to_string()), Ok(number));
        }

        #[test]
        fn every_i64_roundtrips(i in any::<i64>()) {
            let number = Number::from_i64(i);
            prop_assert_eq!(number.as_i64(), Some(i));
            prop_assert_eq!(number.to_string(), i.to_string());
            prop_assert_eq!(Number::parse(&i.to_string()), Ok(number));
        }

        #[test]
        fn display_parses_back_to_the_same_number(
            negative in any::<bool>(),
            digits in "[0-9]{1,40}",
            exponent in -500_i64..500,
        ) {
            let text = format!("{}{digits}e{exponent}", if negative { "-" } else { "" });
            let number = Number::parse(&text).expect("valid");
            prop_assert_eq!(Number::parse(&number.to_string()), Ok(number));
        }

        #[test]
        fn arbitrary_text_never_panics(text in "\\PC{0,30}") {
            let _ = Number::parse(&text);
        }
    }
}
