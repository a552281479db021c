"""Parsing the Bundeskartellamt's list of merger proceedings: pure functions on fixture rows."""

import datetime
from dataclasses import replace

import pytest
from bs4 import BeautifulSoup

from imports.records import ParseError, PartySide
from imports.sources.bkarta import (
    LIST_URL,
    forward_link,
    list_entry,
    normal_reference,
    parse_row,
    proceedings_table,
    table_rows,
)
from imports.sources.bkarta_conclusions import conclusion_of
from tracker.choices import Outcome, ReviewStatus

from .bkarta_documents import (
    EDEKA_REFERENCE,
    LUFTHANSA_REFERENCE,
    Row,
    edeka_kaisers_tengelmann,
    list_page,
    lufthansa_air_berlin,
    with_impossible_date,
    with_lost_cells,
)


def rows_of(html: str) -> list[list[str]]:
    table = proceedings_table(BeautifulSoup(html, "html.parser"))
    assert table is not None
    return list(table_rows(table))


def parsed(row: Row):
    [cells] = rows_of(list_page([row]))
    entry = list_entry(cells, LIST_URL, "1-1")
    return parse_row(entry.payload, entry.url)


def test_an_open_row_is_a_phase_1_case_from_its_notification():
    record = parsed(lufthansa_air_berlin())

    assert (record.status, record.outcome, record.registry_state) == (
        ReviewStatus.PHASE_1,
        "",
        "open",
    )
    assert (record.opened_on, record.closed_on) == (datetime.date(2016, 12, 30), None)
    assert record.reference == record.source_id == LUFTHANSA_REFERENCE
    assert record.sides == [
        PartySide(("Lufthansa Group",)),
        PartySide(("Air Berlin PLC & Co. Luftverkehrs KG",)),
    ]
    assert record.deal_title == "Lufthansa Group / Air Berlin PLC & Co. Luftverkehrs KG"
    assert record.title.endswith("(B9-190/16)")
    assert (record.sector, record.currency, record.regulator) == ("Luftverkehr", "EUR", "bkarta")
    assert record.url == f"{LIST_URL}#B9-190%2F16"
    assert not record.reached_phase_2


def test_a_phase_1_clearance_closes_the_case_on_its_date():
    record = parsed(lufthansa_air_berlin(cleared=True))

    assert (record.status, record.outcome) == (ReviewStatus.CLEARED, Outcome.CLEARED)
    assert (record.registry_state, record.closed_on) == ("concluded", datetime.date(2017, 1, 30))
    assert record.outcome_wording == record.registry_outcome == "Freigabe 30.01.2017"
    assert (record.reached_phase_2, record.phase_2_on) == (False, None)


def test_a_prohibition_went_through_the_main_examination():
    record = parsed(edeka_kaisers_tengelmann())

    assert (record.status, record.outcome) == (ReviewStatus.PROHIBITED, Outcome.PROHIBITED)
    assert record.reference == EDEKA_REFERENCE
    assert (record.opened_on, record.closed_on) == (None, datetime.date(2015, 3, 31))
    assert record.reached_phase_2
    assert record.sector == "Lebensmitteleinzelhandel"


@pytest.mark.parametrize(
    ("wording", "expected"),
    [
        ("-", (ReviewStatus.PHASE_1, "", False)),
        ("", (ReviewStatus.PHASE_1, "", False)),
        ("Hauptprüfverfahren eingeleitet", (ReviewStatus.PHASE_2, "", True)),
        ("Hauptprüfverfahren", (ReviewStatus.PHASE_2, "", True)),
        ("Monatsbrief", (ReviewStatus.PHASE_2, "", True)),
        ("Freigabe", (ReviewStatus.CLEARED, Outcome.CLEARED, False)),
        ("Freigabe nach Hauptprüfverfahren", (ReviewStatus.CLEARED, Outcome.CLEARED, True)),
        (
            "Freigabe mit Nebenbestimmungen",
            (ReviewStatus.CLEARED_WITH_CONDITIONS, Outcome.CLEARED_WITH_REMEDIES, True),
        ),
        (
            "Freigabe unter Nebenbestimmungen",
            (ReviewStatus.CLEARED_WITH_CONDITIONS, Outcome.CLEARED_WITH_REMEDIES, True),
        ),
        ("Untersagung", (ReviewStatus.PROHIBITED, Outcome.PROHIBITED, True)),
        ("Rücknahme", (ReviewStatus.ABANDONED, Outcome.ABANDONED, False)),
        ("  freigabe   NACH hauptprüfverfahren ", (ReviewStatus.CLEARED, Outcome.CLEARED, True)),
    ],
)
def test_every_conclusion_wording_maps_onto_our_vocabulary(wording, expected):
    assert tuple(conclusion_of(wording)) == expected


