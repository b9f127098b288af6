//! Seat allocation by party lists, as Art. 97-1 of the Constitutional Law "On Elections" sets
//! it out: a Hare quota with largest remainders, ties to the list registered earlier, and the
//! special case when only one list passes the threshold.
//!
//! Every share, quota and quotient is exact. The step table is kept for the trace.

use crate::eval::{num, whole};
use crate::num::Num;
use crate::rulebase::Value;
use chrono::NaiveDate;
use std::sync::Arc;

/// One party list's line in the step table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub name: Arc<str>,
    pub votes: i64,
    pub registered: NaiveDate,
    /// Votes divided by the votes of all voters who took part.
    pub share: Num,
    pub passes: bool,
    /// Takes part in the allocation (passed, or the runner-up in the one-list case).
    pub admitted: bool,
    pub runner_up: bool,
    /// Votes divided by the quota (times the correction factor for the runner-up).
    pub quotient: Num,
    pub whole_seats: i64,
    pub remainder: Num,
    /// Seats from the second distribution (largest remainders, or the leftover in the one-list case).
    pub extra_seats: i64,
    /// Seats raised to the runner-up minimum.
    pub minimum_applied: bool,
    pub seats: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Allocation {
    pub seats: i64,
    pub votes_cast: i64,
    pub threshold: Num,
    pub quota: Num,
    pub one_list_case: bool,
    pub factor: Num,
    pub minimum: i64,
    pub rows: Vec<Row>,
    pub notes: Vec<String>,
}

impl Allocation {
    /// The admitted lists and their seats, in input order.
    pub fn value(&self) -> Value {
        let seats: Vec<(Arc<str>, i64)> = self
            .rows
            .iter()
            .filter(|row| row.admitted)
            .map(|row| (row.name.clone(), row.seats))
            .collect();
        Value::Seats(seats.into())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AllocationError {
    /// The statute does not say what happens in this case.
    Gap(String),
    /// The inputs are impossible (more votes than voters, a negative count, ...).
    Invalid(InvalidAllocation),
}

/// Why the inputs of a seat allocation are impossible; the fields are the facts the message
/// states, and [`std::fmt::Display`] words each case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InvalidAllocation {
    WrongArguments,
    ListNotRecord,
    ListFields,
    NotWhole,
    DivisionByZero,
    Overflow,
    VotersNotPositive { found: i64 },
    SeatsNotPositive { found: i64 },
    FactorNotPositive { found: Num },
    NegativeMinimum { found: i64 },
    NegativeVotes { list: Arc<str> },
    ListTwice { list: Arc<str> },
    MoreVotesThanVoters { total: i64, voters: i64 },
}

impl std::fmt::Display for InvalidAllocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("allocate_seats: ")?;
        match self {
            InvalidAllocation::WrongArguments => write!(f, "wrong arguments"),
            InvalidAllocation::ListNotRecord => write!(f, "a list is not a record"),
            InvalidAllocation::ListFields => write!(
                f,
                "each list needs a name, a whole number of votes and a registration date"
            ),
            InvalidAllocation::NotWhole => write!(
                f,
                "votes cast, seats and the runner-up minimum must be whole numbers"
            ),
            InvalidAllocation::DivisionByZero => write!(f, "division by zero"),
            InvalidAllocation::Overflow => write!(f, "arithmetic overflow"),
            InvalidAllocation::VotersNotPositive { found } => write!(
                f,
                "the number of voters who took part must be positive, found {found}"
            ),
            InvalidAllocation::SeatsNotPositive { found } => {
                write!(f, "seats to distribute must be positive, found {found}")
            }
            InvalidAllocation::FactorNotPositive { found } => {
                write!(f, "the runner-up factor must be positive, found {found}")
            }
            InvalidAllocation::NegativeMinimum { found } => {
                write!(f, "the runner-up minimum cannot be negative, found {found}")
            }
            InvalidAllocation::NegativeVotes { list } => {
                write!(f, "list `{list}` has a negative number of votes")
            }
            InvalidAllocation::ListTwice { list } => write!(f, "list `{list}` appears twice"),
            InvalidAllocation::MoreVotesThanVoters { total, voters } => write!(
                f,
                "the lists received {total} votes in all, more than the {voters} voters who took part"
            ),
        }
    }
}

/// One list as given: name, votes, registration date.
pub struct List {
    pub name: Arc<str>,
    pub votes: i64,
    pub registered: NaiveDate,
}

