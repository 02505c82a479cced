"""Generators of the files under ``tests/data/``: one module per topic, each with ``write(directory) -> list[Path]``,
seeded and built from parameters stated as module constants, so a test can check a fit against the truth."""
