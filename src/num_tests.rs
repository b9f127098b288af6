//! Unit tests of `num`.
use super::*;

#[test]
fn decimals_are_exact() {
    let a = Num::parse_decimal("5.29").unwrap();
    assert_eq!(a, Num::ratio(529, 100).unwrap());
    assert_eq!(a.to_string(), "5.29");
    let third = Num::int(1).checked_div(Num::int(3)).unwrap();
    assert_eq!(third.to_string(), "1/3");
    assert!(third.checked_mul(Num::int(3)).unwrap() == Num::ONE);
}

#[test]
fn comparison_is_exact() {
    let five_pct = Num::ratio(5, 100).unwrap();
    let share = Num::ratio(4_999, 100_000).unwrap();
    assert!(share < five_pct);
    assert!(Num::ratio(5_000, 100_000).unwrap() == five_pct);
}

#[test]
fn overflow_is_reported_not_wrapped() {
    let huge = Num::int(i64::MAX);
    let product = huge.checked_mul(huge).unwrap();
    assert!(product.checked_mul(huge).is_none());
    assert!(Num::ONE.checked_div(Num::ZERO).is_none());
}

#[test]
fn floor_and_fraction() {
    let q = Num::ratio(-7, 2).unwrap();
    assert_eq!(q.floor(), Num::int(-4));
    assert_eq!(q.fract(), Num::ratio(1, 2).unwrap());
    assert_eq!(group_thousands("-1234567.5"), "-1,234,567.5");
}
