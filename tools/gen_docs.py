"""Write the site's generated pages and downloads to a folder, or check docs/.

    python tools/gen_docs.py --out DIR   # write every generated page and download under DIR
    python tools/gen_docs.py --check     # exit 1 if docs/ holds a committed copy of a generated page

The pages about the data are generated on every ``mkdocs build`` by the hook
in ``docs_build/hooks.py`` (the generator itself is the ``docs_build``
package); nothing generated is committed, so there is nothing to regenerate
after a data change: build the site (``mkdocs build --strict``). This tool is
for reading the generated Markdown without building, and for the check that
no stale copy of a generated page sits in docs/ (the build refuses one too).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from docs_build.build import build  # noqa: E402


def committed_copies(docs: Path, generated: list[str]) -> list[Path]:
    """Files under ``docs`` that the build generates (they would shadow or go stale)."""
    return sorted(docs / rel for rel in generated if (docs / rel).exists())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--package", type=Path, default=ROOT, help="folder of the data package (default: the repository root)")
    ap.add_argument("--docs", type=Path, default=ROOT / "docs", help="docs folder to check (default: docs/)")
    ap.add_argument("--out", type=Path, help="write the generated pages and downloads under this folder")
    ap.add_argument("--check", action="store_true", help="exit 1 and list committed copies of generated pages in docs/")
    args = ap.parse_args(argv)
    if not args.out and not args.check:
        ap.error("give --out DIR, --check, or both")
    with tempfile.TemporaryDirectory(prefix="ie-site-") as work:
        site = build(Path(work), args.package)
        generated = [*site.pages, *site.files]
        if args.out:
            for rel, text in site.pages.items():
                target = args.out / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8", newline="\n")
            for rel, path in [*site.files.items(), *site.copies.items()]:
                target = args.out / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
            print(f"gen_docs: {len(site.pages)} pages and {len(site.files) + len(site.copies)} files written under {args.out}")
    if args.check:
        stale = committed_copies(args.docs, generated)
        for p in stale:
            print(f"stale: {p} is generated at build time; delete it (git rm {p})", file=sys.stderr)
        return 1 if stale else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
