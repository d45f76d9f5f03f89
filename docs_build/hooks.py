"""mkdocs hooks (named in mkdocs.yml): generate the data pages and downloads on every build.

* ``on_config``: build the :class:`~docs_build.build.Site` (pages, downloads,
  briefs) in a scratch folder and expand the generated families in the nav;
* ``on_files``: add the generated pages and downloads to the build; a
  generated page that is also committed under ``docs/`` fails the build, since
  that copy would go stale;
* ``on_page_content``: plain code for Sphinx roles left in docstrings;
* ``on_post_build``: copy the briefs into the site; remove the scratch folder.
"""

from __future__ import annotations

import logging
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from docs_build.build import Site, build, expand_nav  # noqa: E402

log = logging.getLogger("mkdocs.plugins.docs_build")
_state: dict = {}


def on_config(config, **kwargs):
    workdir = Path(tempfile.mkdtemp(prefix="ie-site-"))
    site: Site = build(workdir)
    _state.update(site=site, workdir=workdir)
    config["nav"] = expand_nav(config["nav"], site)
    return config


def on_files(files, config, **kwargs):
    from mkdocs.structure.files import File

    site: Site = _state["site"]
    for rel, text in site.pages.items():
        if files.get_file_from_path(rel) is not None:
            log.error(f"docs/{rel} is generated at build time from the data; delete the committed copy (git rm docs/{rel})")
            files.remove(files.get_file_from_path(rel))
        files.append(File.generated(config, rel, content=text))
    for rel, path in site.files.items():
        files.append(File.generated(config, rel, abs_src_path=str(path)))
    return files


def on_page_content(html, page, config, files, **kwargs):
    from docs_build.api_page import plain_roles

    return plain_roles(html)


def on_post_build(config, **kwargs):
    site: Site = _state["site"]
    out = Path(config["site_dir"])
    for rel, path in site.copies.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, out / rel)
    shutil.rmtree(_state.pop("workdir"), ignore_errors=True)
