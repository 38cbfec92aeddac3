"""Public-suffix rules: which part of a host name is registrable ('acme.com.au', 'acme.cat').

The rules are Mozilla's Public Suffix List (``data/public_suffix_list.dat``, MPL-2.0, vendored
unchanged from the Debian ``publicsuffix`` package, release 2023-02-09), read offline; only its
ICANN section is used (private suffixes such as ``blogspot.com`` are hosting services, not
registries). To refresh it, copy a newer ``public_suffix_list.dat`` (the Debian or Ubuntu
``publicsuffix`` package installs it in ``/usr/share/publicsuffix/``) over the vendored file; the
test ``tests/hygiene/capture/test_public_suffix.py`` checks the rules this addon relies on.

Algorithm (publicsuffix.org/list): the longest matching rule names the public suffix, a wildcard
``*.ck`` matches any one label, an exception ``!www.ck`` wins over the wildcard, and a name no rule
matches has its last label as suffix (the implicit ``*`` rule: ``.example`` and ``.test`` behave
like any top-level domain).
"""

import functools
import pathlib

DATA = pathlib.Path(__file__).resolve().parent / "data" / "public_suffix_list.dat"
_END_ICANN = "// ===END ICANN DOMAINS==="


@functools.cache
def _rules():
    """(rules, wildcards, exceptions): sets of suffixes written with '.' between labels."""
    rules, wildcards, exceptions = set(), set(), set()
    with open(DATA, encoding="utf-8") as handle:
        for raw in handle:
            line = raw.strip()
            if line.startswith(_END_ICANN):
                break
            if not line or line.startswith("//"):
                continue
            rule = line.split()[0].lower()
            if rule.startswith("!"):
                exceptions.add(rule[1:])
            elif rule.startswith("*."):
                wildcards.add(rule[2:])
            else:
                rules.add(rule)
    return frozenset(rules), frozenset(wildcards), frozenset(exceptions)


def _labels(host):
    host = (host or "").strip().strip(".").lower()
    return [label for label in host.split(".") if label] if host else []


def public_suffix(host):
    """'www.acme.com.au' → 'com.au'; 'acme.cat' → 'cat'; 'acme.example' → 'example'; '' for ''."""
    labels = _labels(host)
    if not labels:
        return ""
    rules, wildcards, exceptions = _rules()
    for start in range(len(labels)):
        candidate = ".".join(labels[start:])
        if candidate in exceptions:
            return ".".join(labels[start + 1 :])
        if candidate in rules:
            return candidate
        parent = ".".join(labels[start + 1 :])
        if start + 1 < len(labels) and parent in wildcards:
            return candidate
    return labels[-1]


def registrable_domain(host):
    """'mail.acme.com.au' → 'acme.com.au' (the suffix plus one label); '' when host is a suffix."""
    labels = _labels(host)
    suffix = public_suffix(host)
    size = len(suffix.split(".")) if suffix else 0
    if len(labels) <= size:
        return ""
    return ".".join(labels[-size - 1 :])


def is_known_suffix(text):
    """True when text is a public suffix listed in the ICANN section ('com', 'co.uk', 'cat')."""
    rules, wildcards, _ = _rules()
    text = (text or "").strip(".").lower()
    return text in rules or text.partition(".")[2] in wildcards
