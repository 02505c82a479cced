"""Flowmodel's command line: one module per subcommand, registered in :mod:`cli.app`."""
