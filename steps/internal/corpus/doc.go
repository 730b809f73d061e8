// Package corpus generates deterministic markdown for benchmarks and property tests: sections
// with headings of every level, paragraphs, lists, tables, code blocks and, on request, one
// very long section without structure. The same Options always give the same text.
package corpus