def test_an_unknown_conclusion_leaves_the_status_to_an_editor():
    assert conclusion_of("Verweisung an die Europäische Kommission") is None
    record = parsed(replace(lufthansa_air_berlin(), conclusion="Verweisung (Art. 22 FKVO)"))
    assert (record.status, record.outcome, record.closed_on) == (None, "", None)
    assert record.registry_state == ""
    assert record.registry_outcome == "Verweisung (Art. 22 FKVO)"


@pytest.mark.parametrize(
    ("row", "field"),
    [
        (with_impossible_date(edeka_kaisers_tengelmann()), "Datum: no such day"),
        (with_lost_cells(lufthansa_air_berlin()), "row: expected 5 cells, got 3"),
        (replace(lufthansa_air_berlin(), date="2016-12-30"), "Datum: expected"),
        (replace(lufthansa_air_berlin(), reference="190/16"), "Aktenzeichen"),
        (
            replace(lufthansa_air_berlin(), parties=("Lufthansa Group",)),
            "Unternehmen",
        ),
        (
            replace(edeka_kaisers_tengelmann(), conclusion="-"),
            "Datum: an open proceeding needs",
        ),
        (
            replace(lufthansa_air_berlin(), conclusion="Freigabe"),
            "Abschluss: a concluded proceeding needs its date",
        ),
    ],
)
def test_bad_input_is_a_parse_error_naming_the_column(row, field):
    with pytest.raises(ParseError) as error:
        parsed(row)
    assert str(error.value).startswith(field)


def test_undertakings_may_also_be_separated_by_a_slash():
    record = parsed(
        replace(
            lufthansa_air_berlin(),
            parties=("Lufthansa Group / Air Berlin PLC & Co. Luftverkehrs KG",),
        )
    )
    assert [side.names[0] for side in record.sides] == [
        "Lufthansa Group",
        "Air Berlin PLC & Co. Luftverkehrs KG",
    ]


def test_a_payload_that_is_no_row_is_a_parse_error():
    with pytest.raises(ParseError, match="^row:"):
        parse_row("<tr></tr>", LIST_URL)


def test_file_numbers_are_read_as_the_office_writes_them():
    assert normal_reference("B 9 - 190/16") == "B9-190/16"
    # The list marks a concentration examined after its implementation (GWB s.41(3)).
    assert normal_reference("B2-96/14*") == "B2-96/14"
    assert normal_reference("B2-96/14") == "B2-96/14"
    assert normal_reference("M.11766") == ""


def test_a_row_without_a_file_number_keeps_its_place_as_its_id():
    [cells] = rows_of(list_page([with_lost_cells(lufthansa_air_berlin())]))
    entry = list_entry(cells, LIST_URL, "2-7")
    assert (entry.source_id, entry.url) == ("row-2-7", LIST_URL)


def test_the_fingerprint_follows_the_row():
    [open_row] = rows_of(list_page([lufthansa_air_berlin()]))
    [cleared] = rows_of(list_page([lufthansa_air_berlin(cleared=True)]))
    assert (
        list_entry(open_row, LIST_URL, "1-1").fingerprint
        == list_entry(open_row, LIST_URL, "1-1").fingerprint
    )
    assert (
        list_entry(open_row, LIST_URL, "1-1").fingerprint
        != list_entry(cleared, LIST_URL, "1-1").fingerprint
    )


def test_the_pager_names_the_next_page_and_the_last_page_none():
    with_pager = BeautifulSoup(list_page([], forward="?page=2"), "html.parser")
    last = BeautifulSoup(list_page([]), "html.parser")
    assert (forward_link(with_pager), forward_link(last)) == ("?page=2", "")


def test_a_page_without_the_table_of_proceedings_has_none():
    assert (
        proceedings_table(BeautifulSoup("<html><table><tr><th>x</th></tr></table>", "html.parser"))
        is None
    )


def test_soft_hyphens_are_dropped_and_older_tables_with_td_headers_are_read():
    row = lufthansa_air_berlin()
    older = f"""<table class="csvTable">
    <tr><td>Datum</td><td>Akten\u00adzeichen</td><td>Unternehmen</td><td>Produktbereich</td>
    <td>Abschluss</td></tr>
    <tr><td>{row.date}</td><td>{row.reference}</td><td>Lufthansa Group<br>Air Berlin PLC &amp; Co.
    Luftverkehrs KG</td><td>Luft\u00adverkehr</td><td>-</td></tr></table>"""

    [cells] = rows_of(older)

    record = parse_row(list_entry(cells, LIST_URL, "1-1").payload, LIST_URL)
    assert record.sector == "Luftverkehr"
    assert record.reference == LUFTHANSA_REFERENCE
    # A line break of the markup is a space; only <br> separates the undertakings.
    assert [side.names for side in record.sides] == [
        ("Lufthansa Group",),
        ("Air Berlin PLC & Co. Luftverkehrs KG",),
    ]
