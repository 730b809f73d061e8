// Package steps holds the built-in step types, their registry and the data contracts they
// read and write. A step type is registered in init with Register and found by class name or
// Python class path with Lookup; the runtime calls Step.Run once per input file.
//
// The data contracts are the files Python Wurzel reads and writes, so either tool can read
// the other's output:
//
//	documents   .json  one JSON array of {"md", "keywords", "url", "metadata"} objects
//	embeddings  .csv   columns text,vector,url,keywords,embedding_input_text,metadata; vector
//	                   and metadata hold Python literals ("[0.1, 0.2]", "{'k': None}")
//
// Write sorts as Python Wurzel sorts before saving and then writes Python's exact bytes
// (json.dump's separators and escapes, pandas' CSV quoting, repr() of floats and dicts), with
// one difference: metadata keys are written in sorted order, where Python keeps insertion
// order. The same data therefore always gives the same bytes, and a file written by Python
// with sorted metadata keys reads and writes back unchanged.
//
// The built-in steps are ManualMarkdownStep, SimpleSplitterStep, DropDuplicationStep and
// EmbeddingStep; `wurzel inspect STEP` lists their settings.
package steps
