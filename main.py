"""Flowmodel entry point: no arguments (or a file) opens the desktop app; subcommands run headless."""

import sys

from cli.interrupt import exit_at_once_on_interrupt, ignore_interrupts

if __name__ == "__mp_main__":  # a worker process importing this file: the main process answers Ctrl+C for it
    ignore_interrupts()
else:  # before the heavy imports below: Ctrl+C during start-up is one line, exit 130
    exit_at_once_on_interrupt()

from cli.app import main as cli_main


def main(argv: list[str] | None = None) -> int:
    return cli_main(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
