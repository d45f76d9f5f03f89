"""Trace rows back to the guide: find quotes and place them on a page.

The guide's text is © The Health Foundation and is not shipped. Give its path
with ``IMPROVEMENT_EVIDENCE_SOURCE_TEXT`` (or ``source_text=``); in a checkout
beside ``shared/`` it is found at ``../shared/source/``.

Page locators follow rules documented in docs/methods.md:

* a section starts on the page the guide's contents list gives it;
* a blank line that splits a sentence (the line before does not end a
  sentence and the next starts in lower case) is a page break;
* where a section spans more pages than its visible breaks explain, the
  missing breaks are placed by word count (the median words on a page whose
  both ends are known), snapped to the nearest paragraph boundary, and rows
  in that stretch are marked ``estimated``.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = [
    "GuideText", "Locator", "Sentence", "SOURCE_TEXT_ENV", "find_source_text", "normalise",
    "sentence_hash", "split_sentences", "index_sentences", "quoted_spans", "verbatim_share",
]

SOURCE_TEXT_ENV = "IMPROVEMENT_EVIDENCE_SOURCE_TEXT"
_DEFAULT_RELATIVE = Path("shared") / "source" / "making-the-case-for-improvement.txt"
_WS = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Collapse every run of whitespace to one space and strip the ends (nothing else)."""
    return _WS.sub(" ", text).strip()


# -- sentence index -------------------------------------------------------
#
# The rule, also set out in docs/methods.md ("Sentence anchors") so that
# anyone holding the guide can check an anchor without this code:
#
# * the body starts at the heading line "1. Introduction" after the contents
#   list; the title, authors and contents list are not indexed;
# * a section starts at its heading line ("3. The benefits of ..."), a line
#   that is a number and a title, the number being in the contents list;
#   the heading line itself is not a paragraph;
# * a paragraph is a chunk of lines between blank lines. A chunk that starts
#   with a lower-case letter continues the previous one (a page break fell
#   mid-sentence): the two are joined with a space. Benefit headings
#   ("Improved workplace culture") are paragraphs of one sentence;
#   paragraphs are numbered from 1 within each section;
# * a sentence ends at ".", "?" or "!" (optionally followed by a closing
#   quotation mark or bracket) followed by whitespace and then an upper-case
#   letter, a digit or an opening quotation mark — except after an
#   abbreviation in ABBREVIATIONS; a line break inside a paragraph (a list
#   item) also ends a sentence; sentences are numbered from 1 within each
#   paragraph;
# * a sentence's text is whitespace-normalised (``normalise``) and its hash
#   is the SHA-256 of that text encoded as UTF-8, in lower-case hex.

ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "cf.", "vs.", "U.S.", "U.K.", "Dr.", "St.", "No.", "al.")
_SENTENCE_END = re.compile(r"[.?!][\'\"\u2019\u201d)]?(?=\s+[A-Z0-9\'\"\u2018\u201c(])")


@dataclass(frozen=True)
class Sentence:
    """One sentence of the guide, by position: section, paragraph, sentence."""

    section: str
    paragraph: int
    sentence: int
    text: str

    @property
    def sha256(self) -> str:
        return sentence_hash(self.text)


def sentence_hash(text: str) -> str:
    r"""SHA-256 (hex) of the whitespace-normalised text, encoded as UTF-8.

    Examples:
        >>> sentence_hash("Omega.") == sentence_hash(" Omega.\n")
        True
        >>> sentence_hash("Omega.") == hashlib.sha256(b"Omega.").hexdigest()
        True
    """
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def split_sentences(text: str) -> list[str]:
    r"""Split one paragraph into sentences by the documented rule.

    Examples:
        >>> split_sentences("It fell by 91%. In the US, meanwhile, costs rose.")
        ['It fell by 91%.', 'In the US, meanwhile, costs rose.']
        >>> split_sentences("Savings of over £14.2m in 2019/20, e.g. Leeds. Next one.")
        ['Savings of over £14.2m in 2019/20, e.g. Leeds.', 'Next one.']
        >>> split_sentences("- first item\n- second item")
        ['- first item', '- second item']
    """
    out: list[str] = []
    for line in text.split("\n"):
        line = normalise(line)
        if not line:
            continue
        start = 0
        for m in _SENTENCE_END.finditer(line):
            head = line[start:m.end()]
            if any(head.endswith(" " + a) or head == a or head.endswith("(" + a) for a in ABBREVIATIONS):
                continue
            out.append(head.strip())
            start = m.end()
        tail = line[start:].strip()
        if tail:
            out.append(tail)
    return out


