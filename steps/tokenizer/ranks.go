package tokenizer

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strconv"

	"github.com/pkoukk/tiktoken-go-loader/assets"
)

// loadRanks parses the encoding's .tiktoken file: one "base64(token) rank" per line, ranks
// 0, 1, 2, ... in order.
func loadRanks(enc Encoding) (map[string]uint32, []string, error) {
	data, err := assets.Assets.ReadFile(string(enc) + ".tiktoken")
	if err != nil {
		return nil, nil, fmt.Errorf("loading %s ranks: %w", enc, err)
	}
	n := bytes.Count(data, []byte{'\n'})
	ranks := make(map[string]uint32, n)
	tokens := make([]string, 0, n)
	var buf [256]byte
	for line := 1; len(data) > 0; line++ {
		var l []byte
		l, data, _ = bytes.Cut(data, []byte{'\n'})
		if len(l) == 0 {
			continue
		}
		b64, num, ok := bytes.Cut(l, []byte{' '})
		if !ok {
			return nil, nil, fmt.Errorf("loading %s ranks: line %d: want \"token rank\"", enc, line)
		}
		k, err := base64.StdEncoding.Decode(buf[:], b64)
		if err != nil {
			return nil, nil, fmt.Errorf("loading %s ranks: line %d: %w", enc, line, err)
		}
		rank, err := strconv.ParseUint(string(num), 10, 32)
		if err != nil || rank != uint64(len(tokens)) {
			return nil, nil, fmt.Errorf("loading %s ranks: line %d: rank %q out of order", enc, line, num)
		}
		tok := string(buf[:k])
		ranks[tok] = uint32(rank)
		tokens = append(tokens, tok)
	}
	return ranks, tokens, nil
}
