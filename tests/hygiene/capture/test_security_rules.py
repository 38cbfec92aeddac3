"""Security rules of the capture engine: bounded cost on hostile mail, clean display values, and
domains compared as read (punycode, NFKC, look-alikes of our own)."""

import time
from datetime import date

import pytest

from crm_agent_hygiene.engine.capture import quotes
from crm_agent_hygiene.engine.capture.domains import is_ours, lookalike_of, same_domain
from crm_agent_hygiene.engine.capture.mail import parse_mail
from crm_agent_hygiene.engine.capture.meeting import parse_meeting
from crm_agent_hygiene.engine.capture.quotes import split_quotes
from crm_agent_hygiene.engine.capture.signature import extract_signature
from crm_agent_hygiene.engine.capture.text import (
    DEFAULT_MAX_CHARS,
    clean_body,
    clean_display,
    html_to_text,
)
from crm_agent_hygiene.engine.normalise import (
    ascii_domain,
    domain_of_email,
    normalise_domain,
    website_domain,
)

# A hang detector with room for a loaded machine: before the fixes these took 3 s to minutes.
HANG = 2.0  # seconds

SIZE = 200_000
AT_LINES = ("a@" * 200 + "\n") * (SIZE // 401)
HOSTILE_HTML = {
    "open_comments": "<!--" * (SIZE // 4),
    "unclosed_tags": "<a " * (SIZE // 3),
    "unclosed_quoted_attributes": "<a b='" * (SIZE // 6),
    "cdata": "<![CDATA[" * (SIZE // 9),
    "processing_instructions": "<?" * (SIZE // 2),
    "end_tags": "</" * (SIZE // 2),
    "lone_brackets": "< " * (SIZE // 2),
    "attributes": "<p " + "x='1' " * (SIZE // 6),
}


def _timed(function, *args, **kwargs):
    started = time.monotonic()
    result = function(*args, **kwargs)
    return result, time.monotonic() - started


# ------------------------------------------------------------------------------------------------
# Cost bounds


def test_at_sign_lines_are_cheap_for_the_quote_splitter():
    split, elapsed = _timed(split_quotes, AT_LINES)
    assert elapsed < HANG, f"{elapsed:.2f}s"
    assert not split.has_quote and not split.timed_out


def test_at_sign_mail_is_parsed_within_the_bound():
    parsed, elapsed = _timed(parse_mail, AT_LINES, is_html=False, from_email="x@acme.example")
    assert elapsed < HANG, f"{elapsed:.2f}s"
    assert parsed.truncated, "only the first 100 000 characters are read"
    assert len(parsed.text) <= DEFAULT_MAX_CHARS <= 100_000


@pytest.mark.parametrize("name", sorted(HOSTILE_HTML))
def test_hostile_html_is_linear(name):
    body = HOSTILE_HTML[name]
    text, elapsed = _timed(html_to_text, body)
    assert elapsed < HANG, f"{name}: {elapsed:.2f}s"
    parsed, elapsed = _timed(parse_mail, body, is_html=True, from_email="x@acme.example")
    assert elapsed < HANG, f"{name}: {elapsed:.2f}s"
    assert isinstance(text, str) and isinstance(parsed.text, str)


def test_html_cost_grows_linearly():
    """Ten times the markup costs about ten times the time, not a hundred."""
    small, large = "<a " * 20_000, "<a " * 200_000
    _, small_time = _timed(html_to_text, small)
    _, large_time = _timed(html_to_text, large)
    assert large_time < max(small_time, 0.02) * 40


def test_tokenizer_reads_what_html_parser_read():
    html = (
        "<html><head><title>T</title><style>p{}</style></head><body>"
        "<p class=it's>Hello &amp; bye</p><script>if (a<b) x='</p>'</script>"
        "<div title='a>b'>after</div><!-- a comment --><br/>tail &lt;x&gt;"
        "<blockquote>old</blockquote></body></html>"
    )
    assert [line for line in html_to_text(html).split("\n") if line] == [
        "Hello & bye",
        "after",
        "tail <x>",
        "> old",
    ]


def test_unterminated_constructs_end_the_document():
    assert html_to_text("<p>kept</p><!-- open " + "x" * 1000).strip() == "kept"
    assert html_to_text("<p>kept</p><a href='" + "x" * 1000).strip() == "kept"
    assert html_to_text("1 < 2 and <p>3</p>").split("\n")[0] == "1 < 2 and"


def test_quote_splitter_checks_the_deadline_inside_its_loop():
    split = split_quotes("line\n" * 4000 + "> quoted", deadline=time.monotonic() - 1)
    assert split.timed_out and not split.has_quote
    parsed = parse_mail("Hello\n" * 100, is_html=False, max_seconds=-1)
    assert parsed.timed_out and parsed.signature.name is None


def test_long_lines_skip_the_costly_patterns_but_short_markers_still_cut():
    long_line = "On " + "x" * (quotes.MAX_SCAN_LINE_CHARS + 10) + " wrote:"
    assert not split_quotes(f"New.\n{long_line}\nold").has_quote
    split = split_quotes("New.\n" + "y" * 1500 + "\nOn Mon, Bob <bob@example.com> wrote:\n> old")
    assert split.has_quote and split.new_text.endswith("y" * 100)
    assert split_quotes("Hi\nBob Stone <bob@example.com> wrote:\n> old").has_quote
    assert not split_quotes("Hi\nwrote: to a@b.example\nbye").has_quote


def test_signature_and_meeting_respect_the_deadline():
    past = time.monotonic() - 1
    sig = extract_signature(
        "Best,\nJane Doe\nCEO, Acme Ltd", "Jane Doe", "jane@acme.example", deadline=past
    )
    assert sig.timed_out and sig.name is None
    _, elapsed = _timed(parse_meeting, AT_LINES, date(2024, 6, 12))
    assert elapsed < HANG


# ------------------------------------------------------------------------------------------------
# Display values


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("\u202eJane Doe\u202c", "Jane Doe"),
        ("Ja\u200bne\u200d D\ufeffoe", "Jane Doe"),
        ("\u2066Acme\u2069  Ltd\u2067", "Acme Ltd"),
        ("Jane\tDoe\n\r", "Jane Doe"),
        ("ＡＣＭＥ　Ｌｔｄ", "ACME Ltd"),
        ("Jane\x00\x07Doe", "JaneDoe"),
        ("Élodie Dupont", "Élodie Dupont"),
    ],
)
def test_clean_display_strips_controls_and_folds(raw, clean):
    assert clean_display(raw) == (clean, "")


def test_clean_display_skips_what_is_too_long_or_empty():
    value, reason = clean_display("J" * 5000)
    assert value == "" and "longer than 128" in reason
    assert clean_display("J" * 128) == ("J" * 128, "")
    assert clean_display("\u200b\u202e ")[0] == "" and clean_display("\u200b\u202e ")[1]
    assert clean_display(None)[0] == ""


def test_signature_values_are_clean_display_values():
    body = "Hello,\n\nBest regards,\n\u202eAnn\u200b Smith\u202c\nHead of \u2066Sales\u2069\nAcme Robotics Ltd\n"
    sig = parse_mail(body, False, "\u202eAnn Smith", "ann@acme-robotics.example").signature
    for found in (sig.name, sig.title, sig.company):
        assert found is not None
        assert not any(
            ord(ch) in range(0x202A, 0x202F) or ord(ch) in range(0x2066, 0x206A)
            for ch in found.value
        )
        assert "\u200b" not in found.value
    assert sig.name.value == "Ann Smith"
    assert sig.title.value == "Head of Sales"


def test_huge_names_are_skipped_with_a_reason():
    name = "Ann " + "Smith" * 1000
    sig = extract_signature(
        f"Hi\n\nBest regards,\n{name}\nHead of Sales\nAcme Ltd", name, "ann@acme.example"
    )
    assert sig.name is None or len(sig.name.value) <= 128
    assert (
        len(clean_body(name).text) > 128
    )  # the text itself is not the bound: the display value is
    company = "Acme " + "Holding " * 30 + "Ltd"
    sig = extract_signature(
        f"Hi\n\nBest regards,\nAnn Smith\nHead of Sales\n{company}", "Ann Smith", "ann@acme.example"
    )
    assert sig.company is None or len(sig.company.value) <= 128


def test_meeting_long_lines_are_not_read_as_action_items():
    long_item = "- Anna will send " + "the deck " * 120
    notes = f"Action items:\n{long_item}\n- Tom will call the client on Friday\n"
    items = parse_meeting(notes, date(2024, 6, 12)).action_items
    assert [item.owner for item in items] == ["Tom"]


def test_meeting_items_are_clean_display_values():
    notes = "Action items:\n- \u202eRemy\u202c: send the \u200bproposal by Friday\n"
    item = parse_meeting(notes, date(2024, 6, 12)).action_items[0]
    assert item.owner == "Remy" and item.what == "Send the proposal"


# ------------------------------------------------------------------------------------------------
# Domains


def test_domains_are_normalised_before_comparison():
    assert normalise_domain("XN--MLLER-KVA.DE.") == "müller.de"
    assert normalise_domain("ＡＣＭＥ.example") == "acme.example"
    assert domain_of_email("Ann@ACME.Example") == "acme.example"
    assert website_domain("HTTPS://www.Acme.example/about") == "acme.example"
    assert website_domain("acme.example") == "acme.example"
    assert same_domain("mail.acme.example", "acme.example")
    assert not same_domain("acme.example.evil.test", "acme.example")
    assert not same_domain("", "")
    assert ascii_domain("Müller.DE") == "xn--mller-kva.de"
    assert ascii_domain("acme.example") == "acme.example"


OWN = {"capture.test", "yourcompany.example"}


@pytest.mark.parametrize(
    "domain",
    [
        "cаpture.test",  # Cyrillic a
        "xn--cpture-3nf.test",  # the same, as punycode
        "ＣＡＰＴＵＲＥ.test",  # full-width letters fold to our ASCII domain
        "capture.tést",
        "mail.cаpture.test",
        "y0urcompany.example",
        "yourcornpany.example",
        "yourcompany\u200b.example",
    ],
)
def test_lookalikes_of_our_domains_are_caught(domain):
    assert not is_ours(domain, OWN)
    assert lookalike_of(domain, OWN) in OWN


@pytest.mark.parametrize(
    "domain",
    [
        "capture.test",
        "CAPTURE.TEST",
        "mail.capture.test",
        "acme.example",
        "capture.test.evil.example",
        "capturetest.example",
        "",
    ],
)
def test_our_domains_and_strangers_are_not_lookalikes(domain):
    assert lookalike_of(domain, OWN) == ""


def test_unicode_own_domain_matches_its_punycode():
    assert is_ours("xn--mller-kva.de", {"müller.de"})
    assert lookalike_of("xn--mller-kva.de", {"müller.de"}) == ""
    assert lookalike_of("muller.de", {"müller.de"}) == "müller.de"
