// Package values implements wurzel's Helm-style layered values.
//
// Layers are merged lowest first: every pack's values.yaml, then spec.backendConfig from the
// pipeline, then each -f file in command-line order, then each --set, --set-string and
// --set-file in command-line order. Maps merge recursively; scalars and lists are replaced;
// an explicit null deletes the key. Inputs are never modified. Replacing a map by a scalar or
// a list (or the reverse) is an error naming both layers, because a silent change of type is
// how layered configuration goes wrong; a null or absent lower value accepts any type.
//
// Every layer keeps the position of every key it sets, so that errors and `wurzel values
// explain` can say which file and line a value came from and what it overrode.
package values
