"""Flowmodel entry point: no arguments (or a file) opens the desktop app; subcommands run headless."""

import sys

from cli.interrupt import exit_at_once_on_interrupt

exit_at_once_on_interrupt()  # before the heavy imports below: Ctrl+C during start-up is one line, exit 130

from cli.app import main as cli_main  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    return cli_main(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
