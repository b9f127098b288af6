//! The evaluator's semantics, one test per rule of the language (design §3).

use crate::common::{ask, decided, rules, shown, text};
use zan::eval::Status;

const LOGIC: &str = r#"
area t "Test" covers 2000-01-01 .. 2030-12-31
act law "Test Law"
input t.a : bool "A?"
input t.b : bool "B?"
question t.and : bool "A and B?" rule r then t.a and t.b cite law "Art. 1"
question t.or : bool "A or B?" rule r then t.a or t.b cite law "Art. 2"
question t.not : bool "Not A?" rule r then not t.a cite law "Art. 3"
"#;

#[test]
fn three_valued_and_or_not() {
    let loaded = rules(LOGIC);
    // (a, b) -> (and, or); "-" is a missing fact.
    let cases = [
        ("true", "true", "true", "true"),
        ("true", "false", "false", "true"),
        ("false", "-", "false", "unknown"),
        ("-", "false", "false", "unknown"),
        ("true", "-", "unknown", "true"),
        ("-", "true", "unknown", "true"),
        ("-", "-", "unknown", "unknown"),
        ("false", "false", "false", "false"),
    ];
    for (a, b, and, or) in cases {
        let mut given = Vec::new();
        let a_given = format!("t.a={a}");
        let b_given = format!("t.b={b}");
        if a != "-" {
            given.push(a_given.as_str());
        }
        if b != "-" {
            given.push(b_given.as_str());
        }
        let answer_and = ask(&loaded, "t.and", "2020-01-01", &given);
        let answer_or = ask(&loaded, "t.or", "2020-01-01", &given);
        assert_eq!(shown(&loaded, &answer_and), and, "{a} and {b}");
        assert_eq!(shown(&loaded, &answer_or), or, "{a} or {b}");
    }
    let not_unknown = ask(&loaded, "t.not", "2020-01-01", &[]);
    assert_eq!(not_unknown.status, Status::Unknown);
    let not_true = ask(&loaded, "t.not", "2020-01-01", &["t.a=true"]);
    assert_eq!(shown(&loaded, &not_true), "false");
}

const TERMINATION: &str = r#"
area akims "Akims" covers 2021-06-05 .. 2026-06-30 names akim
act lg_law "Law 'On Local Government'"
enum exit_reason { none, left, expelled, party_reorganized, party_liquidated }
input akim.party_exit_reason : exit_reason "Why did membership end?"
judgment akim.confidence_lost "Did the maslikhat express no confidence?"
question akim.powers_terminated_early : bool "Do the akim's powers end early?"
  otherwise false
  rule left_party when akim.party_exit_reason != none then true cite lg_law "Art. 36(5)(2)"
  exception party_ceased to left_party
    when akim.party_exit_reason in { party_reorganized, party_liquidated } then false
    cite lg_law "Art. 36(5)(2)"
  rule no_confidence when akim.confidence_lost then true cite lg_law "Art. 24"
"#;

#[test]
fn exception_overrides_its_rule() {
    let loaded = rules(TERMINATION);
    let left = ask(
        &loaded,
        "akim.powers_terminated_early",
        "2023-01-01",
        &["akim.party_exit_reason=left", "akim.confidence_lost=false"],
    );
    assert_eq!(shown(&loaded, &left), "true");
    assert_eq!(decided(&loaded, &left).as_deref(), Some("left_party"));
    let liquidated = ask(
        &loaded,
        "akim.powers_terminated_early",
        "2023-01-01",
        &[
            "akim.party_exit_reason=party_liquidated",
            "akim.confidence_lost=false",
        ],
    );
    assert_eq!(shown(&loaded, &liquidated), "false");
    assert_eq!(
        decided(&loaded, &liquidated).as_deref(),
        Some("party_ceased")
    );
    assert!(text(&loaded, &liquidated).contains("exception `party_ceased` overrides it"));
}

