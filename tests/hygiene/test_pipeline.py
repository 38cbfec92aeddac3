"""Block, compare, classify, cluster and the finder facade."""

import numpy as np
import pytest

from crm_agent_hygiene.engine import (
    DuplicateFinder,
    choose_survivor,
    find_duplicates,
    pairs_from_ids,
)
from crm_agent_hygiene.engine.block import candidate_pairs, record_keys
from crm_agent_hygiene.engine.classify import FellegiSunter, levels
from crm_agent_hygiene.engine.cluster import cluster
from crm_agent_hygiene.engine.compare import FEATURES, compare
from crm_agent_hygiene.engine.normalise import RecordTable

PEOPLE = [
    {
        "id": 1,
        "name": "Robert Smith",
        "email": "bob.smith@acme.com",
        "phone": "+44 20 7946 0958",
        "company_name": "Acme Ltd",
    },
    {
        "id": 2,
        "name": "BOB SMITH",
        "email": "Bob.Smith@ACME.com",
        "phone": "020 7946 0958",
        "country_code": "GB",
        "company_name": "ACME",
    },
    {
        "id": 3,
        "name": "Alice Jones",
        "email": "alice@acme.com",
        "phone": "020 7946 0958",
        "country_code": "GB",
        "company_name": "Acme",
    },
    {"id": 4, "name": "Jon Doe", "email": "jd@gmail.com"},
    {"id": 5, "name": "Jane Roe", "email": "jane@gmail.com"},
    {"id": 6, "name": "Smith, Robert", "phone": "+44 (0)20 7946 0958", "city": "London"},
]


def _pairs(table, **kw):
    return {tuple(p) for p in candidate_pairs(table, **kw).tolist()}


def test_blocking_pairs_are_ordered_unique_and_not_all_pairs():
    table = RecordTable.from_records(PEOPLE, ["GB"])
    pairs = candidate_pairs(table)
    assert pairs.dtype == np.int64 and pairs.shape[1] == 2
    assert (pairs[:, 0] < pairs[:, 1]).all()
    assert len({tuple(p) for p in pairs.tolist()}) == len(pairs)
    assert (0, 1) in _pairs(table)


def test_blocking_never_builds_all_pairs_of_an_oversize_block():
    # 400 different people behind one switchboard number and one company domain
    records = [
        {
            "id": k,
            "name": f"Person{k:03d} Zz{k * 7919 % 1000:03d}",
            "email": f"p{k}@bigcorp.com",
            "phone": "+44 20 7946 0000",
        }
        for k in range(400)
    ]
    table = RecordTable.from_records(records)
    pairs = candidate_pairs(table, max_block_size=50, window=5, sort_keys=())
    assert len(pairs) < 400 * 4 * 2 + 1  # windowing: about (window-1) pairs per record and key
    assert len(pairs) < 400 * 399 // 2 // 10


def test_free_mail_domain_is_not_a_blocking_key():
    table = RecordTable.from_records(
        [
            {"id": 1, "name": "Ann Lee", "email": "ann@gmail.com"},
            {"id": 2, "name": "Tom Ray", "email": "tom@gmail.com"},
        ]
    )
    keys = record_keys(table, 0) + record_keys(table, 1)
    assert not any(k.startswith("domain|") for k in keys)
    assert _pairs(table, sort_keys=()) == set()
    company = RecordTable.from_records(
        [
            {"id": 1, "name": "Ann Lee", "email": "ann@acme.com"},
            {"id": 2, "name": "Tom Ray", "email": "tom@acme.com"},
        ]
    )
    assert (0, 1) in _pairs(company, sort_keys=())


def test_free_mail_domain_does_not_make_two_people_the_same_company():
    result = find_duplicates(
        [
            {"id": 1, "name": "Ann Lee", "email": "ann@gmail.com"},
            {"id": 2, "name": "Tom Ray", "email": "tom@gmail.com"},
        ]
    )
    assert result.matches == []


def test_blocking_hostile_and_tiny_inputs():
    assert len(candidate_pairs(RecordTable.from_records([]))) == 0
    assert len(candidate_pairs(RecordTable.from_records([{"id": 1}]))) == 0
    junk = [
        None,
        {},
        {"id": 3, "name": "\u200b"},
        {"id": 4, "name": "x" * 100000, "phone": "555"},
        {"id": 5, "name": b"\xff", "email": 42},
        "not a record",
    ]
    result = find_duplicates(junk)
    assert result.matches == [] and result.clusters == []


def test_compare_features_shape_and_missing_values():
    table = RecordTable.from_records(PEOPLE, ["GB"])
    pairs = np.array([[0, 1], [0, 3], [0, 5]])
    f = compare(table, table, pairs)
    assert set(f) == set(FEATURES)
    assert all(len(f[name]) == 3 for name in FEATURES)
    assert f["phone_exact"][0] == 1 and f["email_exact"][0] == 1
    assert np.isnan(f["phone_exact"][1])  # Jon Doe has no phone
    assert f["name_token_sort"][2] == 1.0  # 'Smith, Robert' vs 'Robert Smith' reordered
    assert f["name_token_sort"][1] < 0.5


