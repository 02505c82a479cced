"""Which Flowmodel wrote an export: the installed package's version, else the one in the source tree's pyproject."""

from __future__ import annotations

import importlib.metadata
import tomllib
from functools import cache
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


@cache
def flowmodel_version() -> str:
    """The version string, or "unknown" when neither an installed package nor the pyproject says."""
    try:
        return importlib.metadata.version("flowmodel")
    except importlib.metadata.PackageNotFoundError:
        pass
    try:
        return str(tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"