/// `by default` names the `otherwise` answer, and only it: decisions are compared as data,
/// so a rule whose name is `default` (a library may name rules freely) does not meet it, and
/// `by RULE` is met by any rule that applied.
#[test]
fn by_default_is_met_by_otherwise_only_even_with_a_rule_named_default() {
    let mut loaded = rules(TERMINATION);
    let question = crate::common::id(&loaded, "akim.powers_terminated_early");
    if let zan::rulebase::ItemKind::Question { rules, .. } =
        &mut loaded.rulebase.items[question.index()].kind
    {
        rules[0].name = "default".to_string();
    } else {
        panic!("akim.powers_terminated_early is a question");
    }
    let text = r#"
scenario "no rule applies" as of 2023-01-01
  given akim.party_exit_reason = none
  given akim.confidence_lost = false
  expect akim.powers_terminated_early = false by default

scenario "the rule renamed default applies" as of 2023-01-01
  given akim.party_exit_reason = left
  given akim.confidence_lost = false
  expect akim.powers_terminated_early = true by default

scenario "no confidence applies" as of 2023-01-01
  given akim.party_exit_reason = none
  given akim.confidence_lost = true
  expect akim.powers_terminated_early = true by no_confidence
"#;
    let file = loaded.sources.add("by_default.zan", text);
    let (files, diagnostics) = zan::load::load_scenarios(&mut loaded, &[file]);
    assert!(
        !diagnostics.iter().any(|d| d.is_error()),
        "{}",
        zan::diagnostic::render(&loaded.sources, &diagnostics)
    );
    let rb = &loaded.rulebase;
    let results: Vec<_> = files[0]
        .1
        .iter()
        .map(|s| zan::scenario::run(rb, s))
        .collect();
    assert_eq!(results.len(), 3);
    assert!(results[0].passed(), "{:?}", results[0].checked[0].failures);
    assert!(!results[1].passed());
    assert_eq!(
        zan::render::scenario_failures(rb, &results[1].checked[0]),
        vec![
            "expected the answer to be decided by the default (no rule applies), but it was decided by rule `default`"
                .to_string()
        ]
    );
    assert!(results[2].passed(), "{:?}", results[2].checked[0].failures);
}

#[test]
fn default_when_no_rule_applies() {
    let loaded = rules(TERMINATION);
    let answer = ask(
        &loaded,
        "akim.powers_terminated_early",
        "2023-01-01",
        &["akim.party_exit_reason=none", "akim.confidence_lost=false"],
    );
    assert_eq!(shown(&loaded, &answer), "false");
    assert_eq!(decided(&loaded, &answer).as_deref(), Some("(default)"));
    // The default's reasons are the rules that did not apply, with their citations.
    assert!(answer.citations.iter().any(|c| c.article == "Art. 24"));
}

#[test]
fn judgment_missing_means_needs_judgment() {
    let loaded = rules(TERMINATION);
    let answer = ask(
        &loaded,
        "akim.powers_terminated_early",
        "2023-01-01",
        &["akim.party_exit_reason=none"],
    );
    assert_eq!(answer.status, Status::NeedsJudgment);
    let rendered = text(&loaded, &answer);
    assert!(
        rendered.contains("judgment akim.confidence_lost"),
        "{rendered}"
    );
    assert!(
        rendered.contains("needed by rule `no_confidence`"),
        "{rendered}"
    );
}

#[test]
fn an_applicable_rule_decides_despite_unknown_facts_that_agree() {
    let loaded = rules(TERMINATION);
    // The akim left the party: true, whatever the maslikhat decided (both rules say true).
    let answer = ask(
        &loaded,
        "akim.powers_terminated_early",
        "2023-01-01",
        &["akim.party_exit_reason=left"],
    );
    assert_eq!(shown(&loaded, &answer), "true");
}

#[test]
fn unknown_lists_exactly_the_deciding_facts() {
    let loaded = rules(TERMINATION);
    let answer = ask(
        &loaded,
        "akim.powers_terminated_early",
        "2023-01-01",
        &["akim.confidence_lost=false"],
    );
    assert_eq!(answer.status, Status::Unknown);
    let rendered = text(&loaded, &answer);
    assert!(
        rendered.contains("fact akim.party_exit_reason (exit_reason): \"Why did membership end?\""),
        "{rendered}"
    );
    assert!(
        !rendered.contains("judgment akim.confidence_lost ("),
        "{rendered}"
    );
}

#[test]
fn not_covered_outside_the_area() {
    let loaded = rules(TERMINATION);
    let before = ask(
        &loaded,
        "akim.powers_terminated_early",
        "2021-06-04",
        &["akim.party_exit_reason=left"],
    );
    assert_eq!(before.status, Status::NotCovered);
    let after = ask(
        &loaded,
        "akim.powers_terminated_early",
        "2026-07-01",
        &["akim.party_exit_reason=left"],
    );
    assert_eq!(after.status, Status::NotCovered);
    let first_day = ask(
        &loaded,
        "akim.powers_terminated_early",
        "2021-06-05",
        &["akim.party_exit_reason=left"],
    );
    assert_eq!(first_day.status, Status::Answered);
}

