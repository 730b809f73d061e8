package steps

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/wurzel-dev/wurzel/settings"
)

// maxMarkdownFile bounds the size of one markdown file.
const maxMarkdownFile = 64 << 20

func init() {
	Register(&Type{
		Name:    "ManualMarkdownStep",
		Module:  "wurzel.steps.manual_markdown",
		Version: "1",
		Doc:     "Reads every *.md file under FOLDER_PATH, with optional YAML front matter for url, keywords and metadata.",
		Output:  Documents,
		Settings: []settings.Field{
			{Name: "FOLDER_PATH", Kind: settings.Path, Required: true,
				Doc: "Folder searched recursively for *.md files."},
		},
		New: func(v settings.Values) (Step, error) {
			return &manualMarkdown{folder: v.Str("FOLDER_PATH")}, nil
		},
	})
}

// manualMarkdown reads markdown files into documents. For each file:
//
//	md        the text after the front matter (line ends normalized to \n)
//	url       front matter url, else "ManualMarkdownStep/" + the path relative to FOLDER_PATH
//	          with / separators (Python Wurzel uses the absolute path, which makes outputs
//	          differ between machines)
//	keywords  front matter keywords, else the file name up to its first "."
//	metadata  front matter metadata, else null
//
// Files are read in sorted path order. Symbolic links to files are read; links to folders
// are not followed.
type manualMarkdown struct{ folder string }

const urlPrefix = "ManualMarkdownStep/"

func (s *manualMarkdown) Run(ctx context.Context, _ Data) (Data, error) {
	info, err := os.Stat(s.folder)
	if err != nil {
		return Data{}, fmt.Errorf("FOLDER_PATH %s: %w", s.folder, unwrapPathError(err))
	}
	if !info.IsDir() {
		return Data{}, fmt.Errorf("FOLDER_PATH %s: not a folder", s.folder)
	}
	var rels []string
	err = filepath.WalkDir(s.folder, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(d.Name(), ".md") {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			if fi, err := os.Stat(path); err != nil || !fi.Mode().IsRegular() {
				return nil
			}
		} else if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(s.folder, path)
		if err != nil {
			return err
		}
		rels = append(rels, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		return Data{}, fmt.Errorf("reading FOLDER_PATH %s: %w", s.folder, err)
	}
	slices.Sort(rels)
	docs := make([]Document, 0, len(rels))
	for _, rel := range rels {
		if err := ctx.Err(); err != nil {
			return Data{}, err
		}
		path := filepath.Join(s.folder, filepath.FromSlash(rel))
		doc, err := readMarkdown(path, rel)
		if err != nil {
			return Data{}, err
		}
		docs = append(docs, doc)
	}
	return Data{Documents: docs}, nil
}

func readMarkdown(path, rel string) (Document, error) {
	f, err := os.Open(path)
	if err != nil {
		return Document{}, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() > maxMarkdownFile {
		return Document{}, fmt.Errorf("%s: larger than %d MiB", path, maxMarkdownFile>>20)
	}
	src, err := readAllLimited(f, maxMarkdownFile)
	if err != nil {
		return Document{}, fmt.Errorf("%s: %w", path, err)
	}
	fm, body, err := parseMarkdownFile(path, src)
	if err != nil {
		return Document{}, err
	}
	base := rel[strings.LastIndexByte(rel, '/')+1:]
	doc := Document{
		MD:       body,
		URL:      urlPrefix + rel,
		Keywords: strings.SplitN(base, ".", 2)[0],
		Metadata: fm.Metadata,
	}
	if fm.URL != nil {
		doc.URL = *fm.URL
	}
	if fm.Keywords != nil {
		doc.Keywords = *fm.Keywords
	}
	return doc, nil
}

func readAllLimited(f *os.File, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("larger than %d MiB", limit>>20)
	}
	return b, nil
}

// unwrapPathError drops the path an *fs.PathError repeats.
func unwrapPathError(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}
