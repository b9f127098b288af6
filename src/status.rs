//! How an answer came out: the status the evaluator gives, scenarios expect and renderers
//! print.

/// How an answer came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Status {
    /// The law gives an answer on these facts: the answer's value holds it.
    Answered,
    /// A fact is missing, or the answer depends on a change whose day is not established: the
    /// answer's missing list says which.
    Unknown,
    /// An open-textured condition a person must decide (a judgment) was not given.
    NeedsJudgment,
    /// The encoded law does not cover the date asked.
    NotCovered,
    /// Two rules apply and disagree.
    Conflict,
    /// The answer depends on how a contested provision is read: see `Answer::readings` (in `eval`).
    Contested,
}

impl Status {
    /// The status as JSON writes it: `answered`, `unknown`, `needs_judgment`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Answered => "answered",
            Status::Unknown => "unknown",
            Status::NeedsJudgment => "needs_judgment",
            Status::NotCovered => "not_covered",
            Status::Conflict => "conflict",
            Status::Contested => "contested",
        }
    }
}
