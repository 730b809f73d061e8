package local

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/wurzel-dev/wurzel/internal/atomicfile"
)

// The files of the LocalBackend under the data folder.
const (
	stateDirName = ".wurzel"
	stateName    = "state.json"
	journalName  = "journal.jsonl"
	lockName     = "lock"
	stateVersion = 1
)

// record is what the state keeps of a step's last successful run: its fingerprint, the
// digest of the output it made, and figures for the summary of runs that reuse it.
type record struct {
	fingerprint
	Output     string    `json:"output"`
	RunID      string    `json:"runId"`
	Finished   time.Time `json:"finished"`
	DurationMS int64     `json:"durationMs"`
	ItemsIn    int       `json:"itemsIn"`
	ItemsOut   int       `json:"itemsOut"`
	Files      int       `json:"files"`
}

// fingerprint identifies what a step's output is made from; each part is a hex SHA-256.
type fingerprint struct {
	Code     string `json:"code"`
	Settings string `json:"settings"`
	Inputs   string `json:"inputs"`
	Sources  string `json:"sources"`
}

// stateFile is the content of state.json.
type stateFile struct {
	Version  int               `json:"version"`
	Pipeline string            `json:"pipeline"`
	Steps    map[string]record `json:"steps"`
}

// journalLine is one line of journal.jsonl.
type journalLine struct {
	Step   string `json:"step"`
	Record record `json:"record"`
}

// state holds the records of a data folder during a run.
type state struct {
	dir      string
	pipeline string
	// prev are the records as the run found them; workers read it, nobody writes it.
	prev map[string]record
	// next is prev with this run's records; only the scheduler touches it.
	next    map[string]record
	journal *os.File
}

// openState reads state.json and replays the journal a killed run left. A state it cannot
// read is dropped with a warning (the steps then run again), never trusted in part.
func openState(dataDir, pipelineName string) (*state, string, error) {
	dir := filepath.Join(dataDir, stateDirName)
	s := &state{dir: dir, pipeline: pipelineName, prev: map[string]record{}}
	var warn string
	data, err := os.ReadFile(filepath.Join(dir, stateName))
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, "", fmt.Errorf("reading the run state: %w", err)
	default:
		var f stateFile
		if err := json.Unmarshal(data, &f); err != nil || f.Version != stateVersion {
			if err == nil {
				err = fmt.Errorf("version %d, want %d", f.Version, stateVersion)
			}
			warn = fmt.Sprintf("ignoring the run state %s (%v): every step runs again", filepath.Join(dir, stateName), err)
		} else if f.Steps != nil {
			s.prev = f.Steps
		}
	}
	if data, err := os.ReadFile(filepath.Join(dir, journalName)); err == nil {
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
		for sc.Scan() {
			var l journalLine
			if err := json.Unmarshal(sc.Bytes(), &l); err != nil || l.Step == "" {
				break // a line cut short by a crash: what follows is not trusted
			}
			s.prev[l.Step] = l.Record
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, "", fmt.Errorf("reading the run journal: %w", err)
	}
	s.next = make(map[string]record, len(s.prev))
	for k, v := range s.prev {
		s.next[k] = v
	}
	j, err := os.OpenFile(filepath.Join(dir, journalName), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, "", fmt.Errorf("opening the run journal: %w", err)
	}
	s.journal = j
	return s, warn, nil
}

// put records a step's successful run: in memory, and in the journal at once so that a
// killed run keeps it.
func (s *state) put(step string, rec record) error {
	s.next[step] = rec
	line, err := json.Marshal(journalLine{Step: step, Record: rec})
	if err != nil {
		return err
	}
	if _, err := s.journal.Write(append(line, '\n')); err != nil {
		return fmt.Errorf("writing the run journal: %w", err)
	}
	return nil
}

// close writes state.json (the records of the steps in names) atomically and removes the
// journal it now holds.
func (s *state) close(names []string) error {
	defer s.journal.Close()
	f := stateFile{Version: stateVersion, Pipeline: s.pipeline, Steps: map[string]record{}}
	for _, n := range names {
		if rec, ok := s.next[n]; ok {
			f.Steps[n] = rec
		}
	}
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(filepath.Join(s.dir, stateName), append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("saving the run state: %w", err)
	}
	if err := os.Remove(filepath.Join(s.dir, journalName)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("removing the run journal: %w", err)
	}
	return nil
}