#[test]
fn two_disagreeing_rules_are_a_conflict() {
    let loaded = rules(
        r#"
area t "Test" covers 2000-01-01 ..
act law "Test Law"
input t.n : int "N?"
question t.q : bool "Q?"
  rule big when t.n > 10 then true cite law "Art. 1"
  rule even_bigger when t.n > 20 then false cite law "Art. 2"
"#,
    );
    let answer = ask(&loaded, "t.q", "2020-01-01", &["t.n=25"]);
    assert_eq!(answer.status, Status::Conflict);
    let rendered = text(&loaded, &answer);
    assert!(
        rendered.contains("rule `big` [law Art. 1] and rule `even_bigger` [law Art. 2]"),
        "{rendered}"
    );
    let fine = ask(&loaded, "t.q", "2020-01-01", &["t.n=15"]);
    assert_eq!(shown(&loaded, &fine), "true");
}

const MEMBERS: &str = r#"
area parties "Parties" covers 2009-02-06 .. names party
act party_law "Law 'On Political Parties'"
input party.members : count "How many members?"
param party.members_required : count "Members a party needs"
  value 40_000 from 2009-02-06 cite party_law "Art. 10(6)"
  value 20_000 from 2020-06-05 .. 2020-06-20 cite party_law "Art. 10(6)"
  value 5_000 from 2022-11-16 .. 2023-01-01 cite party_law "Art. 10(6)"
question party.may_register : bool "May the party register?"
  otherwise false
  rule minimum_members when party.members >= party.members_required then true cite party_law "Art. 10(6)"
"#;

#[test]
fn margins_are_in_the_trace() {
    let loaded = rules(MEMBERS);
    let answer = ask(
        &loaded,
        "party.may_register",
        "2022-10-01",
        &["party.members=6000"],
    );
    assert_eq!(shown(&loaded, &answer), "false");
    let rendered = text(&loaded, &answer);
    assert!(
        rendered.contains("6,000 >= 20,000 is false: short by 14,000"),
        "{rendered}"
    );
    let met = ask(
        &loaded,
        "party.may_register",
        "2023-03-01",
        &["party.members=6000"],
    );
    assert!(text(&loaded, &met).contains("6,000 >= 5,000 is true: met with 1,000 to spare"));
}

#[test]
fn window_gives_unknown_only_when_the_answer_depends_on_it() {
    let loaded = rules(MEMBERS);
    // Inside the 157-VII window, 6,000 members pass under 5,000 and fail under 20,000.
    let depends = ask(
        &loaded,
        "party.may_register",
        "2022-11-20",
        &["party.members=6000"],
    );
    assert_eq!(depends.status, Status::Unknown);
    assert!(text(&loaded, &depends).contains("unsettled date: party.members_required = 5,000"));
    // 30,000 members pass either way; 4,000 fail either way.
    let passes = ask(
        &loaded,
        "party.may_register",
        "2022-11-20",
        &["party.members=30000"],
    );
    assert_eq!(shown(&loaded, &passes), "true");
    assert!(passes.notes[0].contains("the answer is the same whether or not it had applied"));
    let fails = ask(
        &loaded,
        "party.may_register",
        "2022-11-20",
        &["party.members=4000"],
    );
    assert_eq!(shown(&loaded, &fails), "false");
    // On either side of the window the answer is settled.
    assert_eq!(
        shown(
            &loaded,
            &ask(
                &loaded,
                "party.may_register",
                "2022-11-15",
                &["party.members=6000"]
            )
        ),
        "false"
    );
    assert_eq!(
        shown(
            &loaded,
            &ask(
                &loaded,
                "party.may_register",
                "2023-01-01",
                &["party.members=6000"]
            )
        ),
        "true"
    );
}

