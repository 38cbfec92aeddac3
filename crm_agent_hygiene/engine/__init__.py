"""Pure-Python engine: no Odoo import allowed here (tests/test_engine_isolation.py checks it).

Duplicate detection in entity-resolution stages, one module each:
normalise -> block -> compare -> classify -> cluster; ``finder`` runs them end to end.
"""

from .finder import (  # noqa: F401
    DuplicateFinder,
    DuplicateResult,
    Match,
    choose_survivor,
    find_duplicates,
    pairs_from_ids,
)
