"""A citation is escaped for its format: metadata cannot inject records,
entries or keys, and every output parses back to the same title."""

from __future__ import annotations

import json
import re

import pytest
import yaml

import hostile
from improvement_evidence.citation import cite

TITLE = 'Data}\nER  - \nTY  - JOUR\n@misc{evil, title={x}} 100% #1 $5 & _a_ ~ ^ \\end \u2028line "quoted"'
ONE_LINE = " ".join(TITLE.split())


@pytest.fixture
def pkg(tmp_path):
    root = hostile.write_base(tmp_path / "pkg")
    hostile.edit_descriptor(root, lambda d: d.update(title=TITLE, homepage="https://example.org/a{b}%20c"))
    return root


def test_ris_has_exactly_two_records_and_every_line_is_a_tag(pkg):
    text = cite("ris", pkg)
    lines = [line for line in text.splitlines() if line]
    assert all(re.match(r"^[A-Z][A-Z0-9]  - ", line) or line == "ER  - " for line in lines), lines
    assert sum(line.startswith("TY  - ") for line in lines) == 2
    assert sum(line == "ER  - " for line in lines) == 2
    assert f"TI  - {ONE_LINE}" in lines


def test_bibtex_has_two_entries_with_balanced_braces(pkg):
    text = cite("bibtex", pkg)
    assert len(re.findall(r"^@misc\{", text, re.M)) == 2
    unescaped = re.sub(r"\\[{}]", "", text)
    depth = 0
    for ch in unescaped:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        assert depth >= 0
    assert depth == 0
    assert "url = {https://example.org/a%7Bb%7D%2520c}" in text


def test_csl_json_round_trips(pkg):
    data = json.loads(cite("csl-json", pkg))
    assert data[0]["title"] == ONE_LINE


def test_cff_is_yaml_with_the_same_title(pkg):
    doc = yaml.safe_load(cite("cff", pkg))
    assert doc["title"] == ONE_LINE


def test_apa_is_one_paragraph_per_work(pkg):
    text = cite("apa", pkg)
    assert ONE_LINE in text and "\nER  - " not in text
