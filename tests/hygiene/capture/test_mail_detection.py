"""Quote splitting in four languages, auto-reply / bounce detection, meeting items and due dates."""

from datetime import date

import pytest

from crm_agent_hygiene.engine.capture.due_dates import find_due
from crm_agent_hygiene.engine.capture.mail import is_auto_reply, is_bounce, parse_mail
from crm_agent_hygiene.engine.capture.meeting import parse_meeting
from crm_agent_hygiene.engine.capture.quotes import split_quotes

WED = date(2024, 6, 12)


@pytest.mark.parametrize(
    "attribution",
    [
        "On Mon, 3 Jun 2024 at 10:12, Bob Stone <bob@example.com> wrote:",
        "Le lun. 3 juin 2024 à 10:12, Bob Stone <bob@example.com> a écrit :",
        "Am Mo., 3. Juni 2024 um 10:12 Uhr schrieb Bob Stone <bob@example.com>:",
        "El lun, 3 jun 2024 a las 10:12, Bob Stone (<bob@example.com>) escribió:",
        "-----Original Message-----",
        "-----Ursprüngliche Nachricht-----",
        "From: Bob Stone <bob@example.com>\nSent: Monday\nTo: Jane\nSubject: hi",
        "De : Bob Stone\nEnvoyé : lundi\nÀ : Jane\nObjet : hi",
        "Von: Bob Stone\nGesendet: Montag\nAn: Jane\nBetreff: hi",
        "De: Bob Stone\nEnviado: lunes\nPara: Jane\nAsunto: hi",
        "> quoted line",
    ],
)
def test_quote_markers_cut_the_history(attribution):
    split = split_quotes(f"New text here.\n\n{attribution}\n> old text")
    assert split.has_quote and split.new_text == "New text here."


def test_no_false_quote_on_plain_text():
    split = split_quotes("From our side: all good.\nOn Monday we ship.\nThanks")
    assert not split.has_quote


def test_forward_and_original_sender():
    body = "FYI\n\n---------- Forwarded message ---------\nFrom: Ana Gil <ana@example.org>\nDate: x\nSubject: y\nTo: z\n\nHola"
    split = split_quotes(body)
    assert (
        split.is_forward
        and split.forwarded_from_email == "ana@example.org"
        and split.forwarded_from_name == "Ana Gil"
    )


def test_gmail_blockquote_is_quoted():
    html = '<div>Yes.</div><div class="gmail_quote"><div>On Mon, Bob wrote:</div><blockquote>old<br>Bob</blockquote></div>'
    parsed = parse_mail(html, True, "Jane", "jane@example.com")
    assert parsed.text == "Yes." and parsed.has_quote


@pytest.mark.parametrize(
    "headers,subject,body",
    [
        ({"Auto-Submitted": "auto-replied"}, "Re: quote", ""),
        ({"X-Autoreply": "yes"}, "", ""),
        ({"X-Autorespond": "1"}, "", ""),
        ({"Precedence": "bulk"}, "", ""),
        ({"precedence": "auto_reply"}, "", ""),
        ({}, "Out of Office: back Monday", ""),
        ({}, "Automatic reply: proposal", ""),
        ({}, "Réponse automatique : absence", ""),
        ({}, "Abwesenheitsnotiz: Urlaub", ""),
        ({}, "Respuesta automática: vacaciones", ""),
        ({}, "Hello", "Thank you. I am currently out of the office until Monday."),
    ],
)
def test_auto_reply_detected(headers, subject, body):
    assert is_auto_reply(headers, subject, body)


@pytest.mark.parametrize(
    "headers,subject,body",
    [
        ({"Auto-Submitted": "no"}, "Re: quote", "Sounds good"),
        ({}, "Office furniture quote", "We are out of stock of the blue chairs."),
        (None, "", ""),
    ],
)
def test_normal_mail_is_not_auto_reply(headers, subject, body):
    assert not is_auto_reply(headers, subject, body)


def test_bounce_detection():
    assert is_bounce({}, "MAILER-DAEMON@mx.example.com")
    assert is_bounce({}, "postmaster@example.org")
    assert is_bounce(
        {"Content-Type": "multipart/report; report-type=delivery-status"}, "x@example.com"
    )
    assert is_bounce({}, "x@example.com", subject="Undeliverable: proposal")
    assert not is_bounce(
        {"Content-Type": "multipart/alternative"}, "jane@example.com", subject="Proposal"
    )


@pytest.mark.parametrize(
    "phrase,expected",
    [
        ("by Friday", date(2024, 6, 14)),
        ("tomorrow", date(2024, 6, 13)),
        ("next week", date(2024, 6, 21)),
        ("within 2 weeks", date(2024, 6, 26)),
        ("avant vendredi", date(2024, 6, 14)),
        ("bis Freitag", date(2024, 6, 14)),
        ("antes del viernes", date(2024, 6, 14)),
        ("le 20 juin", date(2024, 6, 20)),
        ("am 20. Juni", date(2024, 6, 20)),
        ("el 20 de junio", date(2024, 6, 20)),
        ("2024-07-01", date(2024, 7, 1)),
        ("01/07/2024", date(2024, 7, 1)),
        ("July 1, 2024", date(2024, 7, 1)),
        ("end of month", date(2024, 6, 30)),
        ("next Monday", date(2024, 6, 17)),
        ("in 3 business days", date(2024, 6, 17)),
        ("no date at all", None),
        ("version 1.5 of the deck", None),
    ],
)
def test_due_dates(phrase, expected):
    assert find_due(phrase, WED)[0] == expected


def test_meeting_items_owner_what_due():
    notes = (
        "Summary:\nThey want 40 seats.\n\nDiscussion\nJohn will send the proposal by Friday.\n\n"
        "Next steps:\n- Anna: book the demo next week\n- update the pricing sheet (owner: Marc)\n"
        "TODO: I'll share the slides tomorrow\n"
    )
    result = parse_meeting(notes, WED)
    got = {(i.owner, i.due) for i in result.action_items}
    assert got == {
        ("John", date(2024, 6, 14)),
        ("Anna", date(2024, 6, 21)),
        ("Marc", None),
        ("I", date(2024, 6, 13)),
    }
    assert result.summary.startswith("They want 40 seats.")


def test_meeting_extractor_hook_and_fallback():
    hook = lambda text, ref: [{"what": "Call back", "owner": "Zoe", "due": ref}]  # noqa: E731
    result = parse_meeting("Action items:\n- Tom: send deck", WED, extractor=hook)
    assert result.extractor_used and result.action_items[0].owner == "Zoe"

    def broken(text, ref):
        raise RuntimeError("model down")

    result = parse_meeting("Action items:\n- Tom: send deck", WED, extractor=broken)
    assert not result.extractor_used and result.action_items[0].owner == "Tom"


def test_confidence_semantics():
    body = "Hi\n\nBest regards,\nJane Doe\nHead of Sales\nNorthwind Ltd\nT: +44 20 7946 0123"
    sig = parse_mail(body, False, "Jane Doe", "jane@northwind.example").signature
    assert sig.name.confidence >= 0.8 and sig.company.confidence >= 0.8
    weak = parse_mail(body, False, "", "someone@gmail.com").signature
    assert weak.name.confidence < sig.name.confidence  # no sender evidence: propose, do not write
    assert sig.values()["phone"] == "+442079460123"