#[test]
fn parameters_answer_with_the_value_in_force() {
    let loaded = rules(MEMBERS);
    let cases = [
        ("2009-02-06", "40,000"),
        ("2020-06-04", "40,000"),
        ("2020-06-20", "20,000"),
        ("2022-11-15", "20,000"),
        ("2023-01-01", "5,000"),
    ];
    for (date, expected) in cases {
        let answer = ask(&loaded, "party.members_required", date, &[]);
        assert_eq!(shown(&loaded, &answer), expected, "as of {date}");
    }
    let inside = ask(&loaded, "party.members_required", "2020-06-10", &[]);
    assert_eq!(inside.status, Status::Unknown);
    let before = ask(&loaded, "party.members_required", "2009-02-05", &[]);
    assert_eq!(before.status, Status::NotCovered);
}

#[test]
fn rules_not_in_force_say_why() {
    let loaded = rules(
        r#"
area court "Court" covers 1995-09-05 ..
act constitution "Constitution"
enum applicant { president, citizen }
input court.applicant : applicant "Who applies?"
question court.may_apply : bool "May the applicant apply?"
  otherwise false
  rule president when court.applicant = president then true cite constitution "Art. 72(1)"
  rule citizens from 2023-01-01 when court.applicant = citizen then true cite constitution "Art. 72(3)"
"#,
    );
    let before = ask(
        &loaded,
        "court.may_apply",
        "2022-12-31",
        &["court.applicant=citizen"],
    );
    assert_eq!(shown(&loaded, &before), "false");
    assert!(text(&loaded, &before).contains("rule `citizens` not yet in force: from 2023-01-01"));
    let after = ask(
        &loaded,
        "court.may_apply",
        "2023-01-01",
        &["court.applicant=citizen"],
    );
    assert_eq!(shown(&loaded, &after), "true");
    assert_eq!(decided(&loaded, &after).as_deref(), Some("citizens"));
}

#[test]
fn arithmetic_is_exact() {
    let loaded = rules(
        r#"
area t "Test" covers 2000-01-01 ..
act law "Test Law"
input t.signing : count "Deputies signing?"
input t.total : count "Deputies in all?"
input t.filed : date "Filed on?"
question t.fifth : bool "At least one fifth?"
  rule r then t.signing >= t.total / 5 cite law "Art. 1"
question t.third : bool "Exactly a third is more than 0.333?"
  rule r then 1 / 3 > 0.333333333333333333 cite law "Art. 2"
question t.deadline : date "Deadline?"
  rule r then t.filed + 1 month cite law "Art. 3"
"#,
    );
    // 30 of 151 deputies: 151 / 5 = 30.2, so 30 is short by 0.2.
    let short = ask(
        &loaded,
        "t.fifth",
        "2020-01-01",
        &["t.signing=30", "t.total=151"],
    );
    assert_eq!(shown(&loaded, &short), "false");
    assert!(text(&loaded, &short).contains("short by 0.2"));
    let enough = ask(
        &loaded,
        "t.fifth",
        "2020-01-01",
        &["t.signing=31", "t.total=155"],
    );
    assert_eq!(shown(&loaded, &enough), "true");
    assert_eq!(
        shown(&loaded, &ask(&loaded, "t.third", "2020-01-01", &[])),
        "true"
    );
    // One month after 31 January is the last day of February.
    let deadline = ask(&loaded, "t.deadline", "2020-01-01", &["t.filed=2023-01-31"]);
    assert_eq!(shown(&loaded, &deadline), "2023-02-28");
}

