"""Parsing the ACCC acquisitions register's pages: every value of its vocabulary, and the
malformed pages that must name the field that is wrong."""

import datetime

import pytest

from imports.records import CLOCK_EXTEND, ParseError
from imports.sources.accc import parse_list_page, parse_matter
from imports.sources.accc_outcomes import from_register
from tracker.choices import DealType, Outcome, ReviewStatus

from .accc_documents import (
    ALL,
    HEIDELBERG,
    MICROSTAR,
    MICROSTAR_IN_PHASE_1,
    OPAL,
    PETER_WARREN,
    REGISTER_PATH,
    SALESFORCE,
    SILK,
    VETS_CENTRAL,
    WINNING,
    list_page,
    matter_page,
)

SITE = "https://www.accc.gov.au"
D = datetime.date


def parsed(matter, **changes):
    matter = matter.but(**changes) if changes else matter
    return parse_matter(matter_page(matter), SITE + matter.path)


@pytest.mark.parametrize(
    "matter, status, outcome",
    [
        (OPAL, ReviewStatus.CLEARED, Outcome.CLEARED),
        (HEIDELBERG, ReviewStatus.CLEARED_WITH_CONDITIONS, Outcome.CLEARED_WITH_REMEDIES),
        (MICROSTAR, ReviewStatus.PROHIBITED, Outcome.PROHIBITED),
        (PETER_WARREN, ReviewStatus.ABANDONED, Outcome.ABANDONED),
        (SILK, ReviewStatus.PHASE_1, ""),
        (VETS_CENTRAL, ReviewStatus.PHASE_2, ""),
        (WINNING, ReviewStatus.CLOSED, Outcome.NOT_QUALIFYING),
        (SALESFORCE, ReviewStatus.CLOSED, ""),
    ],
    ids=lambda value: getattr(value, "matter_id", None),
)
def test_each_status_stage_and_determination_maps_to_ours(matter, status, outcome):
    record = parsed(matter)

    assert (record.status, record.outcome) == (status, outcome)
    assert record.reference == record.source_id == matter.matter_id
    assert record.registry_state == matter.status


@pytest.mark.parametrize(
    "kind, status, stage, determination",
    [
        ("Notification", "Under assessment", "Public benefits", ""),
        ("Notification", "Assessment completed", "Phase 1 - initial assessment", "Referred"),
        ("Waiver", "Under assessment", "Waiver application", ""),
        ("Waiver", "Assessment completed", "Waiver application", "Declined in part"),
    ],
)
def test_what_a_machine_cannot_place_goes_to_an_editor(kind, status, stage, determination):
    assert from_register(kind, status, stage, determination).status is None


def test_a_suspended_assessment_stays_in_its_phase():
    assert from_register(
        "Notification", "Assessment suspended", "Phase 2 - detailed assessment", ""
    ).status == (ReviewStatus.PHASE_2)


def test_a_completed_matter_carries_its_dates_parties_sector_and_documents():
    record = parsed(OPAL)

    assert (record.opened_on, record.closed_on, record.published_deadline) == (
        D(2026, 1, 19),
        D(2026, 2, 10),
        None,
    )
    assert record.title == record.deal_title == OPAL.title
    assert record.deal_type == DealType.ACQUISITION
    assert record.url == SITE + OPAL.path
    assert record.currency == "AUD"
    assert record.sector == "8601 Aged Care Residential Services"
    # The first acquirer leads (the second is a related body corporate); the target has no ABN.
    assert [side.names for side in record.sides] == [
        ("OHCA Property Holdings Pty Ltd", "ABN 70 675 807 477"),
        ("The assets and business comprising Sunnymeade Park Aged Care Community",),
    ]
    [determination] = record.documents
    assert determination.is_decision and determination.occurred_on == D(2026, 2, 10)
    assert determination.url.startswith(SITE + "/system/files/public-merger-register/")
    assert record.outcome_wording == "ACCC determination: approved"


def test_a_running_matter_publishes_its_deadline_and_has_no_closing_date():
    record = parsed(SILK)

    assert (record.status, record.closed_on, record.published_deadline) == (
        ReviewStatus.PHASE_1,
        None,
        D(2026, 9, 10),
    )
    assert record.sector == "4610 Road Freight Transport"


def test_phase_2_starts_with_the_phase_2_notice():
    record = parsed(VETS_CENTRAL)

    assert record.reached_phase_2 and record.phase_2_on == D(2026, 8, 18)
    assert record.published_deadline == D(2027, 1, 12)
    assert parsed(MICROSTAR).phase_2_on == D(2026, 4, 1)
    assert not parsed(MICROSTAR_IN_PHASE_1).reached_phase_2
    # The entry opening phase 2 cites the matter's page, as its status change does.
    [opening] = [d for d in parsed(MICROSTAR).documents if d.occurred_on == D(2026, 4, 1)]
    assert opening.url == SITE + MICROSTAR.path


def test_a_decided_matter_without_its_date_closes_on_its_determination():
    record = parsed(MICROSTAR, determined_on=None)

    assert record.closed_on == D(2026, 8, 7)


