// Package pyfmt reads and writes values the way Python does, for files shared with Python
// Wurzel: Repr is Python's repr() (what pandas writes for list and dict cells), Parse is
// ast.literal_eval restricted to the literals those cells hold, and JSON is json.dumps with
// its default separators and ensure_ascii.
//
// Values are nil, bool, string, int64, float64, json.Number (an integer too large for int64),
// []any and map[string]any; maps are written with their keys sorted.
package pyfmt