#[test]
fn aggregates_and_seat_allocation() {
    let loaded = rules(
        r#"
area m "Mazhilis" covers 2000-01-01 ..
act law "Elections Law"
record party_list { name: text, votes: count, registered: date }
input m.parties : list party_list "Lists?"
input m.votes_cast : count "Voters who took part?"
question m.total : int "Total votes?" rule r then sum(p in m.parties: p.votes) cite law "Art. 1"
question m.smallest : int "Fewest votes?" rule r then min(p in m.parties: p.votes) cite law "Art. 1"
question m.above : int "Lists with at least 5%?" rule r then count(p in m.parties where p.votes / m.votes_cast >= 5%) cite law "Art. 1"
question m.allocation : seats "Seats?" rule r then allocate_seats(m.parties, m.votes_cast, 10, 5%, 0.7, 2) cite law "Art. 97-1"
"#,
    );
    let parties = "m.parties=[{name: \"A\", votes: 500, registered: 2001-01-01}, {name: \"B\", votes: 300, registered: 2002-01-01}, {name: \"C\", votes: 150, registered: 2003-01-01}, {name: \"D\", votes: 49, registered: 2004-01-01}]";
    let given = [parties, "m.votes_cast=1000"];
    assert_eq!(
        shown(&loaded, &ask(&loaded, "m.total", "2020-01-01", &given)),
        "999"
    );
    assert_eq!(
        shown(&loaded, &ask(&loaded, "m.smallest", "2020-01-01", &given)),
        "49"
    );
    assert_eq!(
        shown(&loaded, &ask(&loaded, "m.above", "2020-01-01", &given)),
        "3"
    );
    // A, B, C pass (D has 4.9%). Quota 950/10 = 95: A 5.26 -> 5, B 3.16 -> 3, C 1.58 -> 1;
    // one seat left: largest remainder C (0.58): A 5, B 3, C 2.
    let allocation = ask(&loaded, "m.allocation", "2020-01-01", &given);
    assert_eq!(
        shown(&loaded, &allocation),
        "{\"A\": 5, \"B\": 3, \"C\": 2}"
    );
    // No list passes: the statute does not provide for it, so the answer is not_covered.
    let none = ask(
        &loaded,
        "m.allocation",
        "2020-01-01",
        &[
            "m.parties=[{name: \"A\", votes: 4, registered: 2001-01-01}]",
            "m.votes_cast=1000",
        ],
    );
    assert_eq!(none.status, Status::NotCovered);
}

#[test]
fn an_exception_says_nothing_where_its_rule_does_not_apply() {
    // See: issue "Encode the law", engine note 3: an exception to one ground must not clash
    // with another ground.
    let loaded = rules(
        r#"
area t "Test" covers 2000-01-01 ..
act law "Test Law"
input t.left : bool "Left the party?"
input t.reorganized : bool "Party reorganized?"
input t.died : bool "Died?"
question t.ends : bool "Do the powers end?"
  otherwise false
  rule left_party when t.left then true cite law "Art. 1"
  exception reorganized to left_party when t.reorganized then false cite law "Art. 1"
  rule death when t.died then true cite law "Art. 2"
"#,
    );
    let died = ask(
        &loaded,
        "t.ends",
        "2020-01-01",
        &["t.left=false", "t.reorganized=true", "t.died=true"],
    );
    assert_eq!(shown(&loaded, &died), "true");
    assert_eq!(decided(&loaded, &died).as_deref(), Some("death"));
    assert!(text(&loaded, &died).contains(
        "exception `reorganized` does not apply: it narrows rule `left_party`, which does not apply"
    ));
    let reorganized = ask(
        &loaded,
        "t.ends",
        "2020-01-01",
        &["t.left=true", "t.reorganized=true", "t.died=false"],
    );
    assert_eq!(shown(&loaded, &reorganized), "false");
    assert_eq!(
        decided(&loaded, &reorganized).as_deref(),
        Some("reorganized")
    );
}

#[test]
fn no_rule_and_no_default_is_unknown() {
    let loaded = rules(
        r#"
area t "Test" covers 2000-01-01 ..
act law "Test Law"
input t.n : int "N?"
question t.q : int "Q?"
  rule big when t.n > 10 then 1 cite law "Art. 1"
"#,
    );
    let answer = ask(&loaded, "t.q", "2020-01-01", &["t.n=5"]);
    assert_eq!(answer.status, Status::Unknown);
    assert!(
        text(&loaded, &answer)
            .contains("no rule of `t.q` applies on this date, and it has no `otherwise` default")
    );
}

// See: issue 8, item 4. An act that declares its signing date and entry rule dates a change by
// the window the Law on Legal Acts gives: signing + 10 days .. signing + 30 + 11 days.
const ACT_WINDOWS: &str = r#"
area t "Test" covers 2000-01-01 ..
act legal_acts_law "Law on Legal Acts"
act law_a "Law A" signed 2021-05-24 effective 10 days after publication under legal_acts_law
act law_b "Law B"
  signed 2022-11-05 effective 10 days after publication under legal_acts_law
  applied 2022-11-28 cite law_b "applied on 28.11.2022" secondary
act law_c "Law C"
  signed 2023-03-01 effective 10 days after publication under legal_acts_law
  applied 2023-03-11 cite law_c "applied on its earliest possible day" secondary
param t.a : int "A"
  value 1 from 2000-01-01 cite law_a "Art. 1"
  value 2 from law_a cite law_a "Art. 2"
