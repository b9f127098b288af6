//! Unit tests of `seats`.
use super::*;

fn list(name: &str, votes: i64, registered: &str) -> List {
    List {
        name: name.into(),
        votes,
        registered: registered.parse().unwrap(),
    }
}

fn seats_of(allocation: &Allocation) -> Vec<(String, i64)> {
    allocation
        .rows
        .iter()
        .filter(|r| r.admitted)
        .map(|r| (r.name.to_string(), r.seats))
        .collect()
}

fn pct(n: i64) -> Num {
    Num::ratio(n.into(), 100).unwrap()
}

#[test]
fn largest_remainders() {
    // Quota 1000/98; A: 58.8 -> 58 + 1, B: 39.2 -> 39.
    let lists = [list("A", 600, "1999-03-01"), list("B", 400, "2002-01-01")];
    let a = allocate(&lists, 1000, 98, pct(5), Num::ratio(7, 10).unwrap(), 2).unwrap();
    assert_eq!(seats_of(&a), vec![("A".into(), 59), ("B".into(), 39)]);
}

#[test]
fn tie_goes_to_the_list_registered_earlier() {
    // 10 seats, A and B with 50 votes each: quotients 5 and 5, no leftover. Use 3 seats:
    // quotients 1.5 and 1.5, one leftover seat, B was registered earlier.
    let lists = [list("A", 50, "2005-01-01"), list("B", 50, "2001-01-01")];
    let a = allocate(&lists, 100, 3, pct(5), Num::ratio(7, 10).unwrap(), 2).unwrap();
    assert_eq!(seats_of(&a), vec![("A".into(), 1), ("B".into(), 2)]);
    assert_eq!(a.notes.len(), 1);
}

#[test]
fn tie_on_the_same_day_is_a_gap() {
    let lists = [list("A", 50, "2001-01-01"), list("B", 50, "2001-01-01")];
    let result = allocate(&lists, 100, 3, pct(5), Num::ratio(7, 10).unwrap(), 2);
    assert!(matches!(result, Err(AllocationError::Gap(_))));
}

#[test]
fn one_list_case() {
    // Only A passes 7% (A 900, B 60, C 40 of 1000). B is admitted: quota (900+60)/98.
    // A: 900*98/960 = 91.875 -> 91; B: 60*98/960*0.7 = 4.2875 -> 4 (>= 2);
    // leftover 98 - 95 = 3 go to A: A 94, B 4.
    let lists = [
        list("A", 900, "1999-01-01"),
        list("B", 60, "2002-01-01"),
        list("C", 40, "2003-01-01"),
    ];
    let a = allocate(&lists, 1000, 98, pct(7), Num::ratio(7, 10).unwrap(), 2).unwrap();
    assert!(a.one_list_case);
    assert_eq!(seats_of(&a), vec![("A".into(), 94), ("B".into(), 4)]);
}

#[test]
fn one_list_case_minimum_of_two() {
    // A 980, B 10 of 1000, 98 seats: B: 10*98/990*0.7 = 0.69 -> 0, raised to 2; A: 97.01 -> 97,
    // leftover 98 - 99 < 0 would be impossible, so use 10 seats: A 9.89 -> 9, B -> 2, leftover -1.
    let lists = [list("A", 980, "1999-01-01"), list("B", 10, "2002-01-01")];
    let a = allocate(&lists, 1000, 98, pct(7), Num::ratio(7, 10).unwrap(), 2);
    // 98 seats: A floor(980*98/990) = 97, B raised to 2: 99 > 98: the statute is silent.
    assert!(matches!(a, Err(AllocationError::Gap(_))));
    let lists = [list("A", 900, "1999-01-01"), list("B", 10, "2002-01-01")];
    let a = allocate(&lists, 1000, 98, pct(7), Num::ratio(7, 10).unwrap(), 2).unwrap();
    // A: 900*98/910 = 96.92 -> 96; B: 10*98/910*0.7 = 0.75 -> 0, raised to 2; leftover 0.
    assert_eq!(seats_of(&a), vec![("A".into(), 96), ("B".into(), 2)]);
    assert!(a.rows[1].minimum_applied);
}

#[test]
fn no_list_passes_is_a_gap_and_bad_input_is_invalid() {
    let lists = [list("A", 10, "1999-01-01")];
    assert!(matches!(
        allocate(&lists, 1000, 98, pct(5), Num::ONE, 2),
        Err(AllocationError::Gap(_))
    ));
    let lists = [list("A", 2000, "1999-01-01")];
    assert!(matches!(
        allocate(&lists, 1000, 98, pct(5), Num::ONE, 2),
        Err(AllocationError::Invalid(_))
    ));
}

#[test]
fn runner_up_tie_is_a_gap_whatever_the_registration_dates() {
    // See: issue 8, review E3. A 700 passes 5% alone; B and C tie on 40 votes for the next
    // place. 97-1(2) admits one runner-up and does not say which; the earlier-registration rule
    // of 97-1(4) is about remainders, so registration dates that differ settle nothing.
    let lists = [
        list("A", 700, "1999-01-01"),
        list("B", 40, "2002-01-01"),
        list("C", 40, "2004-01-01"),
    ];
    let result = allocate(&lists, 1000, 69, pct(5), Num::ratio(7, 10).unwrap(), 2);
    let Err(AllocationError::Gap(reason)) = result else {
        panic!("expected a gap, found {result:?}");
    };
    assert!(reason.contains("`B` and `C` tie"), "{reason}");
    // A runner-up ahead by one vote is admitted as before.
    let lists = [
        list("A", 700, "1999-01-01"),
        list("B", 40, "2004-01-01"),
        list("C", 39, "2002-01-01"),
    ];
    let a = allocate(&lists, 1000, 69, pct(5), Num::ratio(7, 10).unwrap(), 2).unwrap();
    assert!(a.rows[1].runner_up && !a.rows[2].admitted);
}
