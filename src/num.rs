//! Exact numbers: rationals over `i128`, with checked arithmetic.
//!
//! Every count, decimal and percentage in zan is a `Num`. There is no floating point anywhere
//! in a legal comparison: `5.29%` is 529/10000 and `1 / 3` is a third. Arithmetic that would
//! overflow returns `None`, which the evaluator reports as an error instead of wrapping.

use std::cmp::Ordering;
use std::fmt;

/// A rational number in lowest terms with a positive denominator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Num {
    numer: i128,
    denom: i128,
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    // Most numbers here (votes, counts, percentages) fit in 64 bits, where division is several
    // times cheaper than on 128 bits; the greatest common divisor is the same.
    if let (Ok(x), Ok(y)) = (
        u64::try_from(a.unsigned_abs()),
        u64::try_from(b.unsigned_abs()),
    ) {
        let (mut x, mut y) = (x, y);
        while y != 0 {
            let r = x % y;
            x = y;
            y = r;
        }
        return i128::from(x);
    }
    a = a.abs();
    b = b.abs();
    while b != 0 {
        let r = a % b;
        a = b;
        b = r;
    }
    a
}

impl Num {
    /// Zero.
    pub const ZERO: Num = Num { numer: 0, denom: 1 };
    /// One (also 100%).
    pub const ONE: Num = Num { numer: 1, denom: 1 };

    /// A whole number.
    pub fn int(value: i64) -> Num {
        Num {
            numer: i128::from(value),
            denom: 1,
        }
    }

    /// `numer / denom`, or `None` when `denom` is zero or the reduction overflows.
    pub fn ratio(numer: i128, denom: i128) -> Option<Num> {
        if denom == 0 {
            return None;
        }
        if denom == 1 {
            return Some(Num { numer, denom });
        }
        let divisor = gcd(numer, denom);
        let (mut numer, mut denom) = (numer / divisor, denom / divisor);
        if denom < 0 {
            numer = numer.checked_neg()?;
            denom = denom.checked_neg()?;
        }
        Some(Num { numer, denom })
    }

    pub fn numer(self) -> i128 {
        self.numer
    }

    pub fn denom(self) -> i128 {
        self.denom
    }

    pub fn is_integer(self) -> bool {
        self.denom == 1
    }

    pub fn is_negative(self) -> bool {
        self.numer < 0
    }

    /// The whole number, when this is one and fits in `i64`.
    pub fn to_i64(self) -> Option<i64> {
        if self.denom == 1 {
            i64::try_from(self.numer).ok()
        } else {
            None
        }
    }

    pub fn checked_add(self, other: Num) -> Option<Num> {
        let numer = self
            .numer
            .checked_mul(other.denom)?
            .checked_add(other.numer.checked_mul(self.denom)?)?;
        Num::ratio(numer, self.denom.checked_mul(other.denom)?)
    }

    pub fn checked_sub(self, other: Num) -> Option<Num> {
        self.checked_add(other.checked_neg()?)
    }

    pub fn checked_neg(self) -> Option<Num> {
        Some(Num {
            numer: self.numer.checked_neg()?,
            denom: self.denom,
        })
    }

    pub fn checked_mul(self, other: Num) -> Option<Num> {
        let left = gcd(self.numer, other.denom).max(1);
        let right = gcd(other.numer, self.denom).max(1);
        Num::ratio(
            (self.numer / left).checked_mul(other.numer / right)?,
            (self.denom / right).checked_mul(other.denom / left)?,
        )
    }

    /// `None` on division by zero or overflow.
    pub fn checked_div(self, other: Num) -> Option<Num> {
        if other.numer == 0 {
            return None;
        }
        self.checked_mul(Num::ratio(other.denom, other.numer)?)
    }

    /// The largest whole number not greater than this one.
    pub fn floor(self) -> Num {
        Num {
            numer: self.numer.div_euclid(self.denom),
            denom: 1,
        }
    }

    /// `self - floor(self)`: the fractional part, in `[0, 1)`.
    pub fn fract(self) -> Num {
        Num {
            numer: self.numer.rem_euclid(self.denom),
            denom: self.denom,
        }
    }

