package image

import (
	"encoding/pem"
	"fmt"
	"strings"

	"golang.org/x/crypto/x509roots/fallback/bundle"

	"github.com/wurzel-dev/wurzel/build/internal/repro"
)

// The user every container runs as, and the paths the image is built around.
const (
	UID        = 65532
	GID        = 65532
	User       = "65532:65532"
	UserName   = "nonroot"
	Home       = "/home/nonroot"
	WorkingDir = "/data"
	BinaryPath = "/usr/local/bin/wurzel"
	ShellPath  = "/bin/sh"
	BusyboxDir = "/bin"
	PathEnv    = "PATH=/usr/local/bin:/usr/bin:/bin"
	CABundle   = "/etc/ssl/certs/ca-certificates.crt"
)

// Applets are the busybox programs the shell variant links in /bin: the shell and what job
// scripts and GitLab Runner's own script commonly call. Each must be an applet of the busybox
// binary (the verification checks it).
var Applets = []string{
	"[", "ash", "basename", "cat", "chmod", "cp", "cut", "date", "dirname", "du", "echo", "env",
	"expr", "false", "find", "grep", "gunzip", "gzip", "head", "id", "ln", "ls", "mkdir",
	"mktemp", "mv", "printf", "pwd", "readlink", "realpath", "rm", "rmdir", "sed", "sh", "sleep",
	"sort", "stat", "tail", "tar", "tee", "test", "touch", "tr", "true", "uname", "uniq", "wc",
	"which", "xargs",
}

// baseFiles are the files every variant holds besides the binaries: users, the CA
// certificates for HTTPS (the EmbeddingStep's API calls), and the writable folders.
func baseFiles() ([]repro.Entry, error) {
	certs, err := caCertificates()
	if err != nil {
		return nil, err
	}
	passwd := fmt.Sprintf("root:x:0:0:root:/root:/sbin/nologin\n%s:x:%d:%d:%s:%s:/sbin/nologin\n", UserName, UID, GID, UserName, Home)
	group := fmt.Sprintf("root:x:0:\n%s:x:%d:\n", UserName, GID)
	return []repro.Entry{
		repro.File("etc/passwd", 0o644, 0, 0, []byte(passwd)),
		repro.File("etc/group", 0o644, 0, 0, []byte(group)),
		// Go's resolver reads the order of hosts and DNS from here; without it, the order
		// depends on the resolver's guess.
		repro.File("etc/nsswitch.conf", 0o644, 0, 0, []byte("hosts: files dns\n")),
		repro.File(strings.TrimPrefix(CABundle, "/"), 0o644, 0, 0, certs),
		repro.Dir(strings.TrimPrefix(WorkingDir, "/"), 0o755, UID, GID),
		repro.Dir(strings.TrimPrefix(Home, "/"), 0o700, UID, GID),
		repro.Dir("root", 0o700, 0, 0),
		repro.Dir("tmp", 0o1777, 0, 0),
	}, nil
}

// caCertificates returns Mozilla's root certificates for TLS servers as PEM, from the
// pinned golang.org/x/crypto/x509roots/fallback module, so the bundle does not depend on the
// build machine. Roots that NSS distrusts after a date are left out: a PEM file cannot say so.
func caCertificates() ([]byte, error) {
	var b strings.Builder
	b.WriteString("# Mozilla NSS root certificates trusted for TLS servers,\n# from golang.org/x/crypto/x509roots/fallback/bundle.\n")
	n := 0
	for r := range bundle.Roots() {
		if r.Constraint != nil {
			continue
		}
		if err := pem.Encode(&b, &pem.Block{Type: "CERTIFICATE", Bytes: r.Certificate}); err != nil {
			return nil, err
		}
		n++
	}
	if n == 0 {
		return nil, fmt.Errorf("the CA bundle of golang.org/x/crypto/x509roots/fallback is empty")
	}
	return []byte(b.String()), nil
}

// shellFiles are busybox and a link to it for each applet.
func shellFiles(busybox []byte) []repro.Entry {
	dir := strings.TrimPrefix(BusyboxDir, "/")
	entries := []repro.Entry{repro.File(dir+"/busybox", 0o755, 0, 0, busybox)}
	for _, a := range Applets {
		entries = append(entries, repro.Symlink(dir+"/"+a, "busybox"))
	}
	return entries
}
