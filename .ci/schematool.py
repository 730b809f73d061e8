#!/usr/bin/env python3
"""Generate the JSON schemas wurzel validates rendered files against.

Standard library only. Subcommands:

  k8s SWAGGER OUTDIR [--strict] [--kinds K,K...] [--compact]
      Convert the Kubernetes OpenAPI v2 spec (api/openapi-spec/swagger.json of
      the k8s.io/kubernetes module) into kubeconform's schema layout:
      OUTDIR/_definitions.json plus OUTDIR/<kind>[-<group>]-<version>.json, each
      a $ref into _definitions.json. --strict adds additionalProperties: false
      to every object schema that lists properties (unknown fields become
      errors, as with kubectl's client-side validation). --kinds keeps only the
      named kind files (e.g. cronjob-batch-v1) and the definitions they reach.
      --compact drops descriptions and x- extensions.
  prune SCHEMA OUT --roots DEF,DEF... [--strict] [--compact]
      Keep only the definitions reachable from the named ones (a draft-07 or
      2020-12 schema with a top-level "definitions" map) and make the root a
      oneOf over them.
  minify IN OUT
      Re-serialise a JSON file compactly (content unchanged).

Conversions common to k8s and prune: the "int-or-string" format becomes
oneOf string/integer and resource.Quantity becomes oneOf string/number, which
is what the API server accepts (`cpu: 1` is a valid quantity, `limit: 4` a
valid retry limit), whatever type the source spec declares.
"""
import json
import os
import sys

# Definitions replaced by what the Kubernetes API server really accepts.
FIXUPS = {
    "io.k8s.apimachinery.pkg.api.resource.Quantity": {"oneOf": [{"type": "string"}, {"type": "number"}]},
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
}
SCHEMA_MAPS = ("properties", "definitions", "$defs", "patternProperties")


def convert(node, strict, compact, in_map=False):
    """Return a converted copy of a schema (or of a map of schemas when in_map)."""
    if isinstance(node, list):
        return [convert(x, strict, compact) for x in node]
    if not isinstance(node, dict):
        return node
    if in_map:
        return {k: convert(v, strict, compact) for k, v in node.items()}
    if node.get("format") == "int-or-string":
        return {"oneOf": [{"type": "string"}, {"type": "integer"}]}
    out = {}
    for k, v in node.items():
        if compact and (k in ("description", "title", "$comment", "example") and not isinstance(v, (dict, list)) or k.startswith("x-")):
            continue
        out[k] = convert(v, strict, compact, in_map=k in SCHEMA_MAPS)
    if strict and "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    return out


def fixup(defs):
    return {k: FIXUPS.get(k, v) for k, v in defs.items()}


def refs(node):
    """Yield every definition name referenced by $ref in node."""
    if isinstance(node, dict):
        r = node.get("$ref")
        if isinstance(r, str) and "#/definitions/" in r:
            yield r.split("#/definitions/", 1)[1]
        for v in node.values():
            yield from refs(v)
    elif isinstance(node, list):
        for v in node:
            yield from refs(v)


def reachable(defs, roots):
    seen, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        if name not in defs:
            sys.exit(f"schematool: definition {name!r} not found")
        seen.add(name)
        todo.extend(refs(defs[name]))
    return {k: v for k, v in defs.items() if k in seen}


def dump(obj, path):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, separators=(",", ":"), ensure_ascii=False, sort_keys=False)
        f.write("\n")


def kind_file(gvk):
    group = gvk["group"].split(".")[0].lower()
    return gvk["kind"].lower() + ("-" + group if group else "") + "-" + gvk["version"].lower() + ".json"


def cmd_k8s(args):
    src, outdir = args[0], args[1]
    strict, compact = "--strict" in args, "--compact" in args
    kinds = None
    if "--kinds" in args:
        kinds = {k.strip() + ".json" for k in args[args.index("--kinds") + 1].split(",") if k.strip()}
    with open(src, encoding="utf-8") as f:
        defs = json.load(f)["definitions"]
    defs = fixup(defs)
    files = {}
    for name, d in defs.items():
        for gvk in d.get("x-kubernetes-group-version-kind", []):
            fname = kind_file(gvk)
            if kinds is None or fname in kinds:
                files[fname] = name
    if kinds is not None:
        missing = sorted(kinds - set(files))
        if missing:
            sys.exit(f"schematool: no definition for {', '.join(missing)}")
        defs = reachable(defs, set(files.values()))
    os.makedirs(outdir, exist_ok=True)
    dump({"definitions": convert(defs, strict, compact, in_map=True)}, os.path.join(outdir, "_definitions.json"))
    for fname, name in sorted(files.items()):
        dump({"$ref": "_definitions.json#/definitions/" + name}, os.path.join(outdir, fname))
    print(f"wrote {len(files)} kind schemas and {len(defs)} definitions to {outdir}")


def cmd_prune(args):
    src, out = args[0], args[1]
    strict, compact = "--strict" in args, "--compact" in args
    roots = [r for r in args[args.index("--roots") + 1].split(",") if r]
    with open(src, encoding="utf-8") as f:
        schema = json.load(f)
    defs = reachable(fixup(schema["definitions"]), roots)
    result = {k: v for k, v in schema.items() if k not in ("definitions", "oneOf", "anyOf")}
    result["oneOf"] = [{"$ref": "#/definitions/" + r} for r in roots]
    result["definitions"] = convert(defs, strict, compact, in_map=True)
    dump(result, out)
    print(f"wrote {len(defs)} of {len(schema['definitions'])} definitions to {out}")


def cmd_minify(args):
    with open(args[0], encoding="utf-8") as f:
        dump(json.load(f), args[1])


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    cmd, args = sys.argv[1], sys.argv[2:]
    {"k8s": cmd_k8s, "prune": cmd_prune, "minify": cmd_minify}.get(cmd, lambda _: sys.exit(__doc__))(args)


main()