/// Unpacks the six evaluated arguments of `allocate_seats` and allocates.
pub fn allocate_values(args: &[Value]) -> Result<Allocation, AllocationError> {
    let invalid = AllocationError::Invalid;
    let [
        Value::List(lists),
        votes_cast,
        seats,
        threshold,
        factor,
        minimum,
        prevails,
        tie,
    ] = args
    else {
        return Err(invalid(InvalidAllocation::WrongArguments));
    };
    let mut parsed = Vec::new();
    for list in lists.iter() {
        // Fields are checked by name in the checker; the record's field order is fixed there.
        let Value::Record(fields) = list else {
            return Err(invalid(InvalidAllocation::ListNotRecord));
        };
        let name = fields.iter().find_map(|f| f.as_text().cloned());
        let votes = fields
            .iter()
            .find_map(|f| f.as_num().and_then(|n| n.to_i64()));
        let registered = fields.iter().find_map(Value::as_date);
        match (name, votes, registered) {
            (Some(name), Some(votes), Some(registered)) => parsed.push(List {
                name,
                votes,
                registered,
            }),
            _ => {
                return Err(invalid(InvalidAllocation::ListFields));
            }
        }
    }
    let (Some(votes_cast), Some(seats), Some(threshold), Some(factor), Some(minimum)) = (
        whole(votes_cast),
        whole(seats),
        num(threshold),
        num(factor),
        whole(minimum),
    ) else {
        return Err(invalid(InvalidAllocation::NotWhole));
    };
    let overflow = match prevails {
        Value::Bool(true) => Overflow::MinimumPrevails,
        Value::Bool(_)
        | Value::Num(_)
        | Value::Date(_)
        | Value::Duration(_)
        | Value::Text(_)
        | Value::Enum(..)
        | Value::Record(_)
        | Value::List(_)
        | Value::Seats(_) => Overflow::Gap,
    };
    let tie = match tie {
        Value::Bool(true) => RunnerUpTie::EarlierRegistered,
        Value::Bool(_)
        | Value::Num(_)
        | Value::Date(_)
        | Value::Duration(_)
        | Value::Text(_)
        | Value::Enum(..)
        | Value::Record(_)
        | Value::List(_)
        | Value::Seats(_) => RunnerUpTie::Gap,
    };
    allocate_with(
        &parsed,
        votes_cast,
        seats,
        threshold,
        factor,
        minimum,
        Readings { overflow, tie },
    )
}

/// How the one-list case settles the two things Art. 97-1 leaves open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Readings {
    pub overflow: Overflow,
    pub tie: RunnerUpTie,
}

/// A tie for the runner-up place (Art. 97-1(2) does not say which list is admitted): answer
/// `not_covered`, or admit the list registered earlier, by analogy with the remainder tie of
/// 97-1(4). Which applies is a contested reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunnerUpTie {
    Gap,
    EarlierRegistered,
}

/// What the one-list case does when the runner-up minimum leaves the list that passed too few
/// seats (Art. 97-1(3) does not say): answer `not_covered`, or let the minimum prevail and take
/// the difference from the list that passed. Which applies is a contested reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overflow {
    Gap,
    MinimumPrevails,
}

fn ratio(numer: i64, denom: i64) -> Result<Num, AllocationError> {
    Num::int(numer)
        .checked_div(Num::int(denom))
        .ok_or(AllocationError::Invalid(InvalidAllocation::DivisionByZero))
}

fn overflow() -> AllocationError {
    AllocationError::Invalid(InvalidAllocation::Overflow)
}

/// Allocates `seats` among `lists` under Art. 97-1; an overflowing runner-up minimum is a gap.
pub fn allocate(
    lists: &[List],
    votes_cast: i64,
    seats: i64,
    threshold: Num,
    factor: Num,
    minimum: i64,
) -> Result<Allocation, AllocationError> {
    allocate_with(
        lists,
        votes_cast,
        seats,
        threshold,
        factor,
        minimum,
        Readings {
            overflow: Overflow::Gap,
            tie: RunnerUpTie::Gap,
        },
    )
}

