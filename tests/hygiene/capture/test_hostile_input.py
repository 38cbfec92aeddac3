"""Hostile and degenerate input: every public function returns promptly and never raises."""

import time
from datetime import date

import pytest

from crm_agent_hygiene.engine.capture.mail import is_auto_reply, is_bounce, parse_mail
from crm_agent_hygiene.engine.capture.meeting import parse_meeting
from crm_agent_hygiene.engine.capture.quotes import split_quotes
from crm_agent_hygiene.engine.capture.signature import extract_signature
from crm_agent_hygiene.engine.capture.text import clean_body

# A hang detector, not a speed target (speed is measured in bench/capture): catastrophic
# backtracking or unbounded work takes minutes; 10 s keeps a loaded CI machine from flaking.
LIMIT = 10.0  # seconds

HOSTILE = {
    "huge_plain": "Hello there, this is a line of text.\n" * 300_000,  # ~11 MB
    "huge_one_line": "a" * 10_000_000,
    "huge_html": "<div><p>text <b>bold</b></p></div>" * 300_000,
    "deep_nesting": "<div>" * 100_000 + "Jane Doe<br>CEO" + "</div>" * 100_000,
    "deep_blockquote": "<blockquote>" * 50_000 + "quoted" + "</blockquote>" * 50_000,
    "broken_html": "<div<p><<table><tr><td>Jane</td><td colspan='>x</tr><script>alert(1)",
    "unclosed_comment": "<!-- never closed " + "x" * 100_000,
    "binary": bytes(range(256)) * 40_000,
    "binary_str": "".join(chr(i) for i in range(32)) * 100_000,
    "rtl_override": "Best,\nJane Doe\n\u202ejane@example.com\u202c\nT: +44 20 7946 0123\u200b",
    "zero_width": "Regards\n" + "\u200b".join("Jane Doe") + "\nCEO, Acme Ltd",
    "homoglyphs": "Regards,\nJаne Dое\njаne@ехаmple.com\nСЕО, Асme Ltd",  # Cyrillic look-alikes
    "empty": "",
    "none": None,
    "only_whitespace": " \n\t\r\n " * 10_000,
    "many_at_signs": "@" * 1_000_000,
    "many_digits": "+44 " + "0" * 500_000,
    "many_quote_lines": "On Mon wrote:\n" * 100_000,
    "long_attribution": "On " + "x " * 200_000 + "wrote:",
    "regex_bait": ("On " + "a" * 390 + "\n") * 5000,
    "many_headers": "From: a <a@example.com>\nSent: x\nTo: y\nSubject: z\n" * 50_000,
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_parse_mail_is_bounded(name):
    body = HOSTILE[name]
    started = time.monotonic()
    result = parse_mail(body, is_html=None, from_name="Jane Doe", from_email="jane@example.com")
    elapsed = time.monotonic() - started
    assert elapsed < LIMIT, f"{name} took {elapsed:.2f}s"
    assert isinstance(result.text, str)
    assert len(result.text) <= 200_000


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_meeting_and_parts_are_bounded(name):
    body = HOSTILE[name]
    started = time.monotonic()
    parse_meeting(body, date(2024, 6, 12))
    text = body if isinstance(body, str) else ""
    split_quotes(text[:300_000])
    extract_signature(text[:300_000], "Jane Doe", "jane@example.com")
    is_auto_reply({"Subject": text[:10_000]}, text[:10_000], text)
    is_bounce({"Content-Type": text[:10_000]}, text[:1000])
    elapsed = time.monotonic() - started
    assert elapsed < LIMIT * 2, f"{name} took {elapsed:.2f}s"


def test_huge_body_is_truncated_and_reported():
    result = clean_body(HOSTILE["huge_plain"])
    assert result.truncated and len(result.text) <= 200_000


def test_binary_is_removed_and_reported():
    result = clean_body("Hello\n" + "\x00\x01\x02\x03\x04\x05\x06\x07\x08" * 20 + "\nBye")
    assert result.binary_removed
    assert result.text.split("\n") == ["Hello", "Bye"]


def test_invisible_characters_are_stripped():
    parsed = parse_mail(
        HOSTILE["rtl_override"], False, "Jane Doe", "jane@example.com", default_region="GB"
    )
    assert parsed.signature.email.value == "jane@example.com"
    assert parsed.signature.phone.value == "+442079460123"
    assert "\u202e" not in parsed.text and "\u200b" not in parsed.text
    zero = parse_mail(HOSTILE["zero_width"], False, "Jane Doe", "jane@acme.example")
    assert zero.signature.name.value == "Jane Doe"


def test_homoglyph_address_is_not_taken_for_the_ascii_one():
    parsed = parse_mail(HOSTILE["homoglyphs"], False, "Jane Doe", "jane@example.com")
    email = parsed.signature.email
    # the look-alike in the signature is not read as the ASCII address: what is known of the
    # sender's address comes from the From header alone
    assert email.value == "jane@example.com"
    assert email.evidence == "the sender's From address"


def test_nfkc_folds_fullwidth():
    assert clean_body("ＡＣＭＥ　Ｌｔｄ").text == "ACME Ltd"


def test_html_structure_is_kept_as_lines():
    html = "<style>.x{color:red}</style><p>One</p><div>Two<br>Three</div><table><tr><td>a</td><td>b</td></tr></table>"
    assert clean_body(html, is_html=True).text.split("\n") == [
        "One",
        "",
        "Two",
        "Three",
        "",
        "a | b",
    ]


def test_format_character_list_covers_unicode_cf():
    import sys
    import unicodedata

    from crm_agent_hygiene.engine.capture.text import _FORMAT_RE

    missing = [
        hex(cp)
        for cp in range(sys.maxunicode + 1)
        if unicodedata.category(chr(cp)) == "Cf" and not _FORMAT_RE.match(chr(cp))
    ]
    assert not missing


def test_fast_paths_match_the_whole_text_regexes():
    """ASCII and line-by-line shortcuts in text.py give exactly what the plain whole-text calls give."""
    import random
    import unicodedata

    from crm_agent_hygiene.engine.capture import text as text_module

    pieces = list(
        "ab Z\n\t\f\v\x00\x01\x7f\x85\x9f\xa0\xad\u00e9e\u0301\ufb01\uff21\u200b\u202e\u2028\u3000"
        "\u2003\ufeff\ufffd\ue001\U000f0001\u1100\u1161\u11a8\u0b47\u0b3e"
    ) + ["  ", "> "]
    rnd = random.Random(7)
    for _ in range(3000):
        sample = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 60)))
        nfkc = unicodedata.normalize("NFKC", sample)
        expected = text_module._GARBAGE_RE.sub("", text_module._FORMAT_RE.sub("", nfkc))
        assert text_module.normalise_unicode(sample) == expected
        assert text_module._collapse_spaces(sample) == text_module._SPACE_RE.sub(" ", sample)
        assert text_module._has_garbage(sample) == bool(text_module._GARBAGE_RE.search(sample))
