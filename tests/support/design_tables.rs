//! DESIGN.md's tables, read with pulldown-cmark (CommonMark with the pipe-table extension), for
//! the tests that check the vectors the design states (tests/vectors.rs; each test includes this
//! file with `#[path]`). DESIGN.md is the vectors' only copy: a test takes a table by its section
//! heading and header, and must consume every row of it.
//!
//! A cell is its text with the inline markup dropped (`` `24:00` `` reads `24:00`), trimmed. A
//! fenced code block (the vectors' calendars) is its text as written.

#![allow(dead_code)] // each test uses part of it

use std::fmt;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

/// One table of DESIGN.md.
#[derive(Debug, Clone)]
pub struct Table {
    /// The text of the nearest heading above it (any level), e.g. `Rule 1 — windows`.
    pub heading: String,
    /// DESIGN.md's line of the header row (1-based).
    pub line: usize,
    pub header: Vec<String>,
    pub rows: Vec<Row>,
}

/// One body row: its cells, as many as the header's.
#[derive(Debug, Clone)]
pub struct Row {
    /// DESIGN.md's line of the row (1-based).
    pub line: usize,
    pub cells: Vec<String>,
}

impl Row {
    /// The first cell (`#` in every vector table: `1.1`, `8.13`, `E1.2`).
    pub fn id(&self) -> &str {
        &self.cells[0]
    }
}

/// Where a row is, for a failure message: `DESIGN.md:58 (Rule 1 — windows, row 1.1)`.
pub struct At<'a>(pub &'a Table, pub &'a Row);

impl fmt::Display for At<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "DESIGN.md:{} ({}, row {})",
            self.1.line,
            self.0.heading,
            self.1.id()
        )
    }
}

/// DESIGN.md's text (the crate's, whatever the working directory).
pub fn design_text() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/DESIGN.md");
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every table of `markdown`, in order.
pub fn parse_tables(markdown: &str) -> Vec<Table> {
    let line_of = |offset: usize| markdown[..offset].matches('\n').count() + 1;
    let mut tables = Vec::new();
    let mut heading = String::new();
    let mut in_heading = false;
    let mut table: Option<Table> = None;
    let mut row: Option<Row> = None;
    let mut cell: Option<String> = None;
    for (event, range) in Parser::new_ext(markdown, Options::ENABLE_TABLES).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                in_heading = true;
                heading.clear();
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Start(Tag::Table(_)) => {
                table = Some(Table {
                    heading: heading.trim().to_string(),
                    line: line_of(range.start),
                    header: Vec::new(),
                    rows: Vec::new(),
                });
            }
            Event::End(TagEnd::Table) => tables.extend(table.take()),
            Event::Start(Tag::TableHead | Tag::TableRow) => {
                row = Some(Row {
                    line: line_of(range.start),
                    cells: Vec::new(),
                });
            }
            Event::End(TagEnd::TableHead) => {
                let (t, r) = (table.as_mut().expect("a head in a table"), row.take());
                t.header = r.expect("a head row").cells;
            }
            Event::End(TagEnd::TableRow) => {
                let (t, r) = (table.as_mut().expect("a row in a table"), row.take());
                t.rows.push(r.expect("a row"));
            }
            Event::Start(Tag::TableCell) => cell = Some(String::new()),
            Event::End(TagEnd::TableCell) => {
                let text = cell.take().expect("a cell").trim().to_string();
                row.as_mut().expect("a cell in a row").cells.push(text);
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some(c) = cell.as_mut() {
                    c.push_str(&text);
                } else if in_heading {
                    heading.push_str(&text);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(c) = cell.as_mut() {
                    c.push(' ');
                }
            }
            // Other inline markup (emphasis, links) adds no text of its own; block markup cannot
            // be inside a cell.
            _ => {}
        }
    }
    tables
}

/// One fenced code block of DESIGN.md.
#[derive(Debug, Clone)]
pub struct CodeBlock {
    /// The text of the nearest heading above it.
    pub heading: String,
    /// Its info string (` ```json ` → `json`).
    pub info: String,
    pub text: String,
}

/// Every fenced code block of `markdown`, in order.
pub fn parse_code_blocks(markdown: &str) -> Vec<CodeBlock> {
    let mut blocks = Vec::new();
    let mut heading = String::new();
    let mut in_heading = false;
    let mut block: Option<CodeBlock> = None;
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                in_heading = true;
                heading.clear();
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                block = Some(CodeBlock {
                    heading: heading.trim().to_string(),
                    info: info.trim().to_string(),
                    text: String::new(),
                });
            }
            Event::End(TagEnd::CodeBlock) => blocks.extend(block.take()),
            Event::Text(text) | Event::Code(text) => {
                if let Some(b) = block.as_mut() {
                    b.text.push_str(&text);
                } else if in_heading {
                    heading.push_str(&text);
                }
            }
            _ => {}
        }
    }
    blocks
}

