"""Drafts in four languages and the guardrails on mails to customers."""

import pytest

from crm_agent.engine.drafting import (
    action_items,
    build_context,
    describe_edit,
    html_to_text,
    open_questions,
    pick_language,
)
from crm_agent.engine.guardrails import DraftFacts, is_shared_address, refusals

MAIL = """Hi Marc,
Thanks for the demo. Can you send the price for 50 seats? Is training included?
Can you send the price for 50 seats?

> On Monday you wrote:
> Would Tuesday work?
"""
NOTES = """Meeting with Acme
- Send the security questionnaire
* Check the SSO option
TODO: share the reference customer
Random line without a bullet
"""


@pytest.mark.parametrize(
    ("lang", "code"),
    [
        ("fr_BE", "fr"),
        ("de_DE", "de"),
        ("es_ES", "es"),
        ("en_US", "en"),
        ("nl_NL", "en"),
        (False, "en"),
        ("pt-BR", "en"),
    ],
)
def test_pick_language(lang, code):
    assert pick_language(lang) == code


def test_questions_of_the_mail_itself_without_repeats_nor_quoted_history():
    assert open_questions(MAIL) == [
        "Can you send the price for 50 seats?",
        "Is training included?",
    ]


def test_action_items_of_meeting_notes():
    assert action_items(NOTES) == [
        "Send the security questionnaire",
        "Check the SSO option",
        "share the reference customer",
    ]


@pytest.mark.parametrize(
    ("lang", "greeting", "intro", "closing"),
    [
        ("en_US", "Hello Ann,", "You asked:", "Best regards,"),
        ("fr_FR", "Bonjour Ann,", "Vous nous avez demandé :", "Bien cordialement,"),
        ("de_DE", "Guten Tag Ann,", "Sie haben gefragt:", "Mit freundlichen Grüßen"),
        ("es_ES", "Hola Ann:", "Nos preguntó:", "Un cordial saludo,"),
    ],
)
def test_context_in_four_languages(lang, greeting, intro, closing):
    ctx = build_context(lang, "Ann Lee", "Acme - 50 seats", MAIL, NOTES, "Marc\nSales")
    assert ctx.greeting == greeting
    assert ctx.questions_intro == intro
    assert ctx.closing == closing
    assert ctx.questions == ["Can you send the price for 50 seats?", "Is training included?"]
    assert ctx.action_items[0] == "Send the security questionnaire"
    assert ctx.deal == "Acme - 50 seats" and ctx.signature == "Marc\nSales"
    # deterministic
    assert build_context(lang, "Ann Lee", "Acme - 50 seats", MAIL, NOTES, "Marc").as_dict() == (
        build_context(lang, "Ann Lee", "Acme - 50 seats", MAIL, NOTES, "Marc").as_dict()
    )


def test_a_company_is_never_greeted_by_its_first_word():
    assert build_context("en_US", "Acme Corp", is_company=True).greeting == "Hello,"


def test_describe_edit_lists_the_changed_sentence():
    draft = "<p>Hello Ann,</p><p>Here is the price.</p><p>Best regards,</p>"
    sent = "<p>Hello Ann,</p><p>Here is the price for 50 seats.</p><p>Best regards,</p>"
    edit = describe_edit(draft, sent)
    assert edit["edited"]
    assert edit["removed"] == ["Here is the price."]
    assert edit["added"] == ["Here is the price for 50 seats."]
    assert 0.8 < edit["similarity"] < 1
    assert not describe_edit(draft, draft)["edited"]
    assert html_to_text("<p>a &amp; b</p><p>c</p>") == "a & b\nc"


def _facts(**kw):
    base = {"recipient_email": "ann@acme.com", "sender_email": "marc@us.com"}
    base.update(kw)
    return DraftFacts(**base)


def test_guardrails_pass_a_normal_draft():
    assert refusals(_facts()) == []


@pytest.mark.parametrize(
    ("facts", "reason"),
    [
        (_facts(recipient_blacklisted=True), "the address is blacklisted"),
        (_facts(recipient_opted_out=True), "the contact opted out of mails"),
        (_facts(recipient_email=""), "the contact has no e-mail address"),
        (_facts(drafts_last_week=2), "already 2 draft(s) for this contact this week (at most 2)"),
        (
            _facts(sender_email="sales@us.com"),
            "the sender address is a shared alias, not a person's",
        ),
        (_facts(sender_email="crm-leads@us.com"), None),
        (
            _facts(thread_last_message_id=12, draft_last_message_id=10),
            "the conversation changed since the draft",
        ),
    ],
)
def test_each_guardrail(facts, reason):
    found = refusals(facts, max_per_week=2, alias_emails=["CRM-Leads@us.com"])
    assert found == [reason or "the sender address is a shared alias, not a person's"]


def test_cap_is_a_setting():
    assert refusals(_facts(drafts_last_week=2), max_per_week=3) == []


def test_shared_address():
    assert is_shared_address("Sales <sales@x.com>")
    assert is_shared_address(None)
    assert not is_shared_address("Marc <marc@x.com>")
