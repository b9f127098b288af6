//! Contested points: `contested NAME "question" reading ... default ...` -> [`Contested`] in the
//! rulebase, and `under reading POINT.READING` on rules and expectations -> [`ReadingRef`].
//!
//! Located errors: a point declared twice, a reading declared twice in one point, a point with
//! fewer than two readings, a default that is not one of the point's readings, a reading named
//! (after `under reading` or `within`) that is not declared, and points that arise only within
//! each other's readings in a circle. It knows nothing of how readings are weighed.

use super::problem::CheckProblem;
use super::{Builder, Resolver};
use crate::ast;
use crate::rulebase::*;
use crate::span::Span;

impl Builder<'_> {
    /// First pass: every contested point by name, so that rules may name readings declared
    /// later or in another file.
    pub(super) fn declare_contested(&mut self, asts: &[ast::Ast]) {
        for ast in asts {
            for item in &ast.items {
                let ast::Item::Contested(decl) = item else {
                    continue;
                };
                if let Some(first) = self.rb.contested.iter().find(|p| p.name == decl.name.text) {
                    let first = first.span;
                    self.duplicate("contested point", &decl.name, first);
                    continue;
                }
                let mut readings: Vec<ReadingDef> = Vec::new();
                let mut spans: Vec<Span> = Vec::new();
                for reading in &decl.readings {
                    if let Some(idx) = readings.iter().position(|r| r.name == reading.name.text) {
                        self.duplicate("reading", &reading.name, spans[idx]);
                        continue;
                    }
                    let support = self.resolver().citations(&reading.citations, reading.span);
                    readings.push(ReadingDef {
                        name: reading.name.text.clone(),
                        statement: reading.statement.clone(),
                        support,
                    });
                    spans.push(reading.name.span);
                }
                if readings.len() < 2 {
                    self.error(
                        CheckProblem::OnlyOneReading {
                            point: decl.name.text.clone(),
                        }
                        .diagnostic()
                        .at(
                            decl.name.span,
                            "a contested point needs two readings or more",
                        )
                        .hint("add the other reading, or write the provision as a plain rule"),
                    );
                }
                let default = decl.default.as_ref().and_then(|default| {
                    match readings.iter().position(|r| r.name == default.name.text) {
                        Some(idx) => Some((idx as u32, default.reason.clone())),
                        None => {
                            let mut diagnostic = CheckProblem::DefaultNotAReading {
                                default: default.name.text.clone(),
                                point: decl.name.text.clone(),
                            }
                            .diagnostic()
                            .at(default.name.span, "no reading of this point has this name");
                            if let Some(close) = self.closest(
                                &default.name.text,
                                readings.iter().map(|r| r.name.as_str()),
                            ) {
                                diagnostic = diagnostic.hint(format!("did you mean `{close}`?"));
                            }
                            self.error(diagnostic);
                            None
                        }
                    }
                });
                self.rb.contested.push(Contested {
                    name: decl.name.text.clone(),
                    text: decl.text.clone(),
                    readings,
                    default,
                    within: None,
                    span: decl.name.span,
                });
            }
        }
        // `within` names another point's reading: resolved once every point is known.
        for ast in asts {
            for item in &ast.items {
                let ast::Item::Contested(decl) = item else {
                    continue;
                };
                let Some(within) = &decl.within else { continue };
                let Some(point) = self
                    .rb
                    .contested
                    .iter()
                    .position(|p| p.name == decl.name.text && p.span == decl.name.span)
                else {
                    continue;
                };
                if let Some(reading) = self.resolver().reading_ref(within) {
                    self.rb.contested[point].within = Some(reading);
                }
            }
        }
        self.check_within_cycles();
    }

    /// A point that arises only within a reading of another may not, through others, arise
    /// only within a reading of itself. The circle is reported at each point's name and broken.
    fn check_within_cycles(&mut self) {
        for start in 0..self.rb.contested.len() {
            let mut path = vec![start];
            let mut current = start;
            while let Some(within) = self.rb.contested[current].within {
                let next = within.point.0 as usize;
                if next == start {
                    let names: Vec<String> = path
                        .iter()
                        .chain(std::iter::once(&start))
                        .map(|p| format!("`{}`", self.rb.contested[*p].name))
                        .collect();
                    let span = self.rb.contested[start].span;
                    self.error(
                        CheckProblem::PointCycle {
                            names: names.iter().map(|name| name.to_string()).collect(),
                        }
                        .diagnostic()
                        .at(span, "part of the circle")
                        .hint("a point cannot arise only under a reading of itself"),
                    );
                    self.rb.contested[start].within = None;
                    break;
                }
                if path.contains(&next) {
                    // A circle that does not pass through `start`: reported from its own start.
                    break;
                }
                path.push(next);
                current = next;
            }
        }
    }
}

impl Resolver<'_> {
    /// `POINT.READING` as written after `under reading` or `within`, resolved; an error at the
    /// name when no such reading is declared.
    pub(crate) fn reading_ref(&mut self, name: &ast::Ident) -> Option<ReadingRef> {
        let (point_name, reading_name) = name.text.rsplit_once('.').unwrap_or(("", &name.text));
        let Some(point) = self.rb.contested.iter().position(|p| p.name == point_name) else {
            let mut diagnostic = CheckProblem::UnknownPoint {
                point: point_name.to_string(),
                reading: name.text.clone(),
            }
            .diagnostic()
            .at(name.span, "no `contested` declaration has this name");
            let names = self.rb.reading_names();
            if let Some(close) = self.closest(&name.text, names.iter().map(String::as_str)) {
                diagnostic = diagnostic.hint(format!("did you mean `{close}`?"));
            }
            self.error(diagnostic);
            return None;
        };
        let Some(reading) = self.rb.contested[point]
            .readings
            .iter()
            .position(|r| r.name == reading_name)
        else {
            let names: Vec<String> = self.rb.contested[point]
                .readings
                .iter()
                .map(|r| format!("`{}`", r.name))
                .collect();
            let point_span = self.rb.contested[point].span;
            self.error(
                CheckProblem::NoSuchReading {
                    point: point_name.to_string(),
                    reading: reading_name.to_string(),
                }
                .diagnostic()
                .at(name.span, "reading not declared")
                .also(point_span, "the contested point")
                .hint(format!("its readings are {}", names.join(", "))),
            );
            return None;
        };
        Some(ReadingRef {
            point: PointId(point as u32),
            reading: reading as u32,
        })
    }
}
