"""Normalise stage: phones, e-mails, names, companies, websites, whole records, hostile input."""

import unicodedata

import pytest

from crm_agent_hygiene.engine import normalise as n

HOSTILE = [
    None,
    False,
    "",
    "   ",
    "\u200b\u200b",
    "\x00\x01\x02",
    b"\xff\xfe\xfa",
    b"plain bytes",
    12,
    3.5,
    object(),
    ["list"],
    {"d": 1},
    "x" * 1_000_000,
    "💥" * 300,
    "\u202eevil\u202c",
    "a\u0301" * 50,
    "١٢٣٤٥٦٧٨٩",
    "NaN",
    "-1",
    "1e308",
    "+",
    "++44",
    "00",
    "DROP TABLE res_partner;--",
]


@pytest.mark.parametrize("value", HOSTILE, ids=lambda v: repr(v)[:20])
def test_hostile_input_never_raises(value):
    phone = n.normalise_phone(value, ["GB", "FR"])
    assert phone.original is value
    if not phone.valid:
        assert phone.reason and not phone.e164
    email = n.normalise_email(value)
    assert email.valid is False and email.reason
    n.normalise_name(value)
    n.company_key(value)
    n.website_domain(value)
    n.text_key(value)
    rec = n.normalise_record(
        {
            "id": 1,
            "name": value,
            "email": value,
            "phone": value,
            "mobile": value,
            "website": value,
            "zip": value,
            "vat": value,
            "birth_date": value,
            "country_code": value,
            "company_name": value,
        }
    )
    assert rec.id == 1


def test_record_that_is_not_a_dict_is_flagged():
    rec = n.normalise_record("nope")
    assert rec.flags and "not a dict" in rec.flags[0]


@pytest.mark.parametrize(
    "raw,regions,e164",
    [
        ("+44 20 7946 0958", [], "+442079460958"),
        ("020 7946 0958", ["GB"], "+442079460958"),
        ("(020) 7946-0958", ["GB"], "+442079460958"),
        ("0033 1 42 68 53 00", ["DE"], "+33142685300"),
        ("06 12 34 56 78", ["FR"], "+33612345678"),
        ("+1 650-253-0000 ext. 12", ["FR"], "+16502530000"),
        ("\u200b+32 2 555 12 12", [], "+3225551212"),
    ],
)
def test_phone_to_e164(raw, regions, e164):
    result = n.normalise_phone(raw, regions)
    assert result.valid, result.reason
    assert result.e164 == e164
    assert result.original == raw


def test_region_chain_is_tried_in_priority_order():
    # a Belgian national number is not valid for GB: the second region in the chain is used
    result = n.normalise_phone("02 555 12 12", ["GB", "BE", "FR"])
    assert result.valid and result.e164 == "+3225551212" and result.region == "BE"
    # in a record: contact country first, then its company's country, then the database default
    rec = n.normalise_record(
        {"phone": "06 12 34 56 78", "company_country_code": "FR"}, default_regions=["US"]
    )
    assert rec.phones == ("+33612345678",)
    rec = n.normalise_record({"phone": "650 253 0000"}, default_regions=["US"])
    assert rec.phones == ("+16502530000",)


@pytest.mark.parametrize(
    "raw", ["12345", "555-1234", "+44 20 7946", "0000000000", "not a phone", "+99 123 456 789"]
)
def test_invalid_phone_is_flagged_and_never_fixed(raw):
    result = n.normalise_phone(raw, ["GB", "US"])
    assert not result.valid
    assert result.e164 == ""
    assert result.reason
    assert result.original == raw


def test_invalid_phone_in_record_is_flagged_not_kept_as_key():
    rec = n.normalise_record({"phone": "12345", "mobile": "+44 20 7946 0958", "country_code": "GB"})
    assert rec.phones == ("+442079460958",)
    assert any(f.startswith("phone:") for f in rec.flags)


def test_national_number_without_any_region_is_flagged():
    result = n.normalise_phone("020 7946 0958", [])
    assert not result.valid and "country" in result.reason


def test_phone_cache_gives_identical_results():
    a = n.normalise_phone("020 7946 0958", ["GB"])
    b = n.normalise_phone("020-7946-0958", ("GB",))
    assert a.e164 == b.e164 == "+442079460958"
    assert a.international == "+44 20 7946 0958"


def test_email_normalisation():
    r = n.normalise_email("  John.Doe@ACME.Com ")
    assert r.valid and r.email == "John.Doe@acme.com" and r.key == "john.doe@acme.com"
    assert r.domain == "acme.com" and not r.free_mail


@pytest.mark.parametrize(
    "raw,reason_part",
    [
        ("john", "@"),
        ("a@b@c.com", "one"),
        ("a b@c.com", "spaces"),
        ("@acme.com", "local"),
        ("john@localhost", "dot"),
        ("john@-acme.com", "domain"),
        ("john@acme.123", "number"),
    ],
)
def test_email_syntax_reasons(raw, reason_part):
    r = n.normalise_email(raw)
    assert not r.valid and reason_part in r.reason