param t.b : int "B"
  value 1 from 2000-01-01 cite law_b "Art. 1"
  value 2 from law_a or law_b cite law_b "Art. 2"
param t.c : int "C"
  value 1 from 2000-01-01 cite law_c "Art. 1"
  value 2 from law_c cite law_c "Art. 2"
"#;

#[test]
fn an_acts_window_runs_from_signing_plus_ten_to_the_publication_limit() {
    let loaded = rules(ACT_WINDOWS);
    // 2021-05-24 + 10 days = 2021-06-03; + 30 + 11 days = 2021-07-04.
    assert_eq!(shown(&loaded, &ask(&loaded, "t.a", "2021-06-02", &[])), "1");
    assert_eq!(
        ask(&loaded, "t.a", "2021-06-03", &[]).status,
        Status::Unknown
    );
    assert_eq!(
        ask(&loaded, "t.a", "2021-07-03", &[]).status,
        Status::Unknown
    );
    let settled = ask(&loaded, "t.a", "2021-07-04", &[]);
    assert_eq!(shown(&loaded, &settled), "2");
    let rendered = text(&loaded, &settled);
    assert!(
        rendered.contains("legal_acts_law: Law on Legal Acts, Art. 37(3)"),
        "{rendered}"
    );
    assert!(
        rendered.contains("in force by 2021-07-04 at the latest"),
        "{rendered}"
    );
}

#[test]
fn a_given_list_longer_than_the_limit_is_refused() {
    // The command line takes lists as scenarios write them; the same limit holds as for JSON
    // facts and scenario files (an argument over 128 KiB cannot reach the binary on Linux, so
    // this goes through the library).
    let loaded = zan::load::load_embedded();
    let item = "{name: \"A\", votes: 1, registered: 2000-01-01}";
    let items = vec![item; zan::facts::MAX_LIST_LEN + 1].join(", ");
    let argument = format!("mazhilis.parties=[{items}]");
    let error = zan::facts::parse_given(&loaded.rulebase, &argument).expect_err("refused");
    assert!(
        error
            .to_string()
            .contains("too long a list: expected at most 10000 items, found 10001"),
        "{error}"
    );
    assert_eq!(error.code(), zan::code::Code::ListTooLong);
}

/// Two changes with unsettled days: `t.gate` opens with act `a1`, `t.other` with act `a2`; the
/// question needs both, and `and` stops at the first false. Before either change applied,
/// `t.other` is never evaluated, so change `a2` is reached only once `a1` has applied.
const SHORT_CIRCUIT_WINDOWS: &str = r#"
area t "Test" covers 2000-01-01 ..
act law "Test Law"
act a1 "Amendment One"
act a2 "Amendment Two"
question t.gate : bool "Open?"
  otherwise false
  rule opens from 2022-01-01 .. 2022-02-01 then true cite a1 "Art. 1"
question t.other : bool "Other?"
  otherwise false
  rule applies from 2022-01-05 .. 2022-02-05 then true cite a2 "Art. 1"
question t.both : bool "Both?"
  rule r then t.gate and t.other cite law "Art. 1"
"#;

#[test]
fn a_change_reached_only_through_a_short_circuit_is_weighed() {
    let loaded = rules(SHORT_CIRCUIT_WINDOWS);
    // On 2022-01-10 both days are unsettled: had both changes applied, the answer is true;
    // had either not, false. It is open, and both changes decide it.
    let answer = ask(&loaded, "t.both", "2022-01-10", &[]);
    assert_eq!(answer.status, Status::Unknown, "{}", text(&loaded, &answer));
    let rendered = text(&loaded, &answer);
    assert!(rendered.contains("rule `opens` of t.gate"), "{rendered}");
    assert!(rendered.contains("rule `applies` of t.other"), "{rendered}");
    assert!(
        !rendered.contains("the answer is the same"),
        "no note may claim the answer is settled:\n{rendered}"
    );
    // After a1's window (2022-02-01 on) only a2 is unsettled, and it decides.
    let answer = ask(&loaded, "t.both", "2022-02-02", &[]);
    assert_eq!(answer.status, Status::Unknown);
    let rendered = text(&loaded, &answer);
    assert!(rendered.contains("rule `applies` of t.other"), "{rendered}");
    assert!(!rendered.contains("rule `opens` of t.gate"), "{rendered}");
    // Once both are settled, the answer is true.
    assert_eq!(
        shown(&loaded, &ask(&loaded, "t.both", "2022-02-05", &[])),
        "true"
    );
    // Before either window, false without a note.
    let before = ask(&loaded, "t.both", "2021-12-31", &[]);
    assert_eq!(shown(&loaded, &before), "false");
    assert!(before.notes.is_empty());
}

