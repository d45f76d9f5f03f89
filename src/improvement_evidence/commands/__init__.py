"""One module per CLI verb: ``register(subparsers)`` and ``run(args) -> int``.

Command modules import nothing from :mod:`improvement_evidence.cli` (which
imports them); what they share is here. A verb raises an
:class:`~improvement_evidence.errors.ImprovementEvidenceError` for an
expected failure and lets ``cli.main`` print it.
"""

from __future__ import annotations

import argparse

from ..errors import UsageError

__all__ = ["add_path_option", "package_arg"]

PATH_HELP = "a datapackage.json or the folder holding it (default: the installed package)"


def add_path_option(parser: argparse.ArgumentParser, *, positional: bool = False) -> None:
    """The one way to name a package: ``--path PKG`` (and, for the verbs that
    always had it, an optional positional ``PATH`` meaning the same).

    Examples:
        >>> p = argparse.ArgumentParser()
        >>> add_path_option(p, positional=True)
        >>> package_arg(p.parse_args(["--path", "x"])), package_arg(p.parse_args(["x"]))
        ('x', 'x')
    """
    if positional:
        parser.add_argument("path_positional", nargs="?", default=None, metavar="PATH", help=f"{PATH_HELP}; same as --path")
    parser.add_argument("--path", default=None, metavar="PKG", help=PATH_HELP)


def package_arg(args) -> str | None:
    """The package the user named, from ``--path`` or the positional form.

    Raises:
        UsageError: both forms were given, naming different packages.
    """
    flag = getattr(args, "path", None)
    pos = getattr(args, "path_positional", None)
    if flag is not None and pos is not None and flag != pos:
        raise UsageError(f"two packages given ({pos!r} and --path {flag!r}); give one")
    return flag if flag is not None else pos
