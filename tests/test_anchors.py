"""Summaries never say more than the guide sentences they rest on (issue 12).

Every sentence of every benefit and example summary is anchored in
``summary_anchors`` to guide sentences by (section, paragraph, sentence) and
SHA-256; these tests check the anchors against the guide's text, check the
hedge rule, and measure how much of the guide the package carries verbatim.
Each check is a plain function here, run once on the shipped data and once
on a planted defect, so every test can be seen to fail.

Runs against the guide's text; fails under CI=true if the text is absent
(see the guide_text_path fixture).
"""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

import pytest

from improvement_evidence.provenance import GuideText, normalise, split_sentences, verbatim_share

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
HEDGES = ("can", "could", "may", "might", "some", "many", "often", "potential", "associated", "designed", "aims")
HEDGE_RE = re.compile(r"\b(" + "|".join(HEDGES) + r")\b", re.IGNORECASE)
MAX_VERBATIM_SHARE = 0.30
MAX_SHARED_RUN = 12  # words: no summary copies a longer run of the guide (the guide is copyrighted)
# Punctuation stripped from either end of a word before words are compared, so
# that a comma, full stop, bracket, quotation mark or dash does not break a run
# ('resources,' matches 'resources'; a dash standing alone is no word).
# Punctuation inside a word is kept: 'community-based', 'England's', '24%',
# '3,000' and '£1m' must match as written. Curly quotes count as straight ones.
EDGE_PUNCTUATION = "\"'()[]{}.,;:!?*\u2013\u2014-"


