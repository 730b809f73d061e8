// Package settings builds a step's typed settings from environment variables: FromEnv is a
// pure function over an environment given as []string, so tests pass slices and nothing here
// reads os.Environ.
//
// A step whose prefix is SIMPLESPLITTERSTEP reads SIMPLESPLITTERSTEP__BATCH_SIZE for its field
// BATCH_SIZE, SIMPLESPLITTERSTEP__SUB__FIELD for a nested field, or a JSON object in
// SIMPLESPLITTERSTEP for the whole step (explicit variables win over the object's keys).
// Defaults from pipeline.yaml or --default rank below every variable; field defaults rank
// last. Variables without the prefix never reach a step.
//
// How values are written:
//
//	string, path  as is (a path must not be empty)
//	secret        as is, minus one trailing newline; never printed
//	int           decimal digits with an optional sign: no 010, 0x10 or 1_000
//	float         decimal or exponent form; NaN and Inf only where a field allows them
//	bool          true/false, 1/0, yes/no, on/off, t/f, y/n in any case (pydantic's list)
//	duration      Go syntax (90s, 1m30s, 2h; units ns us ms s m h) or a number of seconds
//	url           absolute, with a scheme and a host (file: URLs need no host)
//	list, map     JSON arrays and objects; errors give the line and column
//
// A variable that is set but empty is a value: the empty string for string and secret
// fields, an error for every other kind. Every problem is reported at once in a *Error,
// with the variable, the expected type and, for unknown names, the nearest known name.
//
// ParseEnvFile reads .env files (only when the user asks, with --env-file) and
// FormatEnvLine writes them; Leaves, RequiredFirst and DisplayDefault serve `wurzel
// inspect` and `wurzel env`.
package settings
