"""Parsing DOJ and FTC press releases (fixture documents in the lists' shapes) into notices."""

import datetime

import pytest
import time_machine

from imports.records import ParseError, PartySide
from imports.sources.press_releases import (
    is_antitrust_division,
    moves_now,
    parse_doj,
    parse_ftc,
)
from imports.sources.press_releases_acts import ACTS, act_of, parties_in, references_in
from tracker.choices import EventKind, ReviewStatus, ReviewType

from . import press_releases_documents as docs


def test_the_google_suit_is_a_monopolisation_complaint_in_its_docket():
    record = parse_doj(docs.google_search_suit())

    assert (record.source, record.regulator, record.kind) == (
        "doj_press",
        "doj",
        "monopolization_suit",
    )
    assert record.source_id == docs.GOOGLE_SEARCH_URL  # no uuid given: known by its address
    assert (record.event_kind, record.review_type) == (EventKind.COMPLAINT, ReviewType.LITIGATION)
    assert record.published_on == datetime.date(2020, 10, 20)
    assert record.references == ["1:20-cv-03010"]
    assert record.sides == [PartySide(("Google LLC",))]
    assert record.source_title.endswith("(DOJ press release)")
    assert record.abstract.startswith("The Department and eleven states sue Google")
    assert "<p>" not in record.abstract


def test_a_release_read_long_after_its_day_moves_nothing():
    assert parse_doj(docs.google_search_suit()).moves_to == ""


@time_machine.travel(datetime.datetime(2020, 10, 21, 15, 0, tzinfo=datetime.UTC))
def test_a_release_read_soon_after_its_day_moves_its_proceeding():
    assert parse_doj(docs.google_search_suit()).moves_to == ReviewStatus.LITIGATION


def test_moves_now_counts_thirty_days():
    today = datetime.date(2022, 12, 8)
    assert moves_now(datetime.date(2022, 11, 8), today)
    assert not moves_now(datetime.date(2022, 11, 7), today)


def test_a_remedies_decision_told_by_a_release_is_a_statement_on_the_same_docket():
    record = parse_doj(docs.google_remedies())

    assert (record.kind, record.event_kind, record.moves_to, record.may_open) == (
        "decision_told",
        EventKind.STATEMENT,
        "",
        False,
    )
    assert record.references == ["1:20-cv-03010"]
    assert record.published_on == datetime.date(2025, 9, 2)


def test_the_doj_day_is_washingtons():
    late = docs.google_search_suit()
    # 23:30 in Washington on 20 October 2020 is already the 21st in UTC.
    late["date"] = str(
        int(datetime.datetime(2020, 10, 20, 23, 30, tzinfo=docs.WASHINGTON).timestamp())
    )
    assert parse_doj(late).published_on == datetime.date(2020, 10, 20)


def test_the_microsoft_activision_suit_names_both_sides():
    record = parse_ftc(docs.microsoft_activision_suit())

    assert (record.source, record.regulator, record.kind) == ("ftc_press", "ftc", "suit_to_block")
    assert (record.event_kind, record.review_type) == (EventKind.COMPLAINT, ReviewType.LITIGATION)
    assert record.published_on == datetime.date(2022, 12, 8)
    assert record.sides == [
        PartySide(("Microsoft Corp",)),
        PartySide(("Activision Blizzard, Inc",)),
    ]
    assert record.url == docs.MICROSOFT_ACTIVISION_URL
    assert record.source_id == docs.MICROSOFT_ACTIVISION_URL


def test_a_title_describing_the_target_gives_its_name():
    record = parse_ftc(docs.illumina_challenge())
    assert record.kind == "suit_to_block"
    assert record.sides == [PartySide(("Illumina",)), PartySide(("Grail",))]


def test_an_order_to_divest_is_told_not_decided_by_the_release():
    record = parse_ftc(docs.illumina_order())
    assert (record.kind, record.event_kind, record.moves_to) == (
        "decision_told",
        EventKind.STATEMENT,
        "",
    )
    assert record.sides == [PartySide(("Illumina",)), PartySide(("GRAIL",))]


def test_a_6b_study_is_only_ever_matched():
    record = parse_ftc(docs.ai_inquiry())
    assert (record.kind, record.review_type, record.may_open) == (
        "6b_study",
        ReviewType.MARKET_STUDY,
        False,
    )
    assert record.sides == []  # five companies in three deals: for an editor


def test_a_staff_report_is_not_followed():
    assert act_of(docs.ai_staff_report()["title"], regulator="ftc") is None
    with pytest.raises(ParseError, match="^title: not a release the tracker follows"):
        parse_ftc(docs.ai_staff_report())


