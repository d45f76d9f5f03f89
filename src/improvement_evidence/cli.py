"""The ``improvement-evidence`` command line.

Each verb lives in its own module under :mod:`improvement_evidence.commands`
with ``register(subparsers)`` and ``run(args) -> int``. Every verb reads a
package through :mod:`improvement_evidence.package`. Expected failures raise
an :class:`~improvement_evidence.errors.ImprovementEvidenceError`, which
:func:`main` catches once and prints as one line naming the file, row and
field; anything else is reported as an internal error, also in one line.
No input produces a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from .errors import CliError, ImprovementEvidenceError

__all__ = ["main", "build_parser", "COMMANDS", "EXIT_CODES", "CliError"]

# Order here is the order in --help and in the CLI reference page.
COMMANDS = ["info", "show", "validate", "verify", "cite", "export", "diff", "brief"]

PROG = "improvement-evidence"

# One table for every command (printed in --help, so docs/cli.md shows it).
EXIT_CODES = (
    (0, "success: the package is valid, the files match, the packages are identical, or the output was written"),
    (1, "a definite no: `validate` found problems, `verify` found changed files, `diff` found differences"),
    (2, "the command could not run: a usage error, or a package that is missing, unsafe, unreadable or does not "
        "load (one line names the file, row and field)"),
    (3, "internal error: a bug in improvement-evidence (one line says what failed; please report it)"),
    (130, "interrupted (Ctrl-C)"),
)


def _epilog() -> str:
    lines = ["exit status (every command):"]
    lines += [f"  {code:<4} {meaning}" for code, meaning in EXIT_CODES]
    lines.append("")
    lines.append("Every command that reads one package takes --path PKG (a datapackage.json or its folder; "
                 "default: the installed package).")
    return "\n".join(lines)


def _module(name: str):
    return importlib.import_module(f"improvement_evidence.commands.{name}")


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(
        prog=PROG,
        description="The case for improvement in health and care, as a versioned, citable data package.",
        epilog=_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
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


def _one_line(text: str, limit: int = 2000) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _say(message: str) -> None:
    """Write one line to stderr, whatever it holds and whatever the terminal takes."""
    enc = getattr(sys.stderr, "encoding", None) or "utf-8"
    safe = message.encode(enc, "backslashreplace").decode(enc, "replace")
    try:
        print(safe, file=sys.stderr)
    except (OSError, ValueError):  # stderr closed
        pass


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status (see :data:`EXIT_CODES`)."""
    try:
        parser = build_parser()
    except Exception as exc:  # the installed package itself is broken
        _say(f"{PROG}: internal error: {type(exc).__name__}: {_one_line(exc, 300)}")
        return 3
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    where = f"{PROG} {args.command}"
    try:
        return int(args._run(args) or 0)
    except ImprovementEvidenceError as exc:
        _say(f"{where}: error: {_one_line(exc.line())}")
        return exc.exit_code
    except BrokenPipeError:  # e.g. `| head`
        try:
            sys.stdout = None  # type: ignore[assignment]  # nothing more can be written
        except Exception:  # pragma: no cover
            pass
        return 0
    except KeyboardInterrupt:
        _say(f"{where}: interrupted")
        return 130
    except Exception as exc:  # noqa: BLE001 - the promise is: never a traceback
        _say(f"{where}: internal error: {type(exc).__name__}: {_one_line(exc, 300)} "
             "(a bug in improvement-evidence; please report it with the command you ran)")
        return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