def test_a_ceased_matter_closes_on_the_entry_saying_so():
    record = parsed(PETER_WARREN)

    assert record.closed_on == D(2026, 6, 15)
    assert record.reached_phase_2 and record.phase_2_on == D(2026, 6, 2)
    [no_document] = [d for d in record.documents if "ceased" in d.title]
    assert no_document.url == SITE + PETER_WARREN.path  # the row links nothing: the page


def test_a_timeline_extension_is_a_clock_act_in_business_days():
    [extension] = [d for d in parsed(HEIDELBERG).documents if d.clock_action]

    assert (extension.clock_action, extension.clock_length, extension.occurred_on) == (
        CLOCK_EXTEND,
        15,
        D(2026, 5, 29),
    )
    assert extension.clock_reason == "following remedy offered by parties"
    assert not extension.is_decision


def test_a_waiver_opens_on_its_application_and_says_what_was_decided():
    record = parsed(WINNING)

    assert (record.opened_on, record.closed_on) == (D(2026, 3, 23), D(2026, 4, 23))
    assert record.outcome_wording == "Notification waiver: approved"
    assert parsed(SALESFORCE).outcome_wording == "Notification waiver: not approved"
    assert parsed(SALESFORCE).sides[0].names == ("Salesforce, Inc",)


def test_a_joint_venture_makes_its_parties_partners():
    record = parsed(SILK, title="Wesfarmers and Built Group – Built Living Joint Venture")

    assert record.deal_type == DealType.JOINT_VENTURE


@pytest.mark.parametrize(
    "drop, field",
    [
        ("Acquisition case number", "Acquisition case number"),
        ("Type", "Type"),
        ("Acquisition status", "Acquisition status"),
        ("Effective notification date", "Effective notification date"),
        ("Acquirer(s)", "acquirer(s)"),
        ("Target(s) or vendor(s)", "target(s) or vendor(s)"),
    ],
)
def test_a_page_missing_a_field_names_it(drop, field):
    with pytest.raises(ParseError, match=field.replace("(", r"\(").replace(")", r"\)")):
        parse_matter(matter_page(OPAL, drop=drop), SITE + OPAL.path)


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"matter_id": "MN-7500"}, "Acquisition case number"),
        ({"kind": "Merger"}, "Type"),
        ({"kind": "Waiver"}, "Type: Waiver does not fit"),
        ({"status": "Finished"}, "Acquisition status"),
        ({"determined_on": None, "events": ()}, "Determination publication date"),
        ({"events": None}, "Decisions and key events: row 1"),
        ({"title": ""}, "title"),
    ],
)
def test_a_wrong_value_names_its_field(changes, field):
    if "events" in changes and changes["events"] is None:
        # A row whose date cell is empty.
        html = matter_page(OPAL).replace(
            matter_page(OPAL).split("<tbody>")[1].split("</tbody>")[0],
            "<tr><td></td><td>Phase 1 determination</td><td></td></tr>",
        )
    else:
        html = matter_page(OPAL.but(**changes))
    with pytest.raises(ParseError, match=field):
        parse_matter(html, SITE + OPAL.path)


def test_an_unparseable_date_names_its_field():
    html = matter_page(OPAL).replace('datetime="2026-01-19T12:00:00Z"', 'datetime="2026-19-01"')

    with pytest.raises(ParseError, match="effective notification date: unparseable"):
        parse_matter(html, SITE + OPAL.path)


def test_a_page_that_is_no_matter_says_so():
    with pytest.raises(ParseError, match="article"):
        parse_matter("<html><body><p>Page not found</p></body></html>", SITE + OPAL.path)


def test_the_list_gives_one_entry_per_matter_and_the_next_page():
    page_url = SITE + REGISTER_PATH
    entries, link = parse_list_page(list_page(ALL, next_page=1), page_url)

    assert [e.source_id for e in entries] == [m.matter_id for m in ALL]
    assert entries[0].url == SITE + OPAL.path
    assert link == f"{page_url}?init=1&items_per_page=50&page=1"
    assert parse_list_page(list_page(ALL), page_url)[1] is None
    # A card's fingerprint changes with what the card shows.
    again, _ = parse_list_page(list_page([MICROSTAR_IN_PHASE_1]), page_url)
    later, _ = parse_list_page(list_page([MICROSTAR]), page_url)
    assert again[0].fingerprint != later[0].fingerprint


def test_a_card_without_a_case_number_is_left_out():
    html = list_page([OPAL, SILK]).replace(">MN-75002<", "><")

    entries, _ = parse_list_page(html, SITE + REGISTER_PATH)

    assert [e.source_id for e in entries] == ["MN-01116"]


def test_a_card_linking_off_the_register_is_not_followed():
    html = list_page([OPAL, SILK]).replace(
        f'href="{OPAL.path}"', 'href="https://elsewhere.example.org/opal"'
    )

    entries, _ = parse_list_page(html, SITE + REGISTER_PATH)

    assert [(e.source_id, e.followed) for e in entries] == [
        ("MN-75002", False),
        ("MN-01116", True),
    ]
