"""The documentation site's generator: pages about the data, made from the data.

``mkdocs build`` runs it (``hooks.py``, named in ``mkdocs.yml``): every page
about the data, every download and the nav entries that list them are made
in memory at build time and never committed, so a built site cannot be stale.
``python tools/gen_docs.py --out DIR`` writes the same pages to a folder for
reading.

One module per page family, and one module (:mod:`docs_build.read`) through
which all of them read the package:

* :mod:`docs_build.read`: the package as the site sees it (public API only);
* :mod:`docs_build.markup`: escaping, links between pages, tables, figure cards;
* :mod:`docs_build.evidence_pages`: a page per benefit and per example;
* :mod:`docs_build.evidence_map`: the clickable evidence map and its figure;
* :mod:`docs_build.table_pages`: the data dictionary and a page per table;
* :mod:`docs_build.downloads`: the files the site serves, and their page;
* :mod:`docs_build.project_pages`: cite, command line, changelog;
* :mod:`docs_build.make_the_case`: the audience briefs, when the package has them;
* :mod:`docs_build.build`: everything above, as one :class:`~docs_build.build.Site`.
"""
