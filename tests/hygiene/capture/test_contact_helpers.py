"""The capture side of the contact vocabulary: sender address and signature address helpers."""

import pytest

from crm_agent_hygiene.engine.capture.contact import (
    address_parts,
    name_from_email,
    raw_domain_of,
    split_address,
)


def test_raw_domain_keeps_the_spelling_that_tells_a_lookalike():
    assert raw_domain_of("ann@Acme.Example") == "acme.example"
    punycode = "acmé.example".encode("idna").decode()
    assert raw_domain_of(f"ann@{punycode}") == "acmé.example"
    assert raw_domain_of("no-at-sign") == ""
    assert raw_domain_of(None) == ""


@pytest.mark.parametrize(
    ("email", "name"),
    [
        ("ann.smith@acme.example", "Ann Smith"),
        ("jean-luc.picard@fleet.example", "Jean Luc Picard"),
        ("info@acme.example", ""),
        ("a1.b2@acme.example", ""),
        ("", ""),
    ],
)
def test_name_from_email_only_for_named_addresses(email, name):
    assert name_from_email(email) == name


def test_split_address_one_line_and_multi_line():
    parts = address_parts("1 Main Street, Floor 3, London EC1A 1BB")
    assert split_address(parts) == {
        "street": "1 Main Street",
        "street2": "Floor 3",
        "zip": "EC1A 1BB",
        "city": "London",
    }
    assert split_address(address_parts("Rue de la Paix 2\n75002 Paris")) == {
        "street": "Rue de la Paix 2",
        "zip": "75002",
        "city": "Paris",
    }
    assert split_address(address_parts("")) == {}
