//! Contested readings: a question, a date, facts and the readings chosen -> one [`Answer`],
//! weighing every combination of the readings it depends on that were not chosen.
//!
//! This is the window fan-out of `eval/mod.rs` applied to meaning instead of dates: each
//! combination of readings is one world, evaluated in full (its own unsettled changes weighed
//! inside it). If every world gives the same answer, the answer stands and a note says the
//! readings did not matter. If they differ, the status is `contested`: the answer lists each
//! combination with its answer, deciding rule and the support of each reading (the default
//! combination first). A point that arises only within a reading of another is weighed only in
//! the worlds where it arises. It knows nothing of how answers are printed.

use super::*;

/// At most this many contested points are weighed in one question.
const MAX_POINTS: usize = 4;
/// At most this many combinations of readings are evaluated for one question.
const MAX_COMBINATIONS: usize = 64;

/// [`answer_under`] on a thread with a stack large enough for the deepest rules (see
/// [`on_big_stack`]).
pub fn answer(
    rb: &Rulebase,
    question: ItemId,
    as_of: NaiveDate,
    facts: &Facts,
    chosen: &[ReadingRef],
) -> Result<Answer, EvalError> {
    on_big_stack(|| answer_under(rb, question, as_of, facts, chosen))
}

/// [`answer_under`] for a caller answering many questions (a batch worker): the first world is
/// evaluated in the reused `workspace` with the `detail` asked for; only when the question turns
/// on a contested point not chosen are the readings weighed, each world with its trace.
pub fn answer_reusing(
    rb: &Rulebase,
    question: ItemId,
    as_of: NaiveDate,
    facts: &Facts,
    chosen: &[ReadingRef],
    workspace: &mut Workspace,
    detail: Detail,
) -> Result<Answer, EvalError> {
    let mut fixed: Vec<Option<u32>> = vec![None; rb.contested.len()];
    for reading in chosen {
        if let Some(slot) = fixed.get_mut(reading.point.0 as usize) {
            *slot = Some(reading.reading);
        }
    }
    let (mut first, touched) =
        answer_in_world(rb, question, as_of, facts, &fixed, workspace, detail)?;
    if touched.iter().any(|p| fixed[p.0 as usize].is_none()) {
        return answer_under(rb, question, as_of, facts, chosen);
    }
    first.readings_used = chosen
        .iter()
        .copied()
        .filter(|r| touched.contains(&r.point))
        .collect();
    Ok(first)
}

