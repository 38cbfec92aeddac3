"""Guardrails for drafted mails to customers: when the agent must not even draft (or send).

Pure Python; the Odoo layer gathers the facts in a few queries per batch and obeys the verdict.

* never more than ``max_per_week`` drafts per contact over the last 7 days;
* never to a blacklisted or opted-out address, nor to a contact without an e-mail address;
* never when the thread changed since the draft (freshness: the last message is not the one
  the draft answered);
* never from a shared alias address (``sales@``, the catch-all, any mail alias of the database).
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_MAX_PER_WEEK = 2
SHARED_LOCAL_PARTS = frozenset(
    {
        "info",
        "sales",
        "contact",
        "hello",
        "support",
        "noreply",
        "no-reply",
        "notifications",
        "catchall",
        "bounce",
        "admin",
        "office",
        "team",
    }
)


@dataclass(frozen=True)
class DraftFacts:
    recipient_email: str | None
    recipient_blacklisted: bool = False
    recipient_opted_out: bool = False
    drafts_last_week: int = 0
    sender_email: str | None = None
    thread_last_message_id: int | None = None  # now
    draft_last_message_id: int | None = None  # when drafted; None: not checked


def normalize_email(email: str | None) -> str:
    email = (email or "").strip().lower()
    if "<" in email and ">" in email:
        email = email[email.index("<") + 1 : email.index(">")]
    return email.strip()


def is_shared_address(email: str | None, alias_emails=()) -> bool:
    """A generic or alias mailbox several people read, not a person's own address."""
    email = normalize_email(email)
    if "@" not in email:
        return True  # no sender address at all: nobody to answer as
    local = email.split("@", 1)[0]
    aliases = {normalize_email(a) for a in alias_emails}
    return email in aliases or local in SHARED_LOCAL_PARTS


def refusals(facts: DraftFacts, max_per_week=DEFAULT_MAX_PER_WEEK, alias_emails=()) -> list[str]:
    """Every reason not to draft or send; empty when the mail may be proposed."""
    reasons = []
    if "@" not in normalize_email(facts.recipient_email):
        reasons.append("the contact has no e-mail address")
    if facts.recipient_blacklisted:
        reasons.append("the address is blacklisted")
    if facts.recipient_opted_out:
        reasons.append("the contact opted out of mails")
    if facts.drafts_last_week >= max_per_week:
        reasons.append(
            f"already {facts.drafts_last_week} draft(s) for this contact this week "
            f"(at most {max_per_week})"
        )
    if is_shared_address(facts.sender_email, alias_emails):
        reasons.append("the sender address is a shared alias, not a person's")
    if (
        facts.draft_last_message_id is not None
        and facts.thread_last_message_id != facts.draft_last_message_id
    ):
        reasons.append("the conversation changed since the draft")
    return reasons
