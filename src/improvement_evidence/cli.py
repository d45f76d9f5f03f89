"""The ``improvement-evidence`` command line.

Each verb lives in its own module under :mod:`improvement_evidence.commands`
with ``register(subparsers)`` and ``run(args) -> int``. Bad input never
produces a traceback: expected failures exit 1 (invalid data) or 2 (usage,
unreadable input) with a message naming the file, row and field.
"""

from __future__ import annotations

import argparse
import importlib
import sys

__all__ = ["main", "build_parser", "COMMANDS"]

# Order here is the order in --help and in the CLI reference page.
COMMANDS = ["info", "show", "validate", "verify", "cite", "export", "diff", "brief"]

PROG = "improvement-evidence"


class CliError(Exception):
    """An expected failure: printed as one message, exit code 2."""


def _module(name: str):
    return importlib.import_module(f"improvement_evidence.commands.{name}")


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(
        prog=PROG,
        description="The case for improvement in health and care, as a versioned, citable data package.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            mod = _module(name)
        except ModuleNotFoundError as exc:  # a verb still being built
            if exc.name != f"improvement_evidence.commands.{name}":
                raise
            continue
        p = mod.register(sub)
        p.set_defaults(_run=mod.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    try:
        return int(args._run(args) or 0)
    except CliError as exc:
        print(f"{PROG} {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `| head`
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