    /// Parses a plain decimal literal such as `5`, `5.29` or `-0.7` (underscores allowed
    /// between digits). `None` if it is not one or does not fit.
    pub fn parse_decimal(text: &str) -> Option<Num> {
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (whole, fraction) = match digits.split_once('.') {
            Some((whole, fraction)) => (whole, fraction),
            None => (digits, ""),
        };
        if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit() || c == '_') {
            return None;
        }
        if !fraction.chars().all(|c| c.is_ascii_digit()) || fraction.len() > 18 {
            return None;
        }
        let mut numer: i128 = 0;
        for c in whole.chars().chain(fraction.chars()) {
            if let Some(digit) = c.to_digit(10) {
                numer = numer.checked_mul(10)?.checked_add(i128::from(digit))?;
                if numer > i128::from(i64::MAX) {
                    return None;
                }
            }
        }
        let denom = 10i128.checked_pow(u32::try_from(fraction.len()).ok()?)?;
        let numer = if negative { -numer } else { numer };
        Num::ratio(numer, denom)
    }

    /// The number to `places` decimal places, rounded half away from zero, as its sign, whole
    /// part and fraction digits (`fraction < 10^places`); `None` if the arithmetic would
    /// overflow. Exact arithmetic only.
    pub fn rounded(self, places: u32) -> Option<Rounded> {
        let scale = 10u128.checked_pow(places)?;
        let numer = self.numer.unsigned_abs();
        let denom = self.denom.unsigned_abs();
        let whole = numer / denom;
        // rest < denom, so this overflows only for denominators near u128::MAX / (2 * scale).
        let fraction = (numer % denom)
            .checked_mul(scale.checked_mul(2)?)?
            .checked_add(denom)?
            / denom.checked_mul(2)?;
        let (whole, fraction) = if fraction >= scale {
            (whole + 1, 0)
        } else {
            (whole, fraction)
        };
        Some(Rounded {
            negative: self.numer < 0,
            whole,
            fraction,
        })
    }

    /// Exact decimal digits when the number has a finite decimal expansion, else `None`.
    pub fn to_decimal_string(self) -> Option<String> {
        // A finite expansion exists iff the denominator has no prime factors but 2 and 5.
        let mut rest = self.denom;
        let mut places = 0u32;
        let mut twos = 0u32;
        let mut fives = 0u32;
        while rest % 2 == 0 {
            rest /= 2;
            twos += 1;
        }
        while rest % 5 == 0 {
            rest /= 5;
            fives += 1;
        }
        if rest != 1 {
            return None;
        }
        places = places.max(twos).max(fives);
        let scale = 10i128.checked_pow(places)?;
        let scaled = self.numer.checked_mul(scale / self.denom)?;
        let negative = scaled < 0;
        let digits = scaled.unsigned_abs().to_string();
        let places = places as usize;
        let text = if places == 0 {
            digits
        } else if digits.len() > places {
            format!(
                "{}.{}",
                &digits[..digits.len() - places],
                &digits[digits.len() - places..]
            )
        } else {
            format!("0.{}{}", "0".repeat(places - digits.len()), digits)
        };
        Some(if negative { format!("-{text}") } else { text })
    }
}

impl PartialOrd for Num {
    fn partial_cmp(&self, other: &Num) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Num {
    fn cmp(&self, other: &Num) -> Ordering {
        // Cross-multiplication can overflow for huge operands; fall back to comparing
        // floor and fraction, which is exact and cannot overflow.
        match (
            self.numer.checked_mul(other.denom),
            other.numer.checked_mul(self.denom),
        ) {
            (Some(left), Some(right)) => left.cmp(&right),
            _ => {
                let (left_floor, right_floor) = (self.floor(), other.floor());
                match left_floor.numer.cmp(&right_floor.numer) {
                    Ordering::Equal => {
                        let (left, right) = (self.fract(), other.fract());
                        // Both fractions are in [0, 1): compare their reciprocals.
                        if left.numer == 0 || right.numer == 0 {
                            left.numer.cmp(&right.numer)
                        } else {
                            Num {
                                numer: right.denom,
                                denom: right.numer,
                            }
                            .cmp(&Num {
                                numer: left.denom,
                                denom: left.numer,
                            })
                        }
                    }
                    unequal @ (Ordering::Less | Ordering::Greater) => unequal,
                }
            }
        }
    }
}

/// Groups the digits of a whole number in threes: `20000` -> `20,000`.
pub fn group_thousands(digits: &str) -> String {
    let (sign, digits) = match digits.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", digits),
    };
    let (whole, fraction) = match digits.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (digits, None),
    };
    let mut grouped = String::new();
    for (idx, c) in whole.chars().enumerate() {
        if idx > 0 && (whole.len() - idx) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match fraction {
        Some(fraction) => format!("{sign}{grouped}.{fraction}"),
        None => format!("{sign}{grouped}"),
    }
}

impl fmt::Display for Num {
    /// Plain exact form: `5`, `0.7`, or `1/3` when no finite decimal exists.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to_decimal_string() {
            Some(text) => f.write_str(&text),
            None => write!(f, "{}/{}", self.numer, self.denom),
        }
    }
}

/// A number rounded to some decimal places: see [`Num::rounded`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rounded {
    /// Whether the number (not necessarily its rounding) is below zero.
    pub negative: bool,
    /// The whole part of the rounded magnitude.
    pub whole: u128,
    /// The fraction digits of the rounded magnitude, as an integer below `10^places`.
    pub fraction: u128,
}

#[cfg(test)]
#[path = "num_tests.rs"]
mod tests;
