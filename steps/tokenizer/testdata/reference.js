// reference.js encodes samples.json with tiktoken (npm "tiktoken" 1.0.22, a WebAssembly build of
// OpenAI's Rust implementation) and writes reference.json:
//
//	go run gen_samples.go > samples.json && node reference.js && rm samples.json
const { get_encoding } = require("tiktoken");
const fs = require("fs");
const samples = JSON.parse(fs.readFileSync("samples.json"));
const out = { samples, ids: {} };
for (const name of ["cl100k_base", "o200k_base"]) {
  const enc = get_encoding(name);
  out.ids[name] = samples.map((s) => Array.from(enc.encode_ordinary(s)));
  enc.free();
}
fs.writeFileSync("reference.json", JSON.stringify(out));