@pytest.mark.parametrize(
    "domain",
    [
        "gmail.com",
        "googlemail.com",
        "yahoo.co.uk",
        "yahoo.fr",
        "hotmail.de",
        "outlook.com",
        "live.be",
        "gmx.at",
        "web.de",
        "orange.fr",
        "free.fr",
        "icloud.com",
        "me.com",
        "proton.me",
        "qq.com",
        "163.com",
        "mail.ru",
    ],
)
def test_free_mail_domains(domain):
    assert n.is_free_mail(domain)


@pytest.mark.parametrize(
    "domain", ["acme.com", "odoo.com", "yahoo-inc-partner.com", "gmailer.io", "mail.acme.com"]
)
def test_company_domains_are_not_free_mail(domain):
    assert not n.is_free_mail(domain)


def test_free_mail_does_not_become_company_domain():
    rec = n.normalise_record({"email": "bob@gmail.com"})
    assert rec.email_domain == "gmail.com" and rec.company_domain == ""
    rec = n.normalise_record({"email": "bob@gmail.com", "website": "https://www.acme.com/about"})
    assert rec.company_domain == "acme.com"
    rec = n.normalise_record({"email": "bob@Acme.com"})
    assert rec.company_domain == "acme.com"


@pytest.mark.parametrize(
    "raw,display",
    [
        ("JOHN MCDONALD", "John McDonald"),
        ("sean o'brien", "Sean O'Brien"),
        ("ludwig van beethoven", "Ludwig van Beethoven"),
        ("ANNE-MARIE   DE LA TOUR", "Anne-Marie de la Tour"),
        ("  Émile \t Zola ", "Émile Zola"),
        ("iPhone McKay", "iPhone McKay"),  # mixed case is left as typed
    ],
)
def test_name_display(raw, display):
    assert n.normalise_name(raw).display == display


def test_name_key_strips_accents_and_canonicalises_nicknames():
    assert n.normalise_name("Émile ZOLA").key == "emile zola"
    assert n.normalise_name("Bob Smith").key == n.normalise_name("robert smith").key
    assert n.normalise_name("Sean O'Brien").key == "sean obrien"
    assert n.normalise_name("Émile Zola").display == "Émile Zola"  # display keeps accents


@pytest.mark.parametrize(
    "raw",
    [
        "ACME Inc.",
        "Acme, Inc",
        "acme incorporated",
        "Acme Ltd",
        "ACME LLC",
        "Acme GmbH",
        "Acme GmbH & Co. KG",
        "Acme S.A.",
        "Acme SARL",
        "Acme B.V.",
        "Acme AG",
        "Acme PLC",
        "Acme Pty Ltd",
        "Acme Corp.",
        "Acme Corporation",
        "Acme Oy",
        "Acme AB",
        "Acme SpA",
        "Acme S.r.l.",
        "ACME S.A.S.",
        "Acme Co., Ltd.",
    ],
)
def test_company_key_strips_legal_forms(raw):
    assert n.company_key(raw) == "acme"


def test_company_key_keeps_something():
    assert n.company_key("Holding AG") == "holding"
    assert n.company_key("Société Générale SA") == "societe generale"


@pytest.mark.parametrize(
    "raw,domain",
    [
        ("https://www.Acme.com:8080/path?q=1", "acme.com"),
        ("acme.co.uk", "acme.co.uk"),
        ("http://user@shop.acme.com/", "shop.acme.com"),
        ("www.acme.com.", "acme.com"),
        ("http://192.168.0.1/", ""),
        ("not a website", ""),
        ("", ""),
    ],
)
def test_website_domain(raw, domain):
    assert n.website_domain(raw) == domain


def test_phonetic_key_soundex():
    assert n.phonetic_key("robert") == n.phonetic_key("rupert") == "R163"
    assert n.phonetic_key("tymczak") == "T522"
    assert n.phonetic_key("smith") == n.phonetic_key("smyth")
    assert n.phonetic_key("123") == ""


def test_zero_width_characters_do_not_split_matching_keys():
    a = n.normalise_record({"name": "Jo\u200bhn Smith", "email": "jo\u200bhn@acme.com"})
    b = n.normalise_record({"name": "John Smith", "email": "john@acme.com"})
    assert a.name_key == b.name_key and a.email_key == b.email_key