/// Allocates `seats` among `lists` under Art. 97-1, an overflowing runner-up minimum handled
/// as `overflow` says.
pub fn allocate_with(
    lists: &[List],
    votes_cast: i64,
    seats: i64,
    threshold: Num,
    factor: Num,
    minimum: i64,
    readings: Readings,
) -> Result<Allocation, AllocationError> {
    let overflow_reading = readings.overflow;
    if votes_cast <= 0 {
        return Err(AllocationError::Invalid(
            InvalidAllocation::VotersNotPositive { found: votes_cast },
        ));
    }
    if seats <= 0 {
        return Err(AllocationError::Invalid(
            InvalidAllocation::SeatsNotPositive { found: seats },
        ));
    }
    // Art. 97-1(2)-(3) scale the runner-up's quotient down and give it a minimum of seats;
    // a factor of zero or less, or a negative minimum, would hand out negative seats.
    if factor <= Num::ZERO {
        return Err(AllocationError::Invalid(
            InvalidAllocation::FactorNotPositive { found: factor },
        ));
    }
    if minimum < 0 {
        return Err(AllocationError::Invalid(
            InvalidAllocation::NegativeMinimum { found: minimum },
        ));
    }
    let mut total_votes: i64 = 0;
    // One look-up per list, so that a batch line of a million lists is checked in linear time.
    let mut names: std::collections::HashSet<&str> =
        std::collections::HashSet::with_capacity(lists.len());
    for list in lists {
        if list.votes < 0 {
            return Err(AllocationError::Invalid(InvalidAllocation::NegativeVotes {
                list: list.name.clone(),
            }));
        }
        if !names.insert(&list.name) {
            return Err(AllocationError::Invalid(InvalidAllocation::ListTwice {
                list: list.name.clone(),
            }));
        }
        total_votes = total_votes.checked_add(list.votes).ok_or_else(overflow)?;
    }
    if total_votes > votes_cast {
        return Err(AllocationError::Invalid(
            InvalidAllocation::MoreVotesThanVoters {
                total: total_votes,
                voters: votes_cast,
            },
        ));
    }
    let mut rows: Vec<Row> = Vec::with_capacity(lists.len());
    for list in lists {
        let share = ratio(list.votes, votes_cast)?;
        rows.push(Row {
            name: list.name.clone(),
            votes: list.votes,
            registered: list.registered,
            share,
            passes: share >= threshold,
            admitted: false,
            runner_up: false,
            quotient: Num::ZERO,
            whole_seats: 0,
            remainder: Num::ZERO,
            extra_seats: 0,
            minimum_applied: false,
            seats: 0,
        });
    }
    let mut notes = Vec::new();
    let passing: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].passes).collect();
    let mut allocation = Allocation {
        seats,
        votes_cast,
        threshold,
        quota: Num::ZERO,
        one_list_case: false,
        factor,
        minimum,
        rows: Vec::new(),
        notes: Vec::new(),
    };
    match passing.as_slice() {
        [] => {
            return Err(AllocationError::Gap(
                "no party list reached the threshold; Art. 97-1 does not provide for this case"
                    .to_string(),
            ));
        }
        [only] => {
            let only = *only;
            // Art. 97-1(2): the list with the next most votes is admitted too.
            let runner_up = best_runner_up(&rows, only, readings.tie, &mut notes)?;
            allocation.one_list_case = true;
            rows[only].admitted = true;
            rows[runner_up].admitted = true;
            rows[runner_up].runner_up = true;
            let admitted_votes = rows[only]
                .votes
                .checked_add(rows[runner_up].votes)
                .ok_or_else(overflow)?;
            let quota = ratio(admitted_votes, seats)?;
            allocation.quota = quota;
            for (idx, scale) in [(only, Num::ONE), (runner_up, factor)] {
                let quotient = Num::int(rows[idx].votes)
                    .checked_div(quota)
                    .and_then(|q| q.checked_mul(scale))
                    .ok_or_else(overflow)?;
                rows[idx].quotient = quotient;
                rows[idx].whole_seats = quotient.floor().to_i64().ok_or_else(overflow)?;
                rows[idx].remainder = quotient.fract();
                rows[idx].seats = rows[idx].whole_seats;
            }
            // Art. 97-1(3): the runner-up gets at least the minimum.
            if rows[runner_up].seats < minimum {
                rows[runner_up].seats = minimum;
                rows[runner_up].minimum_applied = true;
            }
            let leftover = seats
                .checked_sub(rows[only].seats)
                .and_then(|rest| rest.checked_sub(rows[runner_up].seats))
                .ok_or_else(overflow)?;
            if leftover < 0 && overflow_reading == Overflow::MinimumPrevails && minimum <= seats {
                // The reading taken: the minimum is a guarantee, so the seats it needs come out
                // of those of the list that passed.
                notes.push(format!(
                    "the runner-up minimum of {minimum} {} leaves too few seats for the list that passed: under the reading taken, the minimum prevails and `{}` gives up {}",
                    if minimum == 1 { "seat" } else { "seats" },
                    rows[only].name,
                    -leftover
                ));
            } else if leftover < 0 {
                return Err(AllocationError::Gap(format!(
                    "the runner-up minimum of {minimum} {} leaves too few seats for the list that passed; Art. 97-1 does not provide for this case",
                    if minimum == 1 { "seat" } else { "seats" }
                )));
            }
            // Art. 97-1(4), second part: the leftover seats go to the list that passed.
            rows[only].extra_seats = leftover;
            rows[only].seats += leftover;
        }
        _ => {
            let mut admitted_votes: i64 = 0;
            for &idx in &passing {
                rows[idx].admitted = true;
                admitted_votes = admitted_votes
                    .checked_add(rows[idx].votes)
                    .ok_or_else(overflow)?;
            }
            let quota = ratio(admitted_votes, seats)?;
            allocation.quota = quota;
            let mut given: i64 = 0;
            for &idx in &passing {
                let quotient = Num::int(rows[idx].votes)
                    .checked_div(quota)
                    .ok_or_else(overflow)?;
                rows[idx].quotient = quotient;
                rows[idx].whole_seats = quotient.floor().to_i64().ok_or_else(overflow)?;
                rows[idx].remainder = quotient.fract();
                rows[idx].seats = rows[idx].whole_seats;
                given += rows[idx].whole_seats;
            }
            let leftover = seats - given;
            // Art. 97-1(4): one seat each to the largest remainders; a tie goes to the list
            // registered earlier.
            let mut order = passing.clone();
            order.sort_by(|&a, &b| {
                rows[b]
                    .remainder
                    .cmp(&rows[a].remainder)
                    .then(rows[a].registered.cmp(&rows[b].registered))
            });
            let leftover_usize = usize::try_from(leftover).unwrap_or(0).min(order.len());
            if leftover_usize > 0 && leftover_usize < order.len() {
                let (last_in, first_out) = (order[leftover_usize - 1], order[leftover_usize]);
                if rows[last_in].remainder == rows[first_out].remainder {
                    if rows[last_in].registered == rows[first_out].registered {
                        return Err(AllocationError::Gap(format!(
                            "lists `{}` and `{}` have equal remainders and were registered on the same day; Art. 97-1 does not resolve this tie",
                            rows[last_in].name, rows[first_out].name
                        )));
                    }
                    notes.push(format!(
                        "equal remainders: `{}` (registered {}) takes the seat before `{}` (registered {}), as the list registered earlier",
                        rows[last_in].name, rows[last_in].registered, rows[first_out].name, rows[first_out].registered
                    ));
                }
            }
            for &idx in order.iter().take(leftover_usize) {
                rows[idx].extra_seats = 1;
                rows[idx].seats += 1;
            }
        }
    }
    allocation.rows = rows;
    allocation.notes = notes;
    Ok(allocation)
}

