// Package pipeline is wurzel's pipeline model: a pipeline.yaml file is a serialization of
// Pipeline. Load reads it strictly (unknown keys, duplicate keys and wrong types are errors)
// and validates it whole, reporting every problem at once with its file, line and step.
//
// A loaded pipeline's steps are in topological order (ties keep the order of the file), each
// with its resolved names: ID (a DNS-1123 label for orchestrators), EnvPrefix (for its settings)
// and output folder (<dataDir>/<name>). The naming rules are in docs/design.md.
package pipeline
