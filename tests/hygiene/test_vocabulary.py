"""One contact vocabulary for the duplicate search, enrichment and auto-capture."""

import phonenumbers

from crm_agent_hygiene.engine.capture import signature
from crm_agent_hygiene.engine.normalise import (
    FREE_MAIL_DOMAINS,
    company_name_from_domain,
    is_free_mail,
    normalise_phone,
    phone_e164,
    registrable_label,
    text_key,
    website_domain,
)


def test_free_mail_is_one_list_the_union_of_both():
    for domain in ("yahoo.co.uk", "yahoo.fr", "hotmail.es", "telefonica.net", "gmx.fr", "web.de"):
        assert is_free_mail(domain), domain
    assert "telefonica.net" in FREE_MAIL_DOMAINS
    assert not is_free_mail("acme-robotics.example")
    assert not hasattr(signature, "FREE_MAIL_DOMAINS") and not hasattr(signature, "_FREE_MAIL")


def test_signature_of_a_free_mail_sender_names_no_company_after_the_domain():
    sig = signature.extract_signature(
        "Thanks,\nAnn Smith\nYahoo\n+44 20 7946 0958", "Ann Smith", "ann@yahoo.co.uk", "GB"
    )
    assert not (sig.company and sig.company.confidence >= signature.WRITE_CONFIDENCE)


def test_company_from_domain_is_one_rule_with_public_suffixes():
    assert registrable_label("mail.northwind-logistics.co.uk") == "northwind-logistics"
    assert registrable_label("acme.com.au") == "acme"
    assert registrable_label("acme.com") == "acme"
    assert company_name_from_domain("mail.northwind-logistics.co.uk") == "Northwind Logistics"
    assert company_name_from_domain("initrode.com") == "Initrode"
    assert company_name_from_domain("") == ""


def test_one_host_helper():
    assert website_domain("HTTPS://www.Acme.example/about") == "acme.example"
    assert website_domain("www2.acme.com:8080") == "acme.com"
    assert website_domain("https://XN--MLLER-KVA.de/") == "müller.de"
    assert website_domain("https://192.168.0.1") == ""
    assert website_domain("not a site") == ""


def test_one_e164_helper():
    number = phonenumbers.parse("020 7946 0958", "GB")
    assert phone_e164(number) == "+442079460958"
    assert normalise_phone("020 7946 0958", ["GB"]).e164 == phone_e164(number)


def test_one_folding():
    assert text_key("  Müller-Lüdenscheidt ") == "muller ludenscheidt"
    assert text_key("ANN SMITH") == text_key("ann smith")
    assert not hasattr(signature, "fold")
