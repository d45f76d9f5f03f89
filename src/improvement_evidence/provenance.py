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

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = ["GuideText", "Locator", "SOURCE_TEXT_ENV", "find_source_text", "normalise"]

SOURCE_TEXT_ENV = "IMPROVEMENT_EVIDENCE_SOURCE_TEXT"
_DEFAULT_RELATIVE = Path("shared") / "source" / "making-the-case-for-improvement.txt"
_WS = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Collapse every run of whitespace to one space and strip the ends (nothing else)."""
    return _WS.sub(" ", text).strip()


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