def rows(name: str) -> list[dict]:
    with open(DATA / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def summaries() -> dict[tuple[str, str], str]:
    out = {("benefits", r["benefit_id"]): r["summary"] for r in rows("benefits")}
    out.update({("examples", r["example_id"]): r["summary"] for r in rows("examples")})
    return out


def sha(text: str) -> str:
    # independent of provenance.sentence_hash: whitespace collapsed, UTF-8, SHA-256
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


@pytest.fixture(scope="module")
def guide(guide_text_path):
    return GuideText.from_path(guide_text_path)


# -- the checks ---------------------------------------------------------------

def anchor_problems(guide: GuideText, anchors: list[dict]) -> list[str]:
    """Each anchor names one sentence of the guide, and its hash is that
    sentence's hash and no other sentence's."""
    by_hash: dict[str, list] = {}
    for s in guide.sentences:
        by_hash.setdefault(sha(s.text), []).append((s.section, s.paragraph, s.sentence))
    out = []
    for i, a in enumerate(anchors, start=2):
        pos = (a["section"], int(a["paragraph"]), int(a["sentence"]))
        at = guide.sentence(*pos)
        if at is None:
            out.append(f"summary_anchors row {i}: no sentence {pos} in the guide")
        elif sha(at.text) != a["sentence_sha256"]:
            out.append(f"summary_anchors row {i}: hash differs from that of sentence {pos}")
        elif by_hash.get(a["sentence_sha256"]) != [pos]:
            out.append(f"summary_anchors row {i}: hash names {by_hash.get(a['sentence_sha256'])}, expected exactly {pos}")
    return out


def coverage_problems(anchors: list[dict], texts: dict[tuple[str, str], str]) -> list[str]:
    """Every sentence of every summary has an anchor, recorded against the
    sentence as it reads now."""
    anchored = {(a["table"], a["row_id"], int(a["summary_sentence"])): a["summary_sentence_sha256"] for a in anchors}
    out = []
    for (table, rid), text in texts.items():
        for k, sentence in enumerate(split_sentences(text), start=1):
            h = anchored.get((table, rid, k))
            if h is None:
                out.append(f"{table} {rid}: sentence {k} has no anchor")
            elif h != sha(sentence):
                out.append(f"{table} {rid}: sentence {k} changed since it was anchored")
    return out


def hedge_problems(guide: GuideText, anchors: list[dict], texts: dict, exceptions: list[dict]) -> list[str]:
    """Every hedge or quantifier in a summary sentence's anchor sentences is in
    that summary sentence too, unless hedge_exceptions says why not."""
    excused = {(e["table"], e["row_id"], int(e["summary_sentence"]), e["word"]) for e in exceptions}
    needed: dict[tuple, set[str]] = {}
    for a in anchors:
        s = guide.sentence(a["section"], int(a["paragraph"]), int(a["sentence"]))
        key = (a["table"], a["row_id"], int(a["summary_sentence"]))
        needed.setdefault(key, set()).update(w.lower() for w in HEDGE_RE.findall(s.text if s else ""))
    out = []
    for (table, rid, k), words in sorted(needed.items()):
        sentences = split_sentences(texts.get((table, rid), ""))
        have = {w.lower() for w in HEDGE_RE.findall(sentences[k - 1])} if k <= len(sentences) else set()
        for w in sorted(words - have):
            if (table, rid, k, w) not in excused:
                out.append(f"{table} {rid} sentence {k}: the guide says {w!r}, the summary does not")
    return out


def words(text: str) -> list[str]:
    """The words of a text for the verbatim-run rule: whitespace-normalised,
    lower-cased, with punctuation stripped from either end of each word.

    >>> words("Care – for 'patients', carers’  and  the UK.")
    ['care', 'for', 'patients', 'carers', 'and', 'the', 'uk']
    """
    text = text.replace("\u2018", "'").replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    return [w for w in (t.strip(EDGE_PUNCTUATION) for t in text.lower().split()) if w]


def verbatim_run_problems(guide_text: str, texts: dict[tuple[str, str], str], limit: int = MAX_SHARED_RUN) -> list[str]:
    """Summaries that share a run of more than ``limit`` consecutive words with
    the guide (runs may cross the summary's or the guide's sentence ends)."""
    guide = " " + " ".join(words(guide_text)) + " "
    out = []
    for (table, rid), text in sorted(texts.items()):
        w = words(text)
        i, longest = 0, []
        while i + limit < len(w):
            n = limit + 1
            if " " + " ".join(w[i:i + n]) + " " in guide:
                while i + n < len(w) and " " + " ".join(w[i:i + n + 1]) + " " in guide:
                    n += 1
                if n > len(longest):
                    longest = w[i:i + n]
            i += 1
        if longest:
            out.append(f"{table} {rid}: shares a run of {len(longest)} words with the guide: {' '.join(longest)!r}")
    return out


# -- on the shipped data --------------------------------------------------------

def test_every_anchor_resolves_to_exactly_one_sentence_with_its_hash(guide):
    anchors = rows("summary_anchors")
    assert len(anchors) > 100
    assert anchor_problems(guide, anchors) == []


def test_every_summary_sentence_is_anchored():
    assert coverage_problems(rows("summary_anchors"), summaries()) == []


def test_summaries_keep_the_hedges_of_their_anchor_sentences(guide):
    assert hedge_problems(guide, rows("summary_anchors"), summaries(), rows("hedge_exceptions")) == []


def test_every_hedge_exception_is_needed(guide):
    """An exception that excuses nothing is stale: remove it."""
    exceptions = rows("hedge_exceptions")
    everything = hedge_problems(guide, rows("summary_anchors"), summaries(), [])
    for e in exceptions:
        assert f"{e['table']} {e['row_id']} sentence {e['summary_sentence']}: the guide says {e['word']!r}, the summary does not" in everything


def test_the_package_carries_at_most_30_percent_of_the_guide_verbatim(guide_text_path):
    cells = [c for p in sorted(DATA.glob("*.csv")) for row in csv.reader(open(p, encoding="utf-8")) for c in row]
    share = verbatim_share(Path(guide_text_path).read_text(encoding="utf-8"), cells)
    assert 0.15 < share <= MAX_VERBATIM_SHARE, f"{share:.1%} of the guide's characters are carried verbatim"


def test_no_summary_copies_more_than_12_consecutive_words_of_the_guide(guide_text_path):
    guide_text = Path(guide_text_path).read_text(encoding="utf-8")
    assert verbatim_run_problems(guide_text, summaries()) == []


# -- planted defects: each check fails ------------------------------------------

def test_a_wrong_hash_or_position_is_caught(guide):
    good = rows("summary_anchors")[0]
    bad_hash = dict(good, sentence_sha256="0" * 64)
    other = dict(good, sentence=str(int(good["sentence"]) + 1))  # the next sentence: its hash differs
    nowhere = dict(good, paragraph="59")
    assert anchor_problems(guide, [bad_hash]) == [
        f"summary_anchors row 2: hash differs from that of sentence ('{good['section']}', {int(good['paragraph'])}, {int(good['sentence'])})"]
    assert len(anchor_problems(guide, [other])) == 1
    assert anchor_problems(guide, [nowhere]) == [f"summary_anchors row 2: no sentence ('{good['section']}', 59, {int(good['sentence'])}) in the guide"]


def test_an_unanchored_or_edited_summary_sentence_is_caught():
    texts = summaries()
    anchors = rows("summary_anchors")
    key = ("benefits", "improved-safety")
    edited = {**texts, key: texts[key] + " It always works."}
    n = len(split_sentences(texts[key]))
    assert coverage_problems(anchors, edited) == [f"benefits improved-safety: sentence {n + 1} has no anchor"]
    reworded = {**texts, key: texts[key].replace("Front-line teams", "All teams", 1)}
    assert coverage_problems(anchors, reworded) == ["benefits improved-safety: sentence 1 changed since it was anchored"]


def test_a_dropped_hedge_is_caught_unless_excused(guide):
    texts = summaries()
    key = ("benefits", "improved-safety")  # sentence 1: 'Front-line teams can use improvement methods ...'
    assert " can " in split_sentences(texts[key])[0]
    dropped = {**texts, key: texts[key].replace("teams can use", "teams use", 1)}
    anchors, exceptions = rows("summary_anchors"), rows("hedge_exceptions")
    assert hedge_problems(guide, anchors, dropped, exceptions) == [
        "benefits improved-safety sentence 1: the guide says 'can', the summary does not"]
    excuse = dict(table="benefits", row_id="improved-safety", summary_sentence="1", word="can", reason="planted")
    assert hedge_problems(guide, anchors, dropped, [*exceptions, excuse]) == []


def test_a_copied_13_word_run_is_caught_and_a_12_word_run_is_not(guide_text_path):
    guide_text = Path(guide_text_path).read_text(encoding="utf-8")
    # from the guide, section 5: 'The consistent application of improvement methods such as lean has been shown to deliver ...'
    run13 = "the consistent application of improvement methods such as lean has been shown to"
    assert "The consistent application of improvement methods such as lean has been shown to deliver" in guide_text
    key = ("benefits", "planted")
    planted = {key: f"Our summary: {run13} help."}
    assert verbatim_run_problems(guide_text, planted) == [
        f"benefits planted: shares a run of 13 words with the guide: {run13!r}"]
    # case, commas and quotation marks do not hide the copy; the run is extended to its full length
    disguised = {key: "THE Consistent application, of improvement methods ‘such as lean’ has been shown to deliver a more."}
    assert verbatim_run_problems(guide_text, disguised) == [
        f"benefits planted: shares a run of 16 words with the guide: {run13 + ' deliver a more'!r}"]
    twelve = " ".join(run13.split()[1:])
    assert len(twelve.split()) == 12
    assert verbatim_run_problems(guide_text, {key: f"Our summary: {twelve}; then our own words."}) == []
    # a run that crosses the guide's sentence end is still a copy
    across = "more efficient use of staff time and resources. For example, the five English NHS trusts"
    assert verbatim_run_problems(guide_text, {key: across})[0].startswith("benefits planted: shares a run of 15 words")


def test_the_verbatim_share_fails_above_the_limit(guide_text_path):
    text = Path(guide_text_path).read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n\n") if len(p.split()) > 40]
    assert verbatim_share(text, paragraphs) > MAX_VERBATIM_SHARE  # copying the long paragraphs would fail the test
    assert verbatim_share(text, ["A guide to making the case for improvement"]) < 0.01


# -- the guide's record and published text ---------------------------------------

def test_the_guide_record_names_the_authors_on_its_title_page(guide_text_path):
    title_page = Path(guide_text_path).read_text(encoding="utf-8").split("\n")[:4]
    assert "Bryan Jones, Penny Pereira" in title_page
    guide_row = next(r for r in rows("sources") if r["source_type"] == "guide")
    assert guide_row["authors"] == "Jones B, Pereira P"


PROCESS_TALK = re.compile(
    r"research note|reference copy|this session|seen during|re-?seen|re-?confirmed|re-?checked|in a search\b|"
    r"the curators?'? (?:notes|working)|working notes?|candidate-sources|no longer relied|cited before",
    re.IGNORECASE,
)


def process_talk(cells) -> list[str]:
    return [c for c in cells if isinstance(c, str) and PROCESS_TALK.search(c)]


def test_published_text_speaks_to_readers():
    """No cell refers to internal working material or to when and how the
    curators worked; it says what was searched and seen instead."""
    cells = [f"{p.name}: {c}" for p in sorted(DATA.glob("*.csv")) for row in csv.reader(open(p, encoding="utf-8")) for c in row]
    assert process_talk(cells) == []


def test_process_talk_is_caught():
    planted = ["Volume (16 per the research note) was not re-confirmed.", "Seen this session on the publisher page.",
               "Authors per the project's reference copy.", "Figure seen during the audit."]
    assert process_talk(planted) == planted
    assert process_talk(["Seen on 2026-12-01 at https://example.org/page."]) == []


def test_co_production_is_encoded_like_the_parallel_approaches():
    """The benefit heading names co-production; like shared decision making,
    experience-based codesign and person-and-family-centred care it is an
    example and an approach, with a verbatim quote (checked in test_provenance)."""
    for example in ("co-production", "shared-decision-making", "experience-based-co-design", "person-and-family-centred-care"):
        assert any(r["example_id"] == example and r["benefit_id"] == "care-experiences" for r in rows("example_benefits")), example
        assert any(r["example_id"] == example for r in rows("example_approaches")), example
    assert normalise("coproduction of health care services") in normalise(
        next(r["quote"] for r in rows("example_benefits") if r["example_id"] == "co-production"))


def test_the_hash_example_in_methods_runs_as_written(guide):
    import shutil
    import subprocess

    doc = (ROOT / "docs" / "methods.md").read_text(encoding="utf-8")
    m = re.search(r"```sh\n\s*(printf '%s' '([^']+)' \| sha256sum)\n\s*```\s*\n\s*prints `([0-9a-f]{64})`", doc)
    assert m, "the worked example in docs/methods.md ('Sentence anchors') is missing"
    command, text, printed = m.groups()
    assert guide.sentence("4", 8, 1).text == text
    assert sha(text) == printed
    if shutil.which("sha256sum"):
        out = subprocess.run(["sh", "-c", command], capture_output=True, text=True, check=True).stdout
        assert out.split()[0] == printed


def test_the_curators_anchor_tool_agrees_with_these_checks():
    """tools/anchors.py (what a curator runs after editing a summary) finds
    nothing to do on the shipped data, as the checks above find nothing."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, str(ROOT / "tools" / "anchors.py"), "check"], capture_output=True, text=True)
    assert (done.returncode, done.stdout.strip()) == (0, "every summary sentence is anchored and unchanged")
