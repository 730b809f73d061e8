package steps

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	"github.com/wurzel-dev/wurzel/settings"
	"github.com/wurzel-dev/wurzel/steps/internal/pyfmt"
)

// documentFields are a document's fields in the order they are compared and written.
var documentFields = []string{"md", "keywords", "url", "metadata"}

func init() {
	Register(&Type{
		Name:    "DropDuplicationStep",
		Module:  "wurzel.steps.duplication",
		Version: "1",
		Doc:     "Drops documents that repeat an earlier document in the fields DROP_BY_FIELDS, keeping the first.",
		Input:   Documents,
		Output:  Documents,
		Settings: []settings.Field{
			{Name: "DROP_BY_FIELDS", Kind: settings.List, Elem: settings.String, Default: `["md"]`,
				Enum: append([]string{"*"}, documentFields...),
				Doc:  `Fields that make two documents duplicates: any of md, keywords, url, metadata, or ["*"] for all.`},
		},
		New: func(v settings.Values) (Step, error) {
			fields := v.Strings("DROP_BY_FIELDS")
			switch {
			case len(fields) == 0:
				return nil, invalidSetting("DROP_BY_FIELDS", `want at least one field (md, keywords, url, metadata), or ["*"] for all`)
			case slices.Contains(fields, "*") && len(fields) > 1:
				return nil, invalidSetting("DROP_BY_FIELDS", `"*" means all fields and stands alone, got %s`, strings.Join(fields, ", "))
			case fields[0] == "*":
				fields = documentFields
			}
			use := make([]bool, len(documentFields))
			for i, f := range documentFields {
				use[i] = slices.Contains(fields, f)
			}
			return &dedupStep{use: use}, nil
		},
	})
}

func invalidSetting(field, format string, args ...any) error {
	return &settings.Error{Problems: []settings.Problem{{Source: field, Code: settings.CodeInvalid, Msg: fmt.Sprintf(format, args...)}}}
}

// dedupStep keeps the first of the documents that agree on the selected fields, in input
// order. Metadata is compared by value (key order does not matter; 1 and 1.0 differ).
type dedupStep struct{ use []bool } // by documentFields

func (s *dedupStep) Run(_ context.Context, in Data) (Data, error) {
	out := make([]Document, 0, len(in.Documents))
	if field, ok := s.single(); ok {
		// One text field: the field itself is the key (hashed by the map, compared exactly).
		seen := make(map[string]struct{}, len(in.Documents))
		for _, d := range in.Documents {
			key := [...]string{d.MD, d.Keywords, d.URL}[field]
			if _, dup := seen[key]; dup {
				continue
			}
			seen[key] = struct{}{}
			out = append(out, d)
		}
		return Data{Documents: out}, nil
	}
	seen := make(map[[sha256.Size]byte]bool, len(in.Documents))
	var n [8]byte
	for i, d := range in.Documents {
		h := sha256.New()
		for k, field := range []string{d.MD, d.Keywords, d.URL} {
			if s.use[k] {
				binary.LittleEndian.PutUint64(n[:], uint64(len(field))) // so that fields cannot run into each other
				h.Write(n[:])
				h.Write([]byte(field))
			}
		}
		if s.use[3] {
			var b strings.Builder
			var md any
			if d.Metadata != nil {
				md = d.Metadata
			}
			if err := pyfmt.JSON(&b, md); err != nil {
				return Data{}, fmt.Errorf("documents[%d].metadata: %w", i, err)
			}
			h.Write([]byte(b.String()))
		}
		var key [sha256.Size]byte
		h.Sum(key[:0])
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, d)
	}
	return Data{Documents: out}, nil
}

// single returns the one text field (0 md, 1 keywords, 2 url) when it is the only field
// compared.
func (s *dedupStep) single() (int, bool) {
	field, n := -1, 0
	for k, use := range s.use {
		if use {
			field, n = k, n+1
		}
	}
	return field, n == 1 && field < 3
}
