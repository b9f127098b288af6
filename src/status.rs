//! How an answer came out: the status the evaluator gives, scenarios expect and renderers
//! print.

/// How an answer came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Answered,
    Unknown,
    NeedsJudgment,
    NotCovered,
    Conflict,
    /// The answer depends on how a contested provision is read: see `Answer::readings` (in `eval`).
    Contested,
}

impl Status {
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
