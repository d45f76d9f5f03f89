"""Anchor summary sentences to the guide: the curator's tool for summary_anchors.

    python tools/anchors.py index [--section 4]   # the guide's sentences with their positions and hashes
    python tools/anchors.py check                 # summary sentences with no anchor, or changed since anchored
    python tools/anchors.py rehash                # after re-reading: record the hashes of the sentences as they read now

An anchor names a sentence of the guide by (section, paragraph, sentence) and
carries the SHA-256 of the sentence's whitespace-normalised text (the rule is
in docs/methods.md). ``index`` prints the guide's text to your terminal so
that you can choose anchors; nothing of it is written to the repository.

``rehash`` is the step after a curator has re-read an edited summary sentence
against the guide sentences its anchors name (hedges and all): it rewrites
``summary_sentence_sha256`` and ``sentence_sha256`` from the current texts,
and refuses when a summary gained or lost sentences (then the anchors must be
renumbered by hand). ``validate`` reports ``anchor-stale`` until this is done.

Needs the guide's text (``IMPROVEMENT_EVIDENCE_SOURCE_TEXT`` or
``../shared/source/``).
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

from improvement_evidence.provenance import GuideText, find_source_text, sentence_hash, split_sentences

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
KEYS = {"benefits": "benefit_id", "examples": "example_id"}


def _rows(name: str) -> tuple[list[str], list[dict]]:
    with open(DATA / f"{name}.csv", encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _summaries() -> dict[tuple[str, str], list[str]]:
    out = {}
    for table, key in KEYS.items():
        for r in _rows(table)[1]:
            out[(table, r[key])] = split_sentences(r["summary"])
    return out


def _guide() -> GuideText:
    found = find_source_text()
    if found is None:
        raise SystemExit("anchors: the guide's text was not found: set IMPROVEMENT_EVIDENCE_SOURCE_TEXT")
    return GuideText.from_path(found)


def problems() -> list[str]:
    """Summary sentences with no anchor, or changed since they were anchored."""
    _, anchors = _rows("summary_anchors")
    recorded = {(a["table"], a["row_id"], int(a["summary_sentence"])): a["summary_sentence_sha256"] for a in anchors}
    out = []
    for (table, rid), sentences in _summaries().items():
        for k, s in enumerate(sentences, start=1):
            h = recorded.get((table, rid, k))
            if h is None:
                out.append(f"{table} {rid} sentence {k}: no anchor")
            elif h != sentence_hash(s):
                out.append(f"{table} {rid} sentence {k}: changed since it was anchored: re-read it against its anchors, then rehash")
    for (table, rid, k) in recorded:
        if k > len(_summaries().get((table, rid), [])):
            out.append(f"{table} {rid} sentence {k}: anchored, but the summary has no such sentence")
    return out


def rehash() -> int:
    guide = _guide()
    header, anchors = _rows("summary_anchors")
    texts = _summaries()
    for i, a in enumerate(anchors, start=2):
        sentences = texts.get((a["table"], a["row_id"]))
        k = int(a["summary_sentence"])
        if sentences is None or k > len(sentences):
            print(f"anchors: summary_anchors row {i}: {a['table']} {a['row_id']} has no sentence {k}; renumber by hand", file=sys.stderr)
            return 1
        target = guide.sentence(a["section"], int(a["paragraph"]), int(a["sentence"]))
        if target is None:
            print(f"anchors: summary_anchors row {i}: the guide has no sentence ({a['section']}, {a['paragraph']}, {a['sentence']})", file=sys.stderr)
            return 1
        a["summary_sentence_sha256"] = sentence_hash(sentences[k - 1])
        a["sentence_sha256"] = target.sha256
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(anchors)
    (DATA / "summary_anchors.csv").write_text(buf.getvalue(), encoding="utf-8", newline="")
    print(f"summary_anchors: {len(anchors)} anchors rehashed; now run python tools/curate.py")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="verb", required=True)
    ix = sub.add_parser("index", help="print the guide's sentences with (section, paragraph, sentence) and hash")
    ix.add_argument("--section", help="only this section (1-8)")
    sub.add_parser("check", help="list summary sentences with no anchor or changed since anchored; exit 1 if any")
    sub.add_parser("rehash", help="record the hashes of the summary and guide sentences as they read now")
    args = ap.parse_args(argv)
    if args.verb == "index":
        for s in _guide().sentences:
            if args.section in (None, s.section):
                print(f"{s.section}\t{s.paragraph}\t{s.sentence}\t{s.sha256[:12]}\t{s.text}")
        return 0
    if args.verb == "check":
        found = problems()
        print("\n".join(found) if found else "every summary sentence is anchored and unchanged")
        return 1 if found else 0
    return rehash()


if __name__ == "__main__":
    sys.exit(main())
