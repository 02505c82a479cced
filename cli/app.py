"""Argument parsing and dispatch.

Exit codes (the same for every subcommand): 0 success, 1 the model is invalid or a target is not
met, 2 unreadable input or bad arguments, 130 interrupted. Errors are one clear message on stderr,
never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys

from cli.interrupt import EXIT_INTERRUPTED, MESSAGE, raise_on_interrupt
from flowmodel.errors import FlowmodelError

EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2
SUBCOMMANDS: tuple[str, ...] = ("validate", "simulate", "staff", "compare", "import", "export", "backtest")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="flowmodel",
        description="Model, simulate and staff Trust & Safety moderation workflows. "
        "Without a subcommand, opens the desktop app (optionally on FILE).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMANDS:
        module = __import__(f"cli.{name}_command", fromlist=["register"])
        module.register(sub)
    return parser


def _open_gui(argv: list[str]) -> int:
    from ui.app import run_app

    raise_on_interrupt()
    return run_app(argv)


def _looks_like_a_file(arg: str) -> bool:
    """A lone argument opens the app on it when it names a document (by suffix) or an existing path;
    anything else is taken as a mistyped command rather than a file to open."""
    return arg.lower().endswith((".json", ".flowdb")) or os.path.exists(arg)


def main(argv: list[str]) -> int:
    if not argv:
        return _open_gui(argv)
    if len(argv) == 1 and not argv[0].startswith("-") and argv[0] not in SUBCOMMANDS:
        if _looks_like_a_file(argv[0]):
            return _open_gui(argv)
        print(f"error: {argv[0]!r} is neither a command nor a workflow file\n"
              f"What to do: use one of the commands {', '.join(SUBCOMMANDS)} (see --help), "
              "or open a .flow.json or .flowdb file", file=sys.stderr)
        return EXIT_UNREADABLE
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0) and EXIT_UNREADABLE
    if args.command is None:
        parser.print_help()
        return EXIT_OK
    try:
        raise_on_interrupt()
        return int(args.handler(args))
    except FlowmodelError as error:
        print(f"error: {error.render()}", file=sys.stderr)
        return EXIT_UNREADABLE
    except KeyboardInterrupt:
        print(f"error: {MESSAGE}", file=sys.stderr)
        return EXIT_INTERRUPTED
