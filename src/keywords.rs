//! The words of the rules language, declared once: the parser reserves them, the formatter
//! lays lines out by them and the grammar test checks `grammar/zan.ebnf` lists them. (The
//! built-in types are `rulebase::Type::BUILTIN`.)

/// Words that cannot be used as names.
pub const KEYWORDS: &[&str] = &[
    "act",
    "after",
    "all",
    "allocate_seats",
    "and",
    "any",
    "applied",
    "area",
    "as",
    "as_of",
    "assume",
    "by",
    "cite",
    "citing",
    "constraint",
    "contested",
    "count",
    "covers",
    "day",
    "days",
    "default",
    "effective",
    "else",
    "enum",
    "exception",
    "expect",
    "false",
    "floor",
    "from",
    "given",
    "if",
    "in",
    "input",
    "is",
    "judgment",
    "list",
    "max",
    "min",
    "month",
    "months",
    "names",
    "not",
    "of",
    "or",
    "otherwise",
    "param",
    "publication",
    "question",
    "reading",
    "record",
    "requires",
    "rule",
    "scenario",
    "secondary",
    "see",
    "signed",
    "source",
    "sum",
    "then",
    "to",
    "true",
    "under",
    "until",
    "value",
    "verified",
    "when",
    "where",
    "within",
    "year",
    "years",
];

/// The words that begin a declaration or a scenario (the formatter puts them in column one).
pub const ITEM_KEYWORDS: &[&str] = &[
    "area",
    "act",
    "source",
    "enum",
    "record",
    "input",
    "judgment",
    "param",
    "question",
    "constraint",
    "scenario",
    "contested",
];

/// The words that begin a clause of a declaration or a scenario (`value`, `rule`, `expect`, ...).
pub const CLAUSE_KEYWORDS: &[&str] = &[
    "value",
    "otherwise",
    "rule",
    "exception",
    "requires",
    "given",
    "assume",
    "expect",
    "signed",
    "applied",
    "reading",
    "default",
    "within",
];

/// The words that begin a part of a clause (`when`, `then`, `cite`, ...).
pub const PART_KEYWORDS: &[&str] = &[
    "when", "then", "cite", "see", "from", "until", "by", "citing", "under",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_layout_keyword_is_reserved_and_the_list_is_sorted() {
        for word in ITEM_KEYWORDS
            .iter()
            .chain(CLAUSE_KEYWORDS)
            .chain(PART_KEYWORDS)
        {
            assert!(KEYWORDS.contains(word), "`{word}` is not in KEYWORDS");
        }
        assert!(
            KEYWORDS.windows(2).all(|w| w[0] < w[1]),
            "KEYWORDS is sorted and has no repeats"
        );
    }
}
