"""Pages about the project rather than the evidence: cite, command line, changelog."""

from __future__ import annotations

import argparse
import contextlib
import os
import re
from pathlib import Path

from .markup import BANNER, esc
from .read import ROOT, Package


def cite_page(pkg: Package) -> str:
    """How to cite this version: the recommended citation as wrapped text with a
    copy button beneath it, the version and content hash on their own lines,
    then every other format the package writes."""
    apa = pkg.cite("apa").strip()
    dataset, _, guide = apa.partition("\n\n")
    guide = guide.split("\n\n", 1)[-1] if "\n\n" in guide else guide
    out = [
        BANNER,
        "# Cite\n",
        f"Cite the exact version you used, and cite the guide as well: the figures and quotes are its "
        f"authors' ({' and '.join(pkg.guide_authors)}).\n",
        f'<p class="ie-version">Version <strong>{esc(pkg.version)}</strong></p>\n'
        f'<p class="ie-version">Content hash <code class="ie-hash">{esc(pkg.content_hash)}</code></p>\n',
        "## Recommended citation\n",
        '<div class="ie-cite">'
        f'<p class="ie-cite__text" id="cite-dataset">{esc(dataset)}</p>'
        '<button class="ie-copy md-button" type="button" data-copy="cite-dataset">Copy citation</button></div>\n',
        "and the guide:\n",
        '<div class="ie-cite">'
        f'<p class="ie-cite__text" id="cite-guide">{esc(guide.strip())}</p>'
        '<button class="ie-copy md-button" type="button" data-copy="cite-guide">Copy citation</button></div>\n',
        "The same text comes from `improvement-evidence cite` or `improvement_evidence.cite()`. To cite one "
        "benefit or example with the guide's page and its primary source, use the citation at the foot of its page "
        "([benefits](benefits/index.md), [examples](examples/index.md)).\n",
        "## Other formats\n",
        "From `improvement-evidence cite --format FORMAT` or `improvement_evidence.cite(format=...)`.\n",
    ]
    # Wrapped, with room for the copy button, so no line runs off a phone's screen.
    out.append('<div class="ie-formats" markdown>\n')
    for title, fmt, lang in (("BibTeX", "bibtex", "bibtex"), ("RIS", "ris", "text"),
                             ("CSL-JSON", "csl-json", "json"), ("CFF", "cff", "yaml")):
        text = pkg.cite(fmt).rstrip("\n")
        out.append(f"### {title}\n\n```{lang}\n{text}\n```\n")
    out.append("</div>\n")
    return "\n".join(out)


@contextlib.contextmanager
def _fixed_terminal():
    # argparse wraps help to the terminal width: pin it so the page is the same everywhere.
    saved = {k: os.environ.get(k) for k in ("COLUMNS", "NO_COLOR")}
    os.environ["COLUMNS"], os.environ["NO_COLOR"] = "88", "1"
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def cli_page() -> str:
    """The CLI reference: the ``--help`` of the command and of each verb."""
    from improvement_evidence import cli

    with _fixed_terminal():
        parser = cli.build_parser()
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        out = [BANNER, "# Command line\n",
               f"`{cli.PROG}` (or `python -m improvement_evidence`) is installed with the package. "
               "Every section below is the command's own `--help`. Expected failures print one message "
               "naming the file, row and field, and exit non-zero; no traceback.\n",
               f"```text\n$ {cli.PROG} --help\n{parser.format_help().rstrip()}\n```\n"]
        for name in cli.COMMANDS:
            if name not in sub.choices:
                continue
            out.append(f"## {cli.PROG} {name}\n\n```text\n$ {cli.PROG} {name} --help\n{sub.choices[name].format_help().rstrip()}\n```\n")
    return "\n".join(out)


def repo_links(markdown: str, homepage: str) -> str:
    """Rewrite links in a repository-root Markdown file for the site: ``docs/x.md``
    becomes ``x.md``; other repository files point at the repository.

    Examples:
        >>> repo_links("[policy](docs/versioning.md), [errata](ERRATA.md), [web](https://x.org)", "https://h")
        '[policy](versioning.md), [errata](https://h/blob/main/ERRATA.md), [web](https://x.org)'
    """
    def fix(target: str) -> str:
        if re.match(r"^(?:[a-z][a-z0-9+.-]*:|#)", target):
            return target
        if target.startswith("docs/"):
            return target[len("docs/"):]
        return f"{homepage.rstrip('/')}/blob/main/{target}"

    markdown = re.sub(r"\]\(([^)\s]+)\)", lambda m: f"]({fix(m.group(1))})", markdown)
    return re.sub(r"(?m)^(\[[^\]]+\]:\s*)(\S+)", lambda m: m.group(1) + fix(m.group(2)), markdown)


def changelog_page(pkg: Package, root: Path = ROOT) -> str:
    """CHANGELOG.md as a page, its repository links rewritten for the site."""
    path = root / "CHANGELOG.md"
    if not path.is_file():
        return BANNER + "# Changelog\n\nNo CHANGELOG.md yet.\n"
    return BANNER + repo_links(path.read_text(encoding="utf-8"), pkg.descriptor.get("homepage", ""))
