// Package mdsplit splits markdown into chunks of at most a number of tokens, counted by a
// real BPE tokenizer, keeping the path of headings above each chunk in its first line.
//
// Split prefers, in order: whole sections (cut at the highest heading level first), whole
// blocks (paragraphs, lists, tables, code blocks), list items, table rows (the header repeated
// in every piece), code lines (every piece fenced again), sentences, lines, words and, for a
// single word longer than a chunk, tokens. Consecutive parts are packed greedily; chunks
// shorter than MinTokens are then merged with a neighbour where the result fits. No text is
// dropped except white space between chunks and headings that the next chunk's context line
// repeats.
//
// The text is tokenized once: the count of any slice is exact and costs only the edges
// (see docTokens), so packing does not tokenize sections again and again.
package mdsplit