def test_classifier_separates_and_explains():
    table = RecordTable.from_records(PEOPLE, ["GB"])
    pairs = np.array([[0, 1], [0, 2]])
    f = compare(table, table, pairs)
    scores = FellegiSunter().score(f)
    assert scores.probability[0] > 0.99
    assert scores.probability[1] < 0.5  # shared switchboard phone + company, different person
    result = DuplicateFinder(["GB"]).score_pairs(PEOPLE, pairs)
    top = result[0]
    assert top.left_id == 1 and top.right_id == 2
    assert any(r.startswith("same phone +44 20 7946 0958") for r in top.reasons)
    assert "same company domain acme.com" in top.reasons
    weak = result[1]
    assert any(r.startswith("different names") for r in weak.reasons)


def test_classifier_fit_on_labelled_pairs_learns_direction():
    table = RecordTable.from_records(PEOPLE, ["GB"])
    pairs = np.array([[0, 1], [0, 5], [0, 2], [3, 4], [2, 4]])
    f = compare(table, table, pairs)
    clf = FellegiSunter().fit(f, [1, 1, 0, 0, 0])
    assert clf.weights_["name"][3] > 0 > clf.weights_["name"][0]
    assert set(levels(f)) == set(clf.weights_)


def test_no_chaining_through_one_record():
    # A~B strong, B~C strong, A vs C clearly different -> not one cluster, the refused edge is reported
    pairs = np.array([[0, 1], [1, 2], [0, 2]])
    probs = np.array([0.99, 0.97, 0.01])
    result = cluster(pairs, probs, threshold=0.9)
    assert [0, 1] in result.clusters
    assert not any(set(c) >= {0, 1, 2} for c in result.clusters)
    assert len(result.conflicts) == 1 and result.conflicts[0][:2] == (1, 2)


def test_no_chaining_scores_missing_pairs_on_demand():
    pairs = np.array([[0, 1], [1, 2]])
    probs = np.array([0.99, 0.97])
    asked = []

    def score(extra):
        asked.extend(map(tuple, extra.tolist()))
        return np.array([0.02] * len(extra))

    result = cluster(pairs, probs, threshold=0.9, score_pairs=score)
    assert asked == [(0, 2)]
    assert result.clusters == [[0, 1]]
    ok = cluster(
        pairs, probs, threshold=0.9, score_pairs=lambda extra: np.array([0.8] * len(extra))
    )
    assert ok.clusters == [[0, 1, 2]] and not ok.conflicts


def test_no_chaining_end_to_end():
    # B shares a phone with A and an e-mail with C; A and C are different people
    records = [
        {"id": "A", "name": "Maria Garcia", "phone": "+34 912 345 678", "email": "maria@garcia.es"},
        {
            "id": "B",
            "name": "Maria Garcia",
            "phone": "+34 912 345 678",
            "email": "m.garcia@work.es",
        },
        {
            "id": "C",
            "name": "Marta Garcia",
            "email": "m.garcia@work.es",
            "birth_date": "1990-01-01",
            "vat": "X1234567",
        },
        {
            "id": "D",
            "name": "Maria Garcia",
            "birth_date": "1951-05-05",
            "vat": "Y7654321",
            "email": "mg@work2.es",
        },
    ]
    result = find_duplicates(records)
    strong = {frozenset((m.left_id, m.right_id)) for m in result.matches}
    assert {frozenset("AB"), frozenset("BC")} <= strong  # both links are strong on their own
    for group in result.clusters:
        assert not {"A", "C"} <= set(group)
    assert result.conflicts and result.conflicts[0]["weakest_pair"] == ("A", "C")


def test_find_duplicates_full_result():
    result = find_duplicates(PEOPLE, default_regions=["GB"])
    assert [1, 2] in [sorted(c)[:2] for c in result.clusters]
    assert all(m.probability >= 0.9 for m in result.matches)
    assert not any({m.left_id, m.right_id} == {1, 3} for m in result.matches)
    assert result.candidates > 0


def test_external_candidate_pairs_are_accepted():
    ext = pairs_from_ids(PEOPLE, [(1, 2), (4, 5), (999, 1)])
    assert ext.tolist() == [[0, 1], [3, 4]]
    result = find_duplicates(PEOPLE, pairs=ext, default_regions=["GB"])
    assert result.candidates == 2
    assert [(m.left_id, m.right_id) for m in result.matches] == [(1, 2)]


@pytest.mark.parametrize(
    "rule,kwargs,expected",
    [
        ("most_complete", {}, 2),
        ("most_activity", {"activity": {1: 3, 2: 1, 3: 9}}, 3),
        ("oldest", {"created": {1: "2020-01-01", 2: "2019-05-01", 3: "2021-01-01"}}, 2),
        ("oldest", {}, 1),
    ],
)
def test_choose_survivor(rule, kwargs, expected):
    records = [
        {"id": 3, "name": "A"},
        {"id": 1, "name": "A", "email": "a@x.com"},
        {"id": 2, "name": "A", "email": "a@x.com", "phone": "+3225551212"},
    ]
    assert choose_survivor(records, rule, **kwargs) == expected


def test_choose_survivor_rejects_bad_input():
    with pytest.raises(ValueError):
        choose_survivor([], "most_complete")
    with pytest.raises(ValueError):
        choose_survivor([{"id": 1}], "loudest")
