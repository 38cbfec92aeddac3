"""Meeting notes: the general causes found by the held-out set written after the engine
(meetings_heldout.json, bench/capture/action_items_heldout.py), each tested on sentences that are
not in that set, and the held-out figures."""

import json
from datetime import date

import pytest
from meeting_quality import CORPUS, score

from crm_agent_hygiene.engine.capture.attendees import Attendee
from crm_agent_hygiene.engine.capture.due_dates import find_due
from crm_agent_hygiene.engine.capture.meeting import parse_meeting

MEETING = date(2026, 12, 2)  # a Wednesday
ATTENDEES = [
    Attendee("Greta Holm", "greta@ours.example", 1),
    Attendee("Rui Matos", "rui@client.example", 2),
    Attendee("Bea Lindqvist", "bea@client.example", 3),
    Attendee("Oskar Wendt", "oskar@ours.example", 4),
]
AUTHOR = ATTENDEES[0]


def items(notes):
    result = parse_meeting(notes, MEETING, attendees=ATTENDEES, author=AUTHOR)
    return [(i.attendee.ref if i.attendee else None, i.what, i.due) for i in result.action_items]


@pytest.mark.parametrize(
    "notes",
    [
        "Action items\n- Oskar: send the invoice\n\nFollow-up questions\n- Rui: is the API public",
        "Notes\nDomanda aperta: serve un secondo ambiente?\nOskar manda il preventivo.",
        "Notes\nOskar manda il preventivo.\n¿Hace falta un piloto? Lo vemos luego",
    ],
)
def test_open_questions_are_not_tasks(notes):
    assert [ref for ref, *_ in items(notes)] == [4]


@pytest.mark.parametrize(
    "line",
    [
        "Nothing more to do on our side.",
        "Nada más que revisar por ahora.",
        "Niente altro da fare.",
        "Niets meer te doen deze week.",
        "Rien de plus à faire.",
    ],
)
def test_nothing_else_to_do_is_nothing(line):
    assert items("Next steps:\n- " + line) == []


def test_a_sentence_ends_after_a_date_but_not_before_a_month():
    found = items("Oskar schickt das Angebot bis 4.12. Rui prüft die Zahlen.")
    assert [(ref, due) for ref, _what, due in found] == [
        (4, date(2026, 12, 4)),
        (2, None),
    ]
    assert len(items("Oskar schickt das Angebot am 16. Dezember.")) == 1


@pytest.mark.parametrize(
    "line,ref",
    [
        ("Rui fera le point avec son équipe.", 2),  # short French future
        ("Bea dirá el presupuesto final.", 3),  # short Spanish future
        ("Rui precisa aprovar o orçamento.", 2),  # Portuguese need-to
        ("Bea necesita firmar el pedido.", 3),
    ],
)
def test_short_futures_and_need_to_commit(line, ref):
    assert [r for r, *_ in items("Notes\n" + line)] == [ref]


@pytest.mark.parametrize(
    "line,ref",
    [
        ("The slides need to be updated by Oskar.", 4),
        ("Der Vertrag soll von Rui unterschrieben werden.", 2),
        ("La fattura deve essere controllata da Bea.", 3),
        ("Le devis doit être validé par Oskar.", 4),
        ("O contrato deve ser assinado pelo Rui.", 2),
    ],
)
def test_passive_with_an_attendee_agent(line, ref):
    found = items("Notes\n" + line)
    assert [r for r, *_ in found] == [ref]
    assert "Oskar" not in found[0][1] and "Rui" not in found[0][1]


def test_passive_with_somebody_else_as_agent_is_no_task():
    assert items("Notes\nThe slides need to be updated by Marketing.") == []


def test_reported_commitment_is_the_speakers():
    assert [r for r, *_ in items("Notes\nRui said he'd send the roadmap.")] == [2]
    assert items("Notes\nRui said the roadmap is late.") == []


@pytest.mark.parametrize(
    "line",
    [
        "Rui mentioned that their board meets in May.",
        "Bea ha detto che il budget è chiuso.",
        "Rui comentou que vão abrir uma filial.",
        "Bea y Rui revisaron el contrato con su abogado.",
    ],
)
def test_an_attendee_reporting_is_no_task_even_in_an_action_section(line):
    assert items("Next steps:\n- Oskar: send the invoice\n" + line) == [
        (4, "Send the invoice", None)
    ]


@pytest.mark.parametrize(
    "line,ref",
    [
        ("A Bea vai enviar os dados.", 3),  # article before a first name
        ("O Rui envia-nos o relatório.", 2),
        ("Rui: il nous envoie la maquette.", 2),  # subject pronoun after "Name:"
        ("De mon côté, je relance le juridique.", 1),  # lead phrase, then "je" = the author
        ("Oskar: offerte opsturen naar de klant", 4),  # Dutch order, infinitive inside
    ],
)
def test_more_ways_to_name_the_owner(line, ref):
    assert [r for r, *_ in items("Notes\n" + line)] == [ref]


def test_table_with_an_owner_column_makes_every_row_a_task():
    notes = "Wer | Was | Wann\n---|---|---\nOskar | Lizenzmodell durchrechnen | 4.12.\nRui | Logo | -\n\nFazit: gut"
    assert items(notes) == [
        (4, "Lizenzmodell durchrechnen", date(2026, 12, 4)),
        (2, "Logo", None),
    ]


def test_a_table_without_an_owner_column_is_not_read_as_tasks():
    assert items("Product | Price | Seats\nBasic | 10 | 5\nPro | 20 | 10") == []


@pytest.mark.parametrize(
    "phrase,expected",
    [
        ("volgende week dinsdag", date(2026, 12, 8)),
        ("Tuesday next week", date(2026, 12, 8)),
        ("nächste Woche am Montag", date(2026, 12, 7)),
        ("até dia 20", date(2026, 12, 20)),
        ("by the 1st", date(2027, 1, 1)),
    ],
)
def test_weekday_of_next_week_and_day_of_month(phrase, expected):
    assert find_due(phrase, MEETING)[0] == expected


def test_the_number_after_the_is_not_a_date():
    assert find_due("the 3 options we discussed", MEETING)[0] is None


def test_heldout_set_figures():
    rows = json.loads((CORPUS / "meetings_heldout.json").read_text(encoding="utf-8"))
    assert {r["lang"] for r in rows} == {"en", "fr", "de", "es", "it", "nl", "pt"}
    overall, confident = score(rows), score(rows, 0.8)
    assert overall["precision"] >= 0.9, overall["misses"]
    assert overall["recall"] >= 0.8, overall["misses"]
    assert confident["precision"] >= 0.98, confident["misses"]


def test_he_she_is_the_last_attendee_named_as_subject_proposed_only():
    notes = "Rui explained the rollout. He will also book the training room."
    result = parse_meeting(notes, MEETING, attendees=ATTENDEES, author=AUTHOR)
    assert [(i.attendee.ref, i.what) for i in result.action_items] == [
        (2, "Book the training room")
    ]
    assert result.action_items[0].confidence < 0.8
    assert items("The demo went fine. She will book the training room.") == []


@pytest.mark.parametrize(
    "phrase",
    ["entro la fine della settimana", "antes del fin de esta semana", "até fim desta semana"],
)
def test_end_of_this_week_in_more_words(phrase):
    assert find_due(phrase, MEETING)[0] == date(2026, 12, 4)