#[test]
fn past_the_bound_the_answer_is_unknown_and_names_the_changes_not_weighed() {
    // Eight changes, each adding 1 to a sum, all unsettled on 2022-01-10. Whatever the
    // answer under the six weighed, the two beyond the bound leave it open: the answer is
    // unknown and names them, and no note says the answer is the same.
    let mut text_rules =
        String::from("area t \"Test\" covers 2000-01-01 ..\nact law \"Test Law\"\n");
    let mut sum = Vec::new();
    for idx in 1..=8 {
        text_rules.push_str(&format!(
            "question t.c{idx} : int \"C{idx}?\"\n  otherwise 0\n  rule r{idx} from 2022-01-01 .. 2022-02-0{idx} then 1 cite law \"Art. {idx}\"\n"
        ));
        sum.push(format!("t.c{idx}"));
    }
    // A question that is the same under every combination: it only asks whether the sum is
    // at least zero.
    text_rules.push_str(&format!(
        "question t.any : bool \"Any?\"\n  rule r when {} >= 0 then true cite law \"Art. 9\"\n",
        sum.join(" + ")
    ));
    let loaded = rules(&text_rules);
    let answer = ask(&loaded, "t.any", "2022-01-10", &[]);
    assert_eq!(answer.status, Status::Unknown);
    let rendered = text(&loaded, &answer);
    assert!(!rendered.contains("the answer is the same"), "{rendered}");
    assert!(
        rendered.contains("not weighed: rule `r7` of t.c7"),
        "{rendered}"
    );
    assert!(rendered.contains("rule `r8` of t.c8"), "{rendered}");
    assert_eq!(answer.missing.len(), 2, "{rendered}");
    // Past every window the answer is settled.
    assert_eq!(
        shown(&loaded, &ask(&loaded, "t.any", "2022-02-09", &[])),
        "true"
    );
}

#[test]
fn evidence_narrows_an_acts_window_and_one_of_two_acts_spans_both() {
    let loaded = rules(ACT_WINDOWS);
    // law_b: 2022-11-15 .. 2022-11-28 (evidence); law_a or law_b: 2021-06-03 .. 2022-11-28.
    assert_eq!(shown(&loaded, &ask(&loaded, "t.b", "2021-06-02", &[])), "1");
    assert_eq!(
        ask(&loaded, "t.b", "2021-06-03", &[]).status,
        Status::Unknown
    );
    assert_eq!(
        ask(&loaded, "t.b", "2022-11-27", &[]).status,
        Status::Unknown
    );
    let settled = ask(&loaded, "t.b", "2022-11-28", &[]);
    assert_eq!(shown(&loaded, &settled), "2");
    assert!(text(&loaded, &settled).contains("applied on 28.11.2022 (secondary)"));
    // Evidence on the earliest possible day settles the day: no window at all.
    assert_eq!(shown(&loaded, &ask(&loaded, "t.c", "2023-03-10", &[])), "1");
    assert_eq!(shown(&loaded, &ask(&loaded, "t.c", "2023-03-11", &[])), "2");
    assert_eq!(loaded.rulebase.windows.len(), 2);
}

#[test]
fn the_binary_answers_unknown_for_a_change_behind_a_short_circuit() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("short_circuit_windows");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let file = dir.join("windows.zan");
    std::fs::write(&file, SHORT_CIRCUIT_WINDOWS).expect("write rules");
    let file = file.to_string_lossy().into_owned();
    let run = crate::common::zan(&[
        "ask",
        "t.both",
        "--rules",
        &file,
        "--as-of",
        "2022-01-10",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let answer: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON answer");
    assert_eq!(answer["status"], "unknown", "{}", run.stdout);
    assert_eq!(answer["answer"], serde_json::Value::Null);
    let missing = answer["missing"].to_string();
    assert!(missing.contains("rule `opens` of t.gate"), "{missing}");
    assert!(missing.contains("rule `applies` of t.other"), "{missing}");
}
