package settings

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseEnvFile(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", nil},
		{"comments and blanks", "# c\n\n   \n\t# d\n", nil},
		{"plain", "A=1\nB=two\n", []string{"A=1", "B=two"}},
		{"no final newline", "A=1", []string{"A=1"}},
		{"crlf", "A=1\r\nB=2\r\n", []string{"A=1", "B=2"}},
		{"bom", "\ufeffA=1\n", []string{"A=1"}},
		{"export", "export A=1\nexport\tB=2\n", []string{"A=1", "B=2"}},
		{"empty value", "A=\nB=''\nC=\"\"\n", []string{"A=", "B=", "C="}},
		{"indented", "  A=1\n", []string{"A=1"}},
		{"comment after value", "A=1 # one\nB='x y'\t# two\n", []string{"A=1", "B=x y"}},
		{"hash inside value", "A=a#b\n", []string{"A=a#b"}},
		{"single quotes are literal", `A='a "b" \n $c ${d}'` + "\n", []string{`A=a "b" \n $c ${d}`}},
		{"double quote escapes", `A="a \"b\" \\ \$c \` + "`" + `"` + "\n", []string{"A=a \"b\" \\ $c `"}},
		{"multi-line single", "A='line1\nline2'\nB=2\n", []string{"A=line1\nline2", "B=2"}},
		{"multi-line double", "A=\"l1\nl2\"\n", []string{"A=l1\nl2"}},
		{"equals in value", "A=x=y\n", []string{"A=x=y"}},
		{"json in single quotes", `STEP='{"A": [1, 2]}'` + "\n", []string{`STEP={"A": [1, 2]}`}},
		{"lower-case keys", "a_b=1\n_X=2\n", []string{"a_b=1", "_X=2"}},
		{"export as a key", "export=1\n", []string{"export=1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseEnvFile("test.env", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseEnvFileErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"no equals", "A\n", "test.env:1: missing = after A"},
		{"space before equals", "A =1\n", "test.env:1:2: no spaces are allowed around = (write A=VALUE)"},
		{"space after equals", "A= 1\n", "test.env:1:4: unexpected text after the value of A; quote values that contain spaces"},
		{"bad name", "1A=1\n", "test.env:1:1: want KEY=VALUE with a variable name of letters, digits and underscores"},
		{"bad name char", "A-B=1\n", "test.env:1:2: invalid character in variable name A..."},
		{"space in unquoted", "A=a b\n", "test.env:1:5: unexpected text after the value of A; quote values that contain spaces"},
		{"dollar unquoted", "A=$HOME\n", "test.env:1:3: character '$' is not allowed in an unquoted value; use single quotes"},
		{"quote inside unquoted", "A=a'b'\n", "test.env:1:4: character '\\'' is not allowed in an unquoted value; use single quotes"},
		{"dollar in double quotes", "A=\"$HOME\"\n", "test.env:1:4: variable expansion is not supported; write \\$ or use single quotes"},
		{"backtick in double quotes", "A=\"`id`\"\n", "test.env:1:4: command substitution is not supported; write \\` or use single quotes"},
		{"unknown escape", "A=\"a\\nb\"\n", "test.env:1:5: unsupported escape in double quotes (only \\\\ \\\" \\$ \\` are allowed; use a literal line break or single quotes)"},
		{"unterminated single", "A=1\nB='abc\n", "test.env:2:3: unterminated single quote"},
		{"unterminated double", "B=\"abc\n", "test.env:1:3: unterminated double quote"},
		{"text after quotes", "A='x'y\n", "test.env:1:6: unexpected text after the value of A; quote values that contain spaces"},
		{"duplicate", "A=1\nB=2\nA=3\n", "test.env:3: A is already set at line 1"},
		{"lone carriage return", "A=1\r2\n", "test.env:1:4: character '\\r' is not allowed in an unquoted value; use single quotes"},
		{"NUL", "A='\x00'\n", "test.env:1:3: NUL byte in value"},
		{
			"every problem at once",
			"A\nB =1\nC=ok\nD=$x\n",
			"3 invalid settings:\n  test.env:1: missing = after A\n  test.env:2:2: no spaces are allowed around = (write B=VALUE)\n  test.env:4:3: character '$' is not allowed in an unquoted value; use single quotes",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseEnvFile("test.env", []byte(tt.in))
			if err == nil {
				t.Fatalf("no error, want %s", tt.want)
			}
			if !IsError(err) {
				t.Errorf("error is %T, want *settings.Error", err)
			}
			if err.Error() != tt.want {
				t.Errorf("got  %s\nwant %s", err, tt.want)
			}
		})
	}
}

func TestParseEnvFileNeverQuotesValues(t *testing.T) {
	for _, in := range []string{
		"A=" + canary + "$x\n", "A=\"" + canary + "\\q\"\n", "A='" + canary, "A=\"" + canary + "$\"",
		"A=" + canary + " " + canary + "\n",
	} {
		_, err := ParseEnvFile("f", []byte(in))
		if err == nil {
			t.Errorf("%q: no error", in)
			continue
		}
		if strings.Contains(err.Error(), "CANARY") {
			t.Errorf("%q: error shows the value: %s", in, err)
		}
	}
}

func TestFormatEnvLine(t *testing.T) {
	tests := []struct{ value, want string }{
		{"", "K="},
		{"100", "K=100"},
		{"gpt-3.5-turbo", "K=gpt-3.5-turbo"},
		{"https://x.test:8080/a?b=c", "K='https://x.test:8080/a?b=c'"},
		{"./data/in", "K=./data/in"},
		{"a b", "K='a b'"},
		{`{"md": 1}`, `K='{"md": 1}'`},
		{"$HOME", "K='$HOME'"},
		{"~/x", "K='~/x'"},
		{"it's", `K="it's"`},
		{"it's $x `y` \"z\" \\", "K=\"it's \\$x \\`y\\` \\\"z\\\" \\\\\""},
		{"two\nlines", "K='two\nlines'"},
	}
	for _, tt := range tests {
		got := FormatEnvLine("K", tt.value)
		if got != tt.want {
			t.Errorf("FormatEnvLine(%q) = %s, want %s", tt.value, got, tt.want)
		}
		back, err := ParseEnvFile("x", []byte(got+"\n"))
		if err != nil || len(back) != 1 || back[0] != "K="+tt.value {
			t.Errorf("%q does not round-trip: %q, %v", tt.value, back, err)
		}
	}
}

// TestFormatEnvLineShell checks that a POSIX shell reads formatted lines back exactly.
func TestFormatEnvLineShell(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	values := []string{"plain", "a b", "it's", "$HOME `id` \"q\" \\ ", "two\nlines", "~/x", "*", "a;b|c&d", "{\"a\": [1]}"}
	dir := t.TempDir()
	for i, v := range values {
		file := filepath.Join(dir, fmt.Sprintf("f%d.env", i))
		if err := os.WriteFile(file, []byte(FormatEnvLine("K", v)+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(sh, "-c", `. "$1" && printf %s "$K"`, "sh", file).Output()
		if err != nil {
			t.Fatalf("%q: %v", v, err)
		}
		if string(out) != v {
			t.Errorf("sh read %q back as %q", v, out)
		}
	}
}
