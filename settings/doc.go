// Package settings builds a step's typed settings from environment variables.
//
// A step whose prefix is SIMPLESPLITTERSTEP reads SIMPLESPLITTERSTEP__BATCH_SIZE for its field
// BATCH_SIZE, SIMPLESPLITTERSTEP__SUB__FIELD for a nested field, or a JSON object in
// SIMPLESPLITTERSTEP for the whole step (explicit variables win over the object). Everything is
// a pure function over an environment given as []string, so tests pass slices and nothing here
// reads os.Environ.
package settings
