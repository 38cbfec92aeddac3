"""The benchmark's in-memory incremental blocking agrees with the engine's full blocking."""

import numpy as np

from bench.hygiene.key_index import IncrementalFinder, KeyIndex
from crm_agent_hygiene.engine import find_duplicates
from crm_agent_hygiene.engine.block import candidate_pairs
from crm_agent_hygiene.engine.normalise import RecordTable


def _noisy_people(n=300, seed=3):
    rng = np.random.default_rng(seed)
    first = [
        "robert",
        "william",
        "maria",
        "anna",
        "john",
        "lucas",
        "emma",
        "noah",
        "olivia",
        "liam",
    ]
    last = [
        "smith",
        "garcia",
        "muller",
        "rossi",
        "dubois",
        "jansen",
        "nowak",
        "silva",
        "kim",
        "brown",
    ]
    out = []
    for k in range(n):
        name = f"{first[rng.integers(10)]} {last[rng.integers(10)]}{rng.integers(100)}"
        out.append(
            {
                "id": k,
                "name": name,
                "email": f"u{k}@corp{k % 7}.com",
                "phone": f"+3314268{k:04d}",
                "zip": f"{75000 + k % 20}",
                "city": "Paris",
            }
        )
        if k % 5 == 0:
            out.append(
                {
                    "id": 10000 + k,
                    "name": name.upper(),
                    "email": f"U{k}@corp{k % 7}.com",
                    "phone": f"01 42 68 {k // 100:02d} {k % 100:02d}",
                    "country_code": "FR",
                }
            )
    return out


def test_incremental_mode_finds_the_same_pairs_as_full_mode():
    records = _noisy_people()
    table = RecordTable.from_records(records)
    full = {tuple(p) for p in candidate_pairs(table).tolist()}
    changed_rows = list(range(0, len(records), 17))
    index = KeyIndex().fit(table)
    changed = RecordTable.from_records([records[r] for r in changed_rows])
    inc = index.pairs_for(changed)
    inc_pairs = {tuple(sorted((changed_rows[a], b))) for a, b in inc.tolist()}
    expected = {p for p in full if p[0] in changed_rows or p[1] in changed_rows}
    assert inc_pairs == expected
    # and the matches agree too
    finder = IncrementalFinder().fit_index(records)
    inc_matches = {
        frozenset((m.left_id, m.right_id))
        for m in finder.find_changed([records[r] for r in changed_rows]).matches
    }
    ids = {records[r]["id"] for r in changed_rows}
    full_matches = {
        frozenset((m.left_id, m.right_id))
        for m in find_duplicates(records).matches
        if {m.left_id, m.right_id} & ids
    }
    assert inc_matches == full_matches and full_matches


def test_incremental_mode_with_a_new_record():
    records = _noisy_people(100)
    finder = IncrementalFinder().fit_index(records)
    new = dict(records[0], id="new", email=records[0]["email"].upper())
    result = finder.find_changed([new])
    assert (records[0]["id"]) in {m.right_id for m in result.matches}
    assert all(m.left_id == "new" for m in result.matches)
    # rows refer to the changed list (left) and to the indexed records (right)
    assert all(records[m.right_row]["id"] == m.right_id and m.left_row == 0 for m in result.matches)