def index_sentences(text: str) -> list[Sentence]:
    r"""Every sentence of the guide's body with its (section, paragraph,
    sentence) position, by the rule above.

    Examples:
        >>> toy = "T\n\n1.\tIntro\t3\n\n1. Intro\n\nA b. C d\n\ne f.\n\nHead\n"
        >>> [(s.section, s.paragraph, s.sentence, s.text) for s in index_sentences(toy)]
        [('1', 1, 1, 'A b.'), ('1', 1, 2, 'C d e f.'), ('1', 2, 1, 'Head')]
    """
    lines = text.split("\n")
    contents = {m.group(1) for line in lines if (m := _CONTENTS_RE.match(line.strip("\r")))}
    section: str | None = None
    paragraphs: list[tuple[str, list[str]]] = []  # (section, lines)
    chunk: list[str] = []

    def flush() -> None:
        if chunk and section is not None:
            if chunk[0][:1].islower() and paragraphs and paragraphs[-1][0] == section:
                paragraphs[-1][1][-1] += " " + chunk[0]
                paragraphs[-1][1].extend(chunk[1:])
            else:
                paragraphs.append((section, list(chunk)))
        chunk.clear()

    for line in lines:
        s = line.strip()
        m = _SECTION_RE.match(s)
        if m and not _CONTENTS_RE.match(line) and m.group(1) in contents and (section is not None or m.group(1) == "1"):
            flush()
            section = m.group(1)
            continue
        if not s:
            flush()
            continue
        chunk.append(s)
    flush()
    out: list[Sentence] = []
    counter: dict[str, int] = {}
    for sec, para_lines in paragraphs:
        counter[sec] = counter.get(sec, 0) + 1
        for k, sent in enumerate(split_sentences("\n".join(para_lines)), start=1):
            out.append(Sentence(sec, counter[sec], k, sent))
    return out


_QUOTED = re.compile(r"'([^']{3,}?)'(?=[\s,.;:)]|$)|\u2018([^\u2019]+)\u2019|\"([^\"]+)\"|\u201c([^\u201d]+)\u201d")


def quoted_spans(cell: str) -> list[str]:
    r"""The spans a cell quotes, between single, double or curly quotation marks.

    Examples:
        >>> quoted_spans("The heading 'Improved safety' and “a 2-year collaborative” (section 4).")
        ['Improved safety', 'a 2-year collaborative']
        >>> quoted_spans("staff's own words")
        []
    """
    return [next(g for g in m.groups() if g) for m in _QUOTED.finditer(cell)]


def verbatim_share(guide: str, cells, min_words: int = 3) -> float:
    r"""Share (0 to 1) of the guide's whitespace-normalised characters that
    the cells carry verbatim.

    Every cell, and every span a cell quotes (:func:`quoted_spans`), of at
    least ``min_words`` words is looked for in the normalised guide; every
    position of every occurrence is marked, and the share is the number of
    marked positions over the length of the normalised guide. Spans shorter
    than ``min_words`` (an identifier, a country, a bare word such as 'lean')
    are left out: they occur in the guide but do not carry its text.

    Examples:
        >>> verbatim_share("One two three four. Five six.", ["One", "Five six."])
        0.0
        >>> round(verbatim_share("One two three four. Five six.", ["two three four"]), 3)
        0.483
        >>> verbatim_share("a b c", ["it says 'a b c' here"])
        1.0
    """
    flat = normalise(guide)
    if not flat:
        return 0.0
    covered = bytearray(len(flat))
    seen: set[str] = set()
    for cell in cells:
        if not isinstance(cell, str):
            continue
        for span in [cell, *quoted_spans(cell)]:
            span = normalise(span)
            if len(span.split()) < min_words or span in seen:
                continue
            seen.add(span)
            i = flat.find(span)
            while i >= 0:
                covered[i:i + len(span)] = b"\x01" * len(span)
                i = flat.find(span, i + 1)
    return sum(covered) / len(flat)


