// Package tokenizer counts and encodes text with OpenAI's byte-pair encodings (cl100k_base for
// gpt-3.5-turbo and gpt-4, o200k_base for gpt-4o and later), offline: the rank files are
// compiled into the binary.
//
// The result is the one tiktoken's encode_ordinary gives: the same pre-tokenizer split
// (hand-written here, to run without a backtracking regular-expression engine) and the same
// merge order. Special tokens such as <|endoftext|> are encoded as ordinary text. A Tokenizer
// is safe for concurrent use.
package tokenizer
