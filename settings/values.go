package settings

// Values holds parsed settings by field name. Values are string, int64, float64, bool,
// time.Duration, []any, map[string]any, Values (for a Struct) or SecretString.
type Values map[string]any

// SecretString is a secret setting. Its String and GoString methods never reveal it.
type SecretString string

func (SecretString) String() string   { return "***" }
func (SecretString) GoString() string { return "***" }

// Reveal returns the secret itself, for the one place that needs it.
func (s SecretString) Reveal() string { return string(s) }