/// Answers `question` with the readings in `chosen` taken and every other reading it depends on
/// weighed, on the current thread (call it inside [`on_big_stack`]).
pub fn answer_under(
    rb: &Rulebase,
    question: ItemId,
    as_of: NaiveDate,
    facts: &Facts,
    chosen: &[ReadingRef],
) -> Result<Answer, EvalError> {
    let mut fixed: Vec<Option<u32>> = vec![None; rb.contested.len()];
    for reading in chosen {
        if let Some(slot) = fixed.get_mut(reading.point.0 as usize) {
            *slot = Some(reading.reading);
        }
    }
    let mut workspace = Workspace::default();
    let (first, touched) = answer_in_world(
        rb,
        question,
        as_of,
        facts,
        &fixed,
        &mut workspace,
        Detail::Trace,
    )?;
    let free: Vec<PointId> = touched
        .iter()
        .copied()
        .filter(|p| fixed[p.0 as usize].is_none())
        .collect();
    let used: Vec<ReadingRef> = chosen
        .iter()
        .copied()
        .filter(|r| touched.contains(&r.point))
        .collect();
    if free.is_empty() {
        let mut answer = first;
        answer.readings_used = used;
        return Ok(answer);
    }
    // Weigh every combination of the free points' readings; a combination may bring in
    // further points (a rule under one reading asks a question that depends on another).
    let mut points = free;
    let mut worlds: Vec<(Vec<ReadingRef>, Answer)>;
    // Points past the bound are taken at their default reading, and the answer says so.
    let mut left_out: Vec<PointId> = Vec::new();
    loop {
        left_out.extend(points.iter().skip(MAX_POINTS).copied());
        points.truncate(MAX_POINTS);
        worlds = Vec::new();
        let mut found: Vec<PointId> = Vec::new();
        for combination in combinations(rb, &points) {
            let mut world = fixed.clone();
            for reading in &combination {
                world[reading.point.0 as usize] = Some(reading.reading);
            }
            let (answer, touched) = answer_in_world(
                rb,
                question,
                as_of,
                facts,
                &world,
                &mut workspace,
                Detail::Trace,
            )?;
            found.extend(
                touched
                    .into_iter()
                    .filter(|p| fixed[p.0 as usize].is_none() && !points.contains(p)),
            );
            // Name only the readings of points that arise in this world.
            let shown: Vec<ReadingRef> = combination
                .into_iter()
                .filter(|r| arises(rb, r.point, &world))
                .collect();
            if !worlds.iter().any(|(seen, _)| *seen == shown) {
                worlds.push((shown, answer));
            }
        }
        found.sort();
        found.dedup();
        if found.is_empty() {
            break;
        }
        if points.len() >= MAX_POINTS {
            left_out.extend(found);
            break;
        }
        points.extend(found);
    }
    let same = |a: &Answer, b: &Answer| a.status == b.status && a.value == b.value;
    let agree = worlds.iter().all(|(_, answer)| same(answer, &worlds[0].1));
    let describe = |points: &[PointId]| -> String {
        points
            .iter()
            .map(|p| {
                let point = rb.point(*p);
                let names: Vec<&str> = point.readings.iter().map(|r| r.name.as_str()).collect();
                format!("`{}` ({})", point.name, names.join(", "))
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    left_out.sort();
    left_out.dedup();
    let bound_note = (!left_out.is_empty()).then(|| {
        format!(
            "more than {MAX_POINTS} contested points: {} taken at the default (or first) reading only",
            describe(&left_out)
        )
    });
    if agree {
        let Some((_, mut answer)) = worlds.into_iter().next() else {
            return Ok(first);
        };
        answer.notes.extend(bound_note);
        answer.notes.push(format!(
            "the readings did not matter: every reading of {} gives this answer",
            describe(&points)
        ));
        answer.readings_used = used;
        answer.readings_agree = points;
        return Ok(answer);
    }
    // The points on which the answer turns: two worlds that differ in that point alone differ.
    let deciding: Vec<PointId> = points
        .iter()
        .copied()
        .filter(|point| {
            worlds.iter().any(|(a_readings, a)| {
                worlds.iter().any(|(b_readings, b)| {
                    !same(a, b) && differ_only_in(a_readings, b_readings, *point)
                })
            })
        })
        .collect();
    let mut deciding = if deciding.is_empty() {
        points.clone()
    } else {
        deciding
    };
    // A point that arises only within a reading of another decides through it: the other
    // point decides too (whether the first arises at all).
    let mut idx = 0;
    while idx < deciding.len() {
        if let Some(within) = rb.point(deciding[idx]).within
            && points.contains(&within.point)
            && !deciding.contains(&within.point)
        {
            deciding.push(within.point);
        }
        idx += 1;
    }
    deciding.sort();
    // Show the worlds that differ in the deciding points only: other points keep their default
    // (first-weighed) reading and are not named.
    let first_reading = |point: PointId| rb.point(point).default.as_ref().map_or(0, |d| d.0);
    let worlds: Vec<(Vec<ReadingRef>, Answer)> = worlds
        .into_iter()
        .filter(|(readings, _)| {
            readings
                .iter()
                .all(|r| deciding.contains(&r.point) || r.reading == first_reading(r.point))
        })
        .map(|(readings, answer)| {
            let shown = readings
                .into_iter()
                .filter(|r| deciding.contains(&r.point))
                .collect();
            (shown, answer)
        })
        .collect();
    let (_, default_answer) = &worlds[0];
    let mut answer = finish(
        rb,
        question,
        as_of,
        Tv::Unknown(deciding.iter().copied().map(Missing::Reading).collect()),
        default_answer.trace.clone(),
        vec![format!(
            "the readings weighed: {}; the answer turns on {}",
            describe(&points),
            deciding
                .iter()
                .map(|p| format!("`{}`", rb.point(*p).name))
                .collect::<Vec<_>>()
                .join(", ")
        )],
        Detail::Trace,
    );
    answer.assumptions = default_answer.assumptions.clone();
    answer.notes.extend(bound_note);
    // No one rule decided a contested answer: each reading has its own.
    answer.decided_by = None;
    answer.readings = worlds
        .into_iter()
        .map(|(chosen, answer)| ReadingBranch {
            chosen,
            answer: Box::new(answer),
        })
        .collect();
    answer.readings_used = used;
    Ok(answer)
}

/// Whether `point` arises in `world`: it is not declared within a reading of another point, or
/// that reading is taken (and that point arises).
fn arises(rb: &Rulebase, point: PointId, world: &[Option<u32>]) -> bool {
    let mut current = point;
    for _ in 0..=rb.contested.len() {
        let Some(within) = rb.point(current).within else {
            return true;
        };
        let taken = world[within.point.0 as usize]
            .unwrap_or_else(|| rb.point(within.point).default.as_ref().map_or(0, |d| d.0));
        if taken != within.reading {
            return false;
        }
        current = within.point;
    }
    true
}

fn differ_only_in(a: &[ReadingRef], b: &[ReadingRef], point: PointId) -> bool {
    let reading_of = |list: &[ReadingRef], p: PointId| list.iter().find(|r| r.point == p).copied();
    reading_of(a, point) != reading_of(b, point)
        && a.iter()
            .chain(b)
            .filter(|r| r.point != point)
            .all(|r| reading_of(a, r.point) == reading_of(b, r.point))
}

/// Every combination of the readings of `points`, the default readings first, at most
/// [`MAX_COMBINATIONS`].
fn combinations(rb: &Rulebase, points: &[PointId]) -> Vec<Vec<ReadingRef>> {
    // Each point's readings, its default first.
    let orders: Vec<Vec<u32>> = points
        .iter()
        .map(|p| {
            let point = rb.point(*p);
            let default = point.default.as_ref().map_or(0, |d| d.0);
            std::iter::once(default)
                .chain((0..point.readings.len() as u32).filter(|r| *r != default))
                .collect()
        })
        .collect();
    let mut all: Vec<Vec<ReadingRef>> = vec![Vec::new()];
    for (point, order) in points.iter().zip(&orders) {
        let mut next = Vec::new();
        for prefix in &all {
            for reading in order {
                let mut combination = prefix.clone();
                combination.push(ReadingRef {
                    point: *point,
                    reading: *reading,
                });
                next.push(combination);
            }
        }
        all = next;
        all.truncate(MAX_COMBINATIONS);
    }
    all
}
