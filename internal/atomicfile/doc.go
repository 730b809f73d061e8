// Package atomicfile writes files and folders so that readers see the old content or the
// new content, never a mix, even when the writer is killed.
//
// WriteFile writes a temp file in the destination's folder, syncs it and renames it over
// the destination; a symlink at the destination is replaced, never written through. Dir
// builds an output folder as a sibling OUT.tmp-<random>, syncs it and swaps it into place;
// folders left behind by killed writers are removed by the next CreateDir in the same
// folder (once per process), unless a live process still holds them: each temp folder
// carries an advisory lock, which the remover also takes before it removes anything.
package atomicfile
