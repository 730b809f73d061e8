"""Writes the Python Wurzel data-contract fixtures of this folder with Python's own json and csv
modules, as Python Wurzel writes them:

* documents: json.dump(list of MarkdownDataContract.model_dump()) after sorting the list by the
  models' __hash__ (sha256 of the field values in field-name order), as BaseStepExecutor does;
* embeddings: DataFrame.to_csv(index=False) after sort_values(first column); pandas writes
  list and dict cells with str() and missing values as empty cells.

Run with any Python 3: python3 gen.py
"""
import csv
import hashlib
import json


def model_hash(d):
    fields = sorted(["md", "keywords", "url", "metadata"])
    s = "".join(str(d[f] or "") for f in fields)
    return int(hashlib.sha256(s.encode("utf-8")).hexdigest(), 16)


documents = [
    {"md": "# Wurzel\n\nA *root* of \"quotes\", 'apostrophes' and a \\ backslash.\n", "keywords": "intro",
     "url": "ManualMarkdownStep/intro.md", "metadata": None},
    {"md": "## Umlaute\n\nGr\u00f6\u00dfe, na\u00efve, \u65e5\u672c\u8a9e and \U0001F642.\tTab\r\nCRLF\u2028sep",
     "keywords": "unicode,umlaut", "url": "https://example.org/unicode", "metadata": {}},
    {"md": "| a | b |\n|---|---|\n| 1 | 2 |", "keywords": "", "url": "ManualMarkdownStep/tables/t.md",
     "metadata": {"author": "Ada", "char_len": 31, "nested": {"list": [1, 2.5, None, True, "x"], "score": 0.1},
                  "token_len": 17}},
    {"md": "control \u0000\u001f\u007f chars", "keywords": "ctl", "url": "u", "metadata": {"big": 12345678901234567890,
     "exp": 1e-05, "flag": False, "float": 100.0}},
]
documents.sort(key=model_hash)
with open("documents.json", "w", encoding="utf-8") as f:
    json.dump(documents, f)

# Metadata keys in insertion order, not sorted: read as is; written back with sorted keys.
unsorted = [{"md": "x", "keywords": "k", "url": "u", "metadata": {"token_len": 3, "char_len": 1}}]
with open("documents-unsorted-keys.json", "w", encoding="utf-8") as f:
    json.dump(unsorted, f)

embeddings = [
    {"text": "# Title\n\nText with \"quotes\", commas, and\nnew lines.", "vector": [0.1, -0.25, 1e-05, 3.0],
     "url": "https://example.org/a", "keywords": "title text", "embedding_input_text": "query: Title Text with",
     "metadata": {"char_len": 48, "chunk_index": 0, "none": None, "ok": True, "tags": ["a", "it's"]}},
    {"text": "Zweiter Eintrag mit Umlauten: \u00e4\u00f6\u00fc \u00df", "vector": [0.5, 0.5, 0.5, 0.5],
     "url": None, "keywords": " ", "embedding_input_text": None, "metadata": None},
    {"text": "plain", "vector": [1e+16, -0.0, 123.456, 0.30000000000000004], "url": "u", "keywords": "k",
     "embedding_input_text": "plain", "metadata": {"nested": {"x": [1, [2, 3]]}, "say": 'he said "hi"'}},
]
embeddings.sort(key=lambda r: r["text"])
columns = ["text", "vector", "url", "keywords", "embedding_input_text", "metadata"]
with open("embeddings.csv", "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(columns)
    for r in embeddings:
        w.writerow(["" if r[c] is None else str(r[c]) for c in columns])

# Cells Python reads but we write differently: keys in insertion order, a tuple, a unicode
# escape, a float written as an integer in the vector.
with open("embeddings-python-literals.csv", "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(columns)
    w.writerow(["t", "[1, 2.5, -3]", "u", "k", "", str({"z": (1, 2), "a": "\u00e4", "n": None, "b": False})])
    w.writerow(["t2", " [ 0.5 ,\n 0.25 ] ", "", "", "", "{}"])

# The older four-column layout (telekom/wurzel tests/data/embedded.csv).
with open("embeddings-four-columns.csv", "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["text", "vector", "url", "keywords"])
    w.writerow(["### Initium\n\nCui dono lepidum novum libellum?", str([0.9, 0.0, 0.1]), "https://example-lorem.com/1",
                "intus est hostis"])
