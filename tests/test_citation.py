"""Citation: CITATION.cff, .zenodo.json and cite() in every format (issue 5)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml

import improvement_evidence as ie
from improvement_evidence.citation import FORMATS, CiteError, cite
from improvement_evidence.cli import main

from synthetic_package import HERE, MINI, ROOT, descriptor_of, mini_or_real
CFF_SCHEMA = json.loads((HERE / "data" / "cff-schema-1.2.0.json").read_text(encoding="utf-8"))


def expected_content_hash(pkg: Path) -> str:
    """Computed here, independently of improvement_evidence.integrity, from the definition."""
    res = descriptor_of(pkg)["resources"]
    text = "".join(f"{r['hash'].split(':', 1)[1]}  {r['path']}\n" for r in sorted(res, key=lambda r: r["path"]))
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture(params=["mini", "real"])
def pkg(request) -> Path:
    return mini_or_real(request.param)


# -- bibtex: a small structural parser (entries, keys, brace-balanced fields) --------------
def parse_bibtex(text: str) -> list[dict]:
    entries, i = [], 0
    while True:
        at = text.find("@", i)
        if at < 0:
            return entries
        brace = text.index("{", at)
        kind = text[at + 1:brace]
        comma = text.index(",", brace)
        entry = {"_type": kind, "_key": text[brace + 1:comma].strip()}
        j = comma + 1
        while True:
            while text[j] in " \n,":
                j += 1
            if text[j] == "}":
                break
            eq = text.index("=", j)
            name = text[j:eq].strip()
            k = text.index("{", eq)
            depth, m = 0, k
            while True:
                depth += {"{": 1, "}": -1}.get(text[m], 0)
                if text[m] == "{" and m > 0 and text[m - 1] == "\\":
                    depth -= 1
                if text[m] == "}" and text[m - 1] == "\\":
                    depth += 1
                if depth == 0:
                    break
                m += 1
            entry[name] = text[k + 1:m]
            j = m + 1
        entries.append(entry)
        i = j + 1


def parse_ris(text: str) -> list[list[tuple[str, str]]]:
    records, current = [], []
    for line in text.splitlines():
        if not line.strip():
            continue
        assert len(line) >= 6 and line[2:6] == "  - " and line[:2].isalnum() and line[:2].isupper(), f"not a RIS tag line: {line!r}"
        tag, value = line[:2], line[6:]
        if tag == "ER":
            records.append(current)
            current = []
        else:
            current.append((tag, value))
    assert current == [], "a record is not closed with ER"
    return records


# -- the repository's citation files --------------------------------------------------------------
def test_citation_cff_is_valid_cff_1_2_0():
    doc = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(CFF_SCHEMA).validate(doc)
    assert doc["cff-version"] == "1.2.0"
    assert doc["type"] == "dataset"


def test_citation_cff_version_is_the_package_version():
    doc = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert doc["version"] == descriptor_of(ROOT)["version"]


def test_citation_cff_references_the_guide_without_invented_identifiers():
    doc = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    (guide,) = [r for r in doc["references"] if r["title"] == "A guide to making the case for improvement"]
    assert guide["authors"] == [
        {"family-names": "Jones", "given-names": "Bryan"},
        {"family-names": "Pereira", "given-names": "Penny"},
    ]
    assert guide["publisher"] == {"name": "The Health Foundation"}
    assert "doi" not in guide and "year" not in guide
    assert "doi" not in doc


def test_citation_cff_is_what_cite_generates():
    # kept in step with datapackage.json: regenerate with `improvement-evidence cite --format cff --no-hash`
    assert (ROOT / "CITATION.cff").read_text(encoding="utf-8") == cite("cff", ROOT, content_hash=False)


def test_zenodo_json():
    z = json.loads((ROOT / ".zenodo.json").read_text(encoding="utf-8"))
    assert z["upload_type"] == "dataset"
    assert z["version"] == descriptor_of(ROOT)["version"]
    assert z["creators"] and all(c["name"] for c in z["creators"])
    assert z["license"] == "cc-by-4.0"
    assert any("Jones" in r and "Pereira" in r for r in z["references"])


# -- cite() in every format --------------------------------------------------------------
def test_every_format_names_version_hash_and_guide(pkg):
    version, chash = descriptor_of(pkg)["version"], expected_content_hash(pkg)
    for fmt in FORMATS:
        text = cite(fmt, pkg)
        assert version in text, fmt
        assert chash in text, fmt
        assert "A guide to making the case for improvement" in text, fmt
        assert "Pereira" in text, fmt


def test_apa(pkg):
    d = descriptor_of(pkg)
    dataset, note, guide = cite("apa", pkg).strip().split("\n\n")
    assert dataset.startswith(f"{d['contributors'][0]['title']}. ({d['created'][:4]}). {d['title']} (Version {d['version']}, content hash ")
    assert dataset.endswith(f"[Data set]. {d['homepage']}")
    assert "also cite the guide" in note
    assert guide == (
        "Jones, B., & Pereira, P. (n.d.). A guide to making the case for improvement. The Health Foundation. "
        "https://www.health.org.uk/publications/a-guide-to-making-the-case-for-improvement"
    )


def test_bibtex_has_two_entries(pkg):
    d = descriptor_of(pkg)
    data, guide = parse_bibtex(cite("bibtex", pkg))
    assert data["_type"] == "misc" and guide["_type"] == "misc"
    assert data["_key"] != guide["_key"]
    assert data["version"] == d["version"]
    assert data["year"] == d["created"][:4]
    assert data["title"] == "{" + d["title"] + "}"
    assert expected_content_hash(pkg) in data["note"]
    assert guide["author"] == "Jones, Bryan and Pereira, Penny"
    assert guide["title"] == "A guide to making the case for improvement"
    assert "year" not in guide and "doi" not in guide and "doi" not in data


def test_bibtex_escapes_special_characters(tmp_path):
    pkg = tmp_path / "pkg"
    shutil.copytree(MINI, pkg)
    d = descriptor_of(pkg)
    d["title"] = "Costs & savings: 50% of #1_cases"
    (pkg / "datapackage.json").write_text(json.dumps(d), encoding="utf-8")
    data, _ = parse_bibtex(cite("bibtex", pkg))
    assert data["title"] == r"{Costs \& savings: 50\% of \#1\_cases}"


def test_ris_has_two_records(pkg):
    d = descriptor_of(pkg)
    data, guide = parse_ris(cite("ris", pkg))
    tags = dict(data)
    assert data[0] == ("TY", "DATA")
    assert tags["ET"] == d["version"] and tags["PY"] == d["created"][:4] and tags["TI"] == d["title"]
    assert expected_content_hash(pkg) in tags["N1"]
    assert guide[0] == ("TY", "RPRT")
    assert [v for t, v in guide if t == "AU"] == ["Jones, Bryan", "Pereira, Penny"]
    assert ("PB", "The Health Foundation") in guide
    assert "PY" not in dict(guide) and "DO" not in dict(guide) and "DO" not in tags


def test_csl_json_is_a_list_of_two_items(pkg):
    d = descriptor_of(pkg)
    items = json.loads(cite("csl-json", pkg))
    assert isinstance(items, list) and len(items) == 2
    for item in items:
        assert {"id", "type", "title", "author"} <= set(item)
    data, guide = items
    assert data["type"] == "dataset" and data["version"] == d["version"]
    assert data["issued"] == {"date-parts": [[int(x) for x in d["created"][:10].split("-")]]}
    assert expected_content_hash(pkg) in data["note"]
    assert guide["type"] == "report"
    assert guide["author"] == [{"family": "Jones", "given": "Bryan"}, {"family": "Pereira", "given": "Penny"}]
    assert "issued" not in guide and "DOI" not in guide and "DOI" not in data


def test_cff_output_is_valid_and_carries_the_content_hash(pkg):
    doc = yaml.safe_load(cite("cff", pkg))
    jsonschema.Draft7Validator(CFF_SCHEMA).validate(doc)
    assert doc["version"] == descriptor_of(pkg)["version"]
    assert doc["identifiers"][0]["value"] == expected_content_hash(pkg)


@pytest.mark.parametrize("defect", ["no-authors", "bad-type", "bad-date"])
def test_cff_schema_catches_a_broken_file(defect):
    # the vendored schema really checks: each real defect is refused
    doc = yaml.safe_load(cite("cff", MINI))
    if defect == "no-authors":
        del doc["authors"]
    elif defect == "bad-type":
        doc["type"] = "data"
    else:
        doc["date-released"] = "27/11/2026"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(CFF_SCHEMA).validate(doc)


def test_cite_is_part_of_the_package_api():
    assert ie.cite is cite
    assert "cite" in ie.__all__


def test_default_is_the_installed_package():
    assert cite("bibtex") == cite("bibtex", ie.package_path())


def test_unknown_format_is_refused():
    with pytest.raises(CiteError, match="expected one of: apa, bibtex, ris, csl-json, cff"):
        cite("mla")


def test_cli_cite_prints_the_same_text(capsys):
    assert main(["cite", "--format", "ris", "--path", str(MINI)]) == 0
    assert capsys.readouterr().out == cite("ris", MINI)


def test_cli_cite_missing_package_is_a_clean_error(capsys, tmp_path):
    assert main(["cite", "--path", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err
    assert "nowhere" in err and "not found" in err and "Traceback" not in err