@pytest.mark.parametrize(
    ("title", "regulator", "kind", "moves_to"),
    [
        (
            "Justice Department Sues to Block a Proposed Acquisition",
            "doj",
            "suit_to_block",
            "litigation",
        ),
        (
            "FTC Sues Company for Illegally Maintaining Monopoly Power",
            "ftc",
            "monopolization_suit",
            "litigation",
        ),
        ("Agency Issues Second Requests in Proposed Merger", "doj", "second_request", "phase_2"),
        ("FTC Accepts Proposed Consent Order in Acquisition", "ftc", "consent_order", "remedies"),
        ("Justice Department Requires Divestiture in Acquisition", "doj", "tunney_act", "remedies"),
        ("Companies Abandon Proposed Merger", "ftc", "abandoned", "abandoned"),
        ("FTC Launches Inquiry into an Industry", "ftc", "6b_study", "preliminary_inquiry"),
        ("Department of Justice Wins Remedies", "doj", "decision_told", ""),
        ("Executive Pleads Guilty to Bid Rigging", "doj", None, None),
    ],
)
def test_every_act_of_the_vocabulary(title, regulator, kind, moves_to):
    act = act_of(title, regulator=regulator)
    assert (act.kind if act else None, act.moves_to if act else None) == (kind, moves_to)


def test_the_vocabulary_moves_only_as_the_lifecycle_allows_from_an_open_case():
    from tracker.lifecycle import ALLOWED_TRANSITIONS, OPEN_STATUSES

    reachable = set().union(*(ALLOWED_TRANSITIONS[s] for s in OPEN_STATUSES))
    assert {act.moves_to for act in ACTS if act.moves_to} <= reachable


def test_the_same_acts_share_the_federal_registers_kinds():
    from imports.sources.federal_register import notice_kind

    fr_consent = notice_kind(
        "X; Analysis of Agreement Containing Consent Orders To Aid Public Comment"
    )
    fr_judgment = notice_kind(
        "United States v. X; Proposed Final Judgment and Competitive Impact Statement"
    )
    assert act_of("FTC Accepts Proposed Consent Order", regulator="ftc").kind == fr_consent
    assert act_of("Justice Department Requires Divestiture", regulator="doj").kind == fr_judgment


def test_references_are_written_as_the_tracker_writes_them():
    assert references_in(
        "No. 1:20-CV-03010; Docket No. 9412; File No. 221 0151; again 1:20-cv-03010"
    ) == ["1:20-cv-03010", "D-9412", "221-0151"]


def test_parties_of_a_slashed_matter_name_and_of_a_legal_form_in_lower_case():
    assert parties_in("In the Matter of Microsoft Corp. / Activision Blizzard, Inc.") == [
        PartySide(("Microsoft Corp",)),
        PartySide(("Activision Blizzard, Inc",)),
    ]
    assert parties_in("FTC Challenges Examplo Holdings plc's Acquisition of Widgetco Limited") == [
        PartySide(("Examplo Holdings plc",)),
        PartySide(("Widgetco Limited",)),
    ]


def test_only_the_antitrust_divisions_releases_count():
    assert is_antitrust_division(docs.google_search_suit())
    assert not is_antitrust_division({"component": [{"name": "Civil Rights Division"}]})
    assert not is_antitrust_division({"component": ""})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"date": "20 October 2020"}, "^date: not a timestamp"),
        ({"date": None}, "^date: missing"),
        ({"date": "99999999999999999"}, "^date: out of range"),
        ({"url": "javascript:alert(1)"}, "^url: missing"),
        ({"title": "  "}, "^title: missing"),
    ],
)
def test_a_malformed_doj_release_names_its_field(change, message):
    with pytest.raises(ParseError, match=message):
        parse_doj({**docs.google_search_suit(), **change})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"pubDate": "December 8, 2022"}, "^pubDate: unparseable date"),
        ({"pubDate": ""}, "^pubDate: missing"),
        ({"link": ""}, "^link: missing"),
        ({"title": ""}, "^title: missing"),
    ],
)
def test_a_malformed_ftc_item_names_its_field(change, message):
    with pytest.raises(ParseError, match=message):
        parse_ftc({**docs.microsoft_activision_suit(), **change})


def test_a_document_that_is_not_an_object_is_refused():
    with pytest.raises(ParseError, match="not a JSON object"):
        parse_doj(["not", "a", "release"])
    with pytest.raises(ParseError, match="not a feed item"):
        parse_ftc("not an item")