def test_phone_validity_matches_phonenumbers():
    """Our pre-compiled validity check gives phonenumbers.is_valid_number's answer and E.164 form."""
    import random

    import phonenumbers

    from crm_agent_hygiene.engine.normalise import _is_valid_number

    rng = random.Random(5)
    regions = sorted(phonenumbers.SUPPORTED_REGIONS)
    checked = valid = 0
    for _ in range(4000):
        region = rng.choice(regions)
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(6, 13)))
        for raw, hint in ((digits, region), ("+" + digits, None)):
            try:
                number = phonenumbers.parse(raw, hint)
            except phonenumbers.NumberParseException:
                continue
            nsn = phonenumbers.national_significant_number(number)
            expected = phonenumbers.is_valid_number(number)
            assert _is_valid_number(number.country_code, nsn) == expected, raw
            if expected:
                assert (
                    phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
                    == f"+{number.country_code}{nsn}"
                )
            checked += 1
            valid += expected
    assert checked > 5000 and valid > 100


# ----------------------------------------------------------------------- standardised display values


@pytest.mark.parametrize(
    "typed",
    [
        "020 7946 0958 ext. 12",
        "020 7946 0958 ext 12",
        "020 7946 0958 x12",
        "020 7946 0958 #12",
        "020 7946 0958 poste 12",
        "020 7946 0958 Durchwahl 12",
        "020 7946 0958;ext=12",
        "+44 (0)20 7946 0958 Ext: 12",
    ],
)
def test_standard_phone_keeps_a_typed_extension(typed):
    assert n.normalise_phone(typed, ["GB"]).extension == "12"
    assert n.standard_phone(typed, ["GB"]) == "+44 20 7946 0958 ext. 12"
    # the standard value is stable: standardising it again changes nothing
    assert n.standard_phone("+44 20 7946 0958 ext. 12", ["GB"]) == ""
    # the key keeps the number alone
    assert n.normalise_phone(typed, ["GB"]).e164 == "+442079460958"


@pytest.mark.parametrize("typed", ["020 7946 0958-12", "020 7946 0958-12#", "020 7946 0958, 12"])
def test_standard_phone_never_drops_digits(typed):
    """Whatever the trailing digits are, they are never silently dropped: left as typed."""
    assert n.standard_phone(typed, ["GB"]) == ""


def test_standard_phone_keeps_a_german_direct_dial_as_part_of_the_number():
    # phonenumbers reads '-12' after a Berlin number as digits of the number, not an extension
    assert n.standard_phone("030 1234567-12", ["DE"]) == "+49 30 123456712"


def test_standard_phone_plain_and_unchanged():
    """Odoo's convention: the readable international format in the field (E.164 is the key)."""
    assert n.standard_phone("020 7946 0958", ["GB"]) == "+44 20 7946 0958"
    assert n.standard_phone("0044 20 7946 0958", ["GB"]) == "+44 20 7946 0958"
    assert n.standard_phone("(870)-931-0505", ["US"]) == "+1 870-931-0505"
    # an E.164 run of digits is not readable: it gets its groups back
    assert n.standard_phone("+442079460958", ["GB"]) == "+44 20 7946 0958"
    assert n.standard_phone("020 7946", ["GB"]) == ""


@pytest.mark.parametrize(
    "typed", ["+44 20 7946 0958", "+1 (870) 931-0505", "+1-870-931-0505", "+44 20 7946 0958 x12"]
)
def test_standard_phone_leaves_readable_international_numbers_as_typed(typed):
    assert n.is_readable_international(typed)
    assert n.standard_phone(typed, ["GB"]) == ""


def test_standard_phone_drops_the_national_trunk_prefix():
    assert not n.is_readable_international("+44 (0)20 7946 0958")
    assert n.standard_phone("+44 (0)20 7946 0958", ["GB"]) == "+44 20 7946 0958"


@pytest.mark.parametrize("value", HOSTILE, ids=lambda v: repr(v)[:20])
def test_standard_values_are_safe_and_bounded(value):
    for standard, limit in (
        (n.standard_phone(value, ["GB"]), n.MAX_PHONE_LENGTH),
        (n.standard_email(value), n.MAX_EMAIL_LENGTH),
        (n.standard_website(value), n.MAX_WEBSITE_LENGTH),
    ):
        assert isinstance(standard, str) and len(standard) <= limit
        assert not any(
            unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in standard
        )


def test_standard_values_drop_bidi_and_control_characters():
    assert n.standard_phone("\u202e020 7946 0958\u202c", ["GB"]) == "+44 20 7946 0958"
    assert n.standard_website("HTTPS://Acme.COM/\u202etxt.exe") == "https://acme.com/txt.exe"
    assert n.standard_website("https://acme.com/" + "a" * 600) == ""
    assert n.standard_email("Ann@EXAMPLE.com\u200b") == "Ann@example.com"
    assert n.standard_email("ann@example.com\u061c") == ""
    assert n.safe_display("ok\u2067", 10) == ""
    assert n.safe_display("x" * 11, 10) == ""
    snippet = n.display_snippet("\u202eevil" * 50, 20)
    assert len(snippet) == 20 and "\u202e" not in snippet