def find_source_text(explicit: Path | str | None = None) -> Path | None:
    """Locate the guide's text: ``explicit``, then the environment variable,
    then ``shared/source/`` beside or above the current directory or this
    checkout. Returns None when it is not found."""
    candidates: list[Path] = []
    if explicit is not None:
        return Path(explicit) if Path(explicit).is_file() else None
    if os.environ.get(SOURCE_TEXT_ENV):
        candidates.append(Path(os.environ[SOURCE_TEXT_ENV]))
    for base in (Path.cwd(), Path(__file__).resolve()):
        for parent in [base, *base.parents]:
            candidates.append(parent / ".." / _DEFAULT_RELATIVE)
            candidates.append(parent / _DEFAULT_RELATIVE)
    for c in candidates:
        if c.is_file():
            return c.resolve()
    return None


@dataclass(frozen=True)
class Locator:
    section: str
    page: int
    page_end: int
    page_basis: str  # contents | page-break | estimated


_SECTION_RE = re.compile(r"^(\d)\.\s+(\S.*)$")
_CONTENTS_RE = re.compile(r"^(\d)\.\t(.+)\t(\d+)$")


class GuideText:
    """The guide's text with whitespace-normalised search and page locators."""

    def __init__(self, text: str):
        self.raw = text
        self.flat = normalise(text)
        self._build()

    @classmethod
    def from_path(cls, path: Path | str) -> "GuideText":
        return _cached(str(Path(path).resolve()))

    # -- searching -----------------------------------------------------
    def count(self, span: str) -> int:
        """How many times ``span`` occurs in the body of the guide (after the
        contents list), whitespace-normalised."""
        needle = normalise(span)
        if not needle:
            return 0
        return self.flat.count(needle, self._body_start)

    def contains(self, span: str) -> bool:
        return self.count(span) > 0

    # -- sentences -----------------------------------------------------
    @property
    def sentences(self) -> list[Sentence]:
        """The sentence index of the guide (see :func:`index_sentences`)."""
        if not hasattr(self, "_sentences"):
            self._sentences = index_sentences(self.raw)
        return self._sentences

    def sentence(self, section: str, paragraph: int, sentence: int) -> Sentence | None:
        """The sentence at that position, or None when there is none."""
        if not hasattr(self, "_by_pos"):
            self._by_pos = {(s.section, s.paragraph, s.sentence): s for s in self.sentences}
        return self._by_pos.get((str(section), int(paragraph), int(sentence)))

    # -- locating ------------------------------------------------------
    def _build(self) -> None:
        lines = self.raw.split("\n")
        contents: dict[str, int] = {}
        for line in lines:
            m = _CONTENTS_RE.match(line.strip("\r"))
            if m:
                contents[m.group(1)] = int(m.group(3))
        self.contents = contents
        # Word offsets (in the flat text) of section starts and paragraphs.
        words_before = 0
        self._sections: list[tuple[int, str]] = []  # (word offset, section number)
        self._heading_spans: list[tuple[int, int]] = []  # word spans of section headings
        self._paragraph_starts: list[int] = []
        self._breaks: list[int] = []  # word offsets where a visible page break falls
        seen_body = False
        prev_text = ""
        blank_run = False
        for line in lines:
            s = line.strip()
            if not s:
                blank_run = True
                continue
            m = _SECTION_RE.match(s)
            if m and not _CONTENTS_RE.match(line) and m.group(1) in contents and (seen_body or m.group(1) == "1"):
                seen_body = True
                self._sections.append((words_before, m.group(1)))
                self._heading_spans.append((words_before, words_before + len(s.split())))
            if blank_run and prev_text:
                self._paragraph_starts.append(words_before)
                if not re.search(r"[.:?!)\u201d\"']\s*$", prev_text) and s[:1].islower():
                    self._breaks.append(words_before)
            words_before += len(s.split())
            prev_text = s
            blank_run = False
        self._total_words = words_before
        # Character offset in the flat text where the body (section 1) starts,
        # so that headings are found in the body, not in the contents list.
        first = self._sections[0][0] if self._sections else 0
        self._body_start = len(" ".join(self.flat.split(" ")[:first])) + (1 if first else 0)
        self._page_starts = self._compute_page_starts()

    def _compute_page_starts(self) -> list[tuple[int, int, str]]:
        """Sorted list of (word offset, page, basis) where a page begins."""
        secs = self._sections
        starts: list[tuple[int, int, str]] = []
        # words per page measured on pages whose both ends are known
        full = []
        for i, (o, num) in enumerate(secs):
            end = secs[i + 1][0] if i + 1 < len(secs) else self._total_words
            inner = [b for b in self._breaks if o < b < end]
            edges = [o, *inner]
            for a, b in zip(edges, inner):
                full.append(b - a)
        full.sort()
        per_page = full[len(full) // 2] if full else 500
        self.words_per_page = per_page
        for i, (o, num) in enumerate(secs):
            end = secs[i + 1][0] if i + 1 < len(secs) else self._total_words
            first = self.contents[num]
            next_first = self.contents.get(str(int(num) + 1), first + 1) if i + 1 < len(secs) else first + 1
            n_pages = max(1, next_first - first)
            inner = [b for b in self._breaks if o < b < end]
            missing = n_pages - 1 - len(inner)
            starts.append((o, first, "contents"))
            segments = list(zip([o, *inner], [*inner, end]))
            estimated: dict[int, list[int]] = {}
            while missing > 0:
                # the longest segment (in words per page already given it) takes the next break
                seg = max(segments, key=lambda ab: (ab[1] - ab[0]) / (len(estimated.get(ab[0], [])) + 1))
                estimated.setdefault(seg[0], []).append(0)
                missing -= 1
            page = first
            for a, b in segments:
                if a != o:
                    page += 1
                    starts.append((a, page, "page-break"))
                k = len(estimated.get(a, []))
                for j in range(1, k + 1):
                    target = a + j * per_page
                    paras = [p for p in self._paragraph_starts if a < p < b]
                    snap = min(paras, key=lambda p: abs(p - target)) if paras else target
                    page += 1
                    starts.append((snap, page, "estimated"))
            self._estimated_segments = getattr(self, "_estimated_segments", []) + [
                (a, b) for a, b in segments if estimated.get(a)
            ]
        starts.sort()
        return starts

    def _word_offset(self, span: str) -> tuple[int, int]:
        needle = normalise(span)
        idx = self.flat.find(needle, self._body_start) if needle else -1
        if idx < 0:
            raise LookupError(f"span not found in the guide: {span[:80]!r}")
        start = len(self.flat[:idx].split())
        return start, start + len(needle.split())

    def locate(self, span: str) -> Locator:
        """Section and page of the first occurrence of ``span``."""
        w0, w1 = self._word_offset(span)
        section = "1"
        for o, num in self._sections:
            if o <= w0:
                section = num
        page, basis = self._page_at(w0)
        page_end, _ = self._page_at(max(w0, w1 - 1))
        at_section_start = any(a <= w0 < b for a, b in self._heading_spans)
        if not at_section_start and any(a <= w0 < b for a, b in self._estimated_segments):
            # in a stretch whose page break had to be placed by word count
            basis = "estimated"
        return Locator(section, page, page_end, basis)

    def _page_at(self, w: int) -> tuple[int, str]:
        page, basis = self.contents.get("1", 1), "contents"
        for o, p, b in self._page_starts:
            if o <= w:
                page, basis = p, b
        return page, basis


@lru_cache(maxsize=4)
def _cached(path: str) -> GuideText:
    return GuideText(Path(path).read_text(encoding="utf-8"))
