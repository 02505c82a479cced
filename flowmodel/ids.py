"""Stable identifiers: every node, edge, team and scenario has a uuid that survives save and load.

Names are for people and may change or repeat; ids are what edges, teams and scenario changes refer to.
"""

from __future__ import annotations

import uuid


def new_id() -> str:
    return uuid.uuid4().hex