/// The non-passing list with the most votes. Art. 97-1(2) admits "the list of the party that
/// received the next largest number of votes" and says nothing of a tie for that place; the
/// earlier-registration rule of 97-1(4) settles equal remainders only, so a tie here is a gap
/// of the statute, answered as the article's two other gaps are (no analogy).
fn best_runner_up(
    rows: &[Row],
    only: usize,
    tie: RunnerUpTie,
    notes: &mut Vec<String>,
) -> Result<usize, AllocationError> {
    let mut candidates: Vec<usize> = (0..rows.len()).filter(|&i| i != only).collect();
    candidates.sort_by(|&a, &b| rows[b].votes.cmp(&rows[a].votes));
    if tie == RunnerUpTie::EarlierRegistered
        && let [first, second, ..] = candidates.as_slice()
        && rows[*first].votes == rows[*second].votes
    {
        let tied: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&i| rows[i].votes == rows[*first].votes)
            .collect();
        let earliest = tied.iter().map(|&i| rows[i].registered).min();
        let winners: Vec<usize> = tied
            .iter()
            .copied()
            .filter(|&i| Some(rows[i].registered) == earliest)
            .collect();
        if let [winner] = winners.as_slice() {
            notes.push(format!(
                "lists tie for the next most votes ({}): under the reading taken, `{}` (registered {}) is admitted as the list registered earlier, by analogy with Art. 97-1(4)",
                rows[*first].votes, rows[*winner].name, rows[*winner].registered
            ));
            return Ok(*winner);
        }
        return Err(AllocationError::Gap(format!(
            "lists tie for the next most votes ({}) and were registered on the same day; Art. 97-1 does not resolve this tie",
            rows[*first].votes
        )));
    }
    match candidates.as_slice() {
        [] => Err(AllocationError::Gap(
            "only one party list took part, so no second list can be admitted under Art. 97-1(2)"
                .to_string(),
        )),
        [first, second, ..] if rows[*first].votes == rows[*second].votes => {
            Err(AllocationError::Gap(format!(
                "lists `{}` and `{}` tie for the next most votes ({}); Art. 97-1(2) admits one runner-up and does not say which, and the earlier-registration rule of 97-1(4) settles equal remainders only",
                rows[*first].name, rows[*second].name, rows[*first].votes
            )))
        }
        [first, ..] => Ok(*first),
    }
}

#[cfg(test)]
#[path = "seats_tests.rs"]
mod tests;
