//! Names as messages use them: "did you mean" suggestions (the closest known name by edit
//! distance) and names from input shortened for display.

/// `\n  hint: did you mean `a`, `b` or `c`?`, or nothing.
pub fn did_you_mean(suggestions: &[String]) -> String {
    let quoted: Vec<String> = suggestions.iter().map(|s| format!("`{s}`")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => format!("\n  hint: did you mean {one}?"),
        [rest @ .., last] => format!("\n  hint: did you mean {} or {last}?", rest.join(", ")),
    }
}

/// Names longer than this get no "did you mean": the longest shipped name has 46 characters,
/// and a comparison costs time in proportion to the name's length.
const MAX_SUGGESTED_NAME_CHARS: usize = 100;

/// The candidate closest to `name` by edit distance, if it is close enough to be a typo.
pub fn closest<'c>(name: &str, candidates: impl Iterator<Item = &'c str>) -> Option<String> {
    let name_chars: Vec<char> = name.chars().take(MAX_SUGGESTED_NAME_CHARS + 1).collect();
    if name_chars.len() > MAX_SUGGESTED_NAME_CHARS {
        return None;
    }
    let limit = (name_chars.len() / 3).max(2);
    candidates
        .filter_map(|candidate| {
            edit_distance_within(&name_chars, candidate, limit).map(|d| (d, candidate))
        })
        .min_by_key(|(distance, candidate)| (*distance, candidate.len()))
        .map(|(_, candidate)| candidate.to_string())
}

/// The edit distance between `a` and `b` if it is at most `limit`. Only the cells within
/// `limit` of the diagonal are computed (a band), and the comparison stops as soon as every
/// cell of a row exceeds the limit: time in proportion to `a`'s length times `limit`.
fn edit_distance_within(a: &[char], b: &str, limit: usize) -> Option<usize> {
    let b: Vec<char> = b.chars().take(a.len() + limit + 1).collect();
    if b.len().abs_diff(a.len()) > limit {
        return None;
    }
    // Any value past the limit counts as "too far"; capping keeps the band's edges simple.
    let too_far = limit + 1;
    let mut previous: Vec<usize> = (0..=b.len()).map(|j| j.min(too_far)).collect();
    let mut current: Vec<usize> = vec![too_far; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        let row = i + 1;
        let low = row.saturating_sub(limit).max(1);
        let high = (row + limit).min(b.len());
        current[low - 1] = if low == 1 { row.min(too_far) } else { too_far };
        let mut row_best = current[low - 1];
        for j in low..=high {
            let substitute = previous[j - 1] + usize::from(*ca != b[j - 1]);
            let value = substitute
                .min(previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(too_far);
            current[j] = value;
            row_best = row_best.min(value);
        }
        if high < b.len() {
            current[high + 1] = too_far;
        }
        if row_best > limit {
            return None;
        }
        std::mem::swap(&mut previous, &mut current);
    }
    let distance = previous[b.len()];
    (distance <= limit).then_some(distance)
}

/// The most characters of a name from input that a message repeats.
const MAX_SHOWN_NAME_CHARS: usize = 80;

/// `name` as a message shows it: whole if short, else its start and its length, so that an
/// 8 MiB key gives a one-line message.
pub fn shorten(name: &str) -> std::borrow::Cow<'_, str> {
    match name.char_indices().nth(MAX_SHOWN_NAME_CHARS) {
        None => std::borrow::Cow::Borrowed(name),
        Some((cut, _)) => std::borrow::Cow::Owned(format!(
            "{}... ({} characters)",
            &name[..cut],
            name.chars().count()
        )),
    }
}