/// The one fenced code block of DESIGN.md with the info string `info` under a heading that starts
/// with `heading`.
pub fn design_code_block(heading: &str, info: &str) -> String {
    let mut found: Vec<CodeBlock> = parse_code_blocks(&design_text())
        .into_iter()
        .filter(|b| b.heading.starts_with(heading) && b.info == info)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "DESIGN.md: expected one ```{info} block under a heading `{heading}…`, found {}",
        found.len()
    );
    found.remove(0).text
}

/// The one table of DESIGN.md under a heading that starts with `heading` (and whose first column
/// is `header`'s), whose header is exactly `header`. Panics when there is none or more than one,
/// or when a row has a different number of cells than the header (pulldown-cmark pads or cuts
/// such rows: this says so instead).
pub fn design_table(heading: &str, header: &[&str]) -> Table {
    let text = design_text();
    let lines: Vec<&str> = text.lines().collect();
    // A section may hold other tables: the one meant is the one whose first column is `header`'s
    // (`#` for the vector tables); the rest of its header must then match exactly.
    let mut found: Vec<Table> = parse_tables(&text)
        .into_iter()
        .filter(|t| {
            t.heading.starts_with(heading)
                && t.header.first() == header.first().map(|h| h.to_string()).as_ref()
        })
        .collect();
    assert_eq!(
        found.len(),
        1,
        "DESIGN.md: expected one table under a heading `{heading}…` whose first column is `{}`, \
         found {}",
        header.first().unwrap_or(&""),
        found.len()
    );
    let table = found.remove(0);
    assert_eq!(
        table.header, header,
        "DESIGN.md:{} ({}): the table's header changed",
        table.line, table.heading
    );
    assert!(
        !table.rows.is_empty(),
        "DESIGN.md:{} ({}): no rows",
        table.line,
        table.heading
    );
    for row in &table.rows {
        // The row's own pipes against the header's: a missing or extra cell
        // is an error, not a padded or dropped one.
        let source = lines[row.line - 1];
        assert_eq!(
            count_cells(source),
            header.len(),
            "{}: the row has {} cells, the header {}: `{source}`",
            At(&table, row),
            count_cells(source),
            header.len()
        );
    }
    table
}

/// The cells of one pipe-table line: its unescaped `|` (GFM splits cells on them even inside code
/// spans), less the leading and trailing ones.
fn count_cells(line: &str) -> usize {
    let line = line.trim();
    let (mut pipes, mut escaped) = (0, false);
    for c in line.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '|' => pipes += 1,
            _ => {}
        }
    }
    let edges = usize::from(line.starts_with('|')) + usize::from(line.ends_with('|'));
    pipes + 1 - edges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_cells_headings_and_lines() {
        let md = "# A\n\ntext\n\n## Rule 1 — x\n\n| # | Note |\n|---|---|\n| 1.1 | a `24:00` b |\n| 1.2 | *c* |\n";
        let tables = parse_tables(md);
        assert_eq!(tables.len(), 1);
        let t = &tables[0];
        assert_eq!(t.heading, "Rule 1 — x");
        assert_eq!(t.line, 7);
        assert_eq!(t.header, ["#", "Note"]);
        assert_eq!(t.rows[0].cells, ["1.1", "a 24:00 b"]);
        assert_eq!(t.rows[0].line, 9);
        assert_eq!(t.rows[1].cells, ["1.2", "c"]);
    }

    #[test]
    fn reads_fenced_code_blocks() {
        let md = "## Cals\n\n```json\n{\"a\": 1}\n```\n\n    indented\n\n```\nplain\n```\n";
        let blocks = parse_code_blocks(md);
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].heading, "Cals");
        assert_eq!(blocks[0].info, "json");
        assert_eq!(blocks[0].text, "{\"a\": 1}\n");
        assert_eq!(blocks[1].info, "");
    }

    #[test]
    fn counts_unescaped_pipes() {
        assert_eq!(count_cells("| a | `x|y` | b |"), 4);
        assert_eq!(count_cells("| a | b"), 2);
        assert_eq!(count_cells("| a \\| b |"), 1);
    }
}
