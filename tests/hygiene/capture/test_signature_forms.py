"""Signature forms found by the second held-out set (corpus/signatures_heldout2.json): hyphenated and
ordinal-marked degrees before a name, vCard-like field labels, an area code set apart by a slash, and
the team line of a shared mailbox. The set itself is scored by bench/capture/signature_quality.py --set."""

import pytest

from crm_agent_hygiene.engine.capture.mail import parse_mail
from crm_agent_hygiene.engine.capture.quotes import split_quotes
from crm_agent_hygiene.engine.capture.signature import strip_name_decorations


@pytest.mark.parametrize(
    "written, name",
    [
        ("Dr.-Ing. Eva Brandl", "Eva Brandl"),
        ("Dipl.-Wirt.-Ing. Ole Jensen", "Ole Jensen"),
        ("Dr.-Ing. habil. Uwe Klein", "Uwe Klein"),
        ("Arq.ª Marta Lopes", "Marta Lopes"),
        ("Arq.a Marta Lopes", "Marta Lopes"),  # the same once NFKC-folded
        ("Engº Rui Sousa", "Rui Sousa"),
        ("Jean-Luc Picard", "Jean-Luc Picard"),
        ("J. Smith", "J. Smith"),
    ],
)
def test_hyphenated_and_ordinal_degrees_are_not_the_name(written, name):
    assert strip_name_decorations(written) == name


def test_vcard_like_labels_are_not_part_of_the_values():
    body = (
        "Hello,\n\nSee the attached offer.\n\nRegards,\n--\nName: Ravi Menon\nPosition: Key Account Manager\n"
        "Company: Tidewater Pumps Pte. Ltd.\nTel: +65 6234 5678\n"
    )
    fields = parse_mail(body, False, "Ravi Menon", "ravi@tidewater.com.sg").signature.fields(0.5)
    assert fields["name"].value == "Ravi Menon"
    assert fields["title"].value == "Key Account Manager"
    assert fields["company"].value == "Tidewater Pumps Pte. Ltd."


def test_area_code_set_apart_by_a_slash():
    body = "Guten Tag,\n\nanbei die Rechnung.\n\nGrüße\nPia Lang\nLang Metallbau GmbH\nTel. 0711 / 98 76 54 3\n"
    fields = parse_mail(body, False, "Pia Lang", "pia@lang-metallbau.de").signature.fields(0.5)
    assert fields["phone"].value == "+49711987654" + "3"


def test_team_line_of_a_shared_mailbox_is_not_a_job_title():
    body = "Estimado cliente:\n\nSu pedido sale hoy.\n\nDepartamento de Compras\nAceros Norte S.A.\nTel. 944 12 34 56\n"
    shared = parse_mail(body, False, "Compras Aceros Norte", "ventas@acerosnorte.es").signature
    assert "title" not in shared.fields(0.5)
    assert shared.company.value == "Aceros Norte S.A."
    # the same lines from a person's address: the department is that person's function
    person = parse_mail(body, False, "Iker Goñi", "iker.goni@acerosnorte.es").signature
    assert person.fields(0.5)["title"].value == "Departamento de Compras"


def test_area_code_after_country_code_and_slash():
    body = "Guten Tag,\n\nanbei die Rechnung.\n\nGrüße\nEva Pichler\nPichler Bau GmbH\nTel.: +43 (0) 1 / 345 67 89-10\n"
    fields = parse_mail(body, False, "Eva Pichler", "eva@pichler-bau.at").signature.fields(0.5)
    assert fields["phone"].value == "+43134567891" + "0"


def test_sender_name_then_company_on_one_line():
    body = (
        "Hola,\n\nConfirmado.\n\nSaludos,\nNuria Soler, Vinos Soler Hermanos\nTel. 973 12 34 56\n"
    )
    sig = parse_mail(body, False, "Nuria Soler", "nuria@vinossolerhermanos.es").signature
    assert sig.name.value == "Nuria Soler"
    assert sig.company.value == "Vinos Soler Hermanos"
    # a legal form after the comma is part of the company, not a company after a name
    body = "Bom dia,\n\nEm anexo.\n\nCumprimentos,\nRui Castro\nCastro Cortiças, S.A.\nTel. 21 000 1234\n"
    sig = parse_mail(body, False, "Rui Castro", "rui@castrocorticas.pt").signature
    assert sig.company.value == "Castro Cortiças, S.A."


def test_title_comma_unknown_company_is_only_proposed():
    """The part after the comma neither has a legal form nor matches the mail domain."""
    body = "Hi,\n\nAgreed.\n\nRegards\nOwen Price\nPartner, Price & Lloyd Architects\n+44 29 2018 0000\n"
    fields = parse_mail(body, False, "Owen Price", "owen@plarchitects.co.uk").signature.fields(0.5)
    assert fields["title"].value == "Partner"
    assert fields["title"].confidence < 0.8
    assert fields["company"].confidence < 0.8


INLINE_REPLY = (
    "Hi Mike,\n\nAnswers below.\n\n> Can you ship 200 units?\nYes, in May.\n> Same terms?\nYes.\n"
    "> And the drawings?\nAttached.\n\nBest\nNora Quinn\nSales Engineer\nQuinn Valves Ltd\n"
    "+44 (0)161 496 0222\n\nOn Mon, 3 Mar 2025 at 09:12, Mike Adams <mike@adams.example> wrote:\n"
    "> Nora,\n> Can you ship 200 units?\n> Mike Adams\n> Adams Plant Hire\n> +44 1632 960 111\n"
)


def test_interleaved_reply_keeps_the_writers_answers_and_signature():
    split = split_quotes(INLINE_REPLY)
    assert "Attached." in split.new_text and "Nora Quinn" in split.new_text
    assert "Can you ship" not in split.new_text and "Mike Adams" not in split.new_text
    sig = parse_mail(INLINE_REPLY, False, "Nora Quinn", "nora@quinnvalves.co.uk").signature
    assert sig.name.value == "Nora Quinn"
    assert sig.phone.value == "+441614960222"


@pytest.mark.parametrize(
    "body",
    [
        # a bottom quote without attribution
        "Thanks!\n\nNora\n\n> Can you ship 200 units?\n> Mike Adams\n> +44 1632 960 111\n",
        # a long quoted line wrapped by the mailer: its tail lost the '>', it is no answer
        "Thanks!\n\n> Could you confirm that the 200 units can ship in May under the same terms as\n"
        "last year?\n> Mike Adams, Adams Plant Hire, +44 1632 960 111, please call me\nback.\n",
    ],
)
def test_quote_without_answers_is_cut_at_the_first_quoted_line(body):
    split = split_quotes(body)
    assert split.has_quote
    assert "Mike Adams" not in split.new_text
