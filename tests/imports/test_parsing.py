"""The pure parts: party names, case titles, GOV.UK bodies, Retry-After."""

import datetime

import pytest

from imports.client import retry_after_seconds
from imports.matching import PartyIndex, normalise
from imports.records import Document, ParseError, web_url
from imports.sources import cma
from imports.sources.federal_register import notice_kind, parties_in

from .govuk import examplo_widgetco


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Amazon.com, Inc.", "amazon com"),
        ("Anthropic PBC", "anthropic"),
        ("The Net-A-Porter Group Limited", "net a porter"),
        ("Compagnie Financière Richemont S.A.", "compagnie financiere richemont s a"),
        ("Holdings", "holdings"),  # a name that is only a suffix stays a name
    ],
)
def test_normalise(name, expected):
    assert normalise(name) == expected


def test_a_side_named_twice_matches_either_name_and_close_names_need_an_editor():
    index = PartyIndex()
    index.add(1, "Alphabet", "Google", "Google LLC", "Alphabet Inc.")
    index.add(2, "Anthropic", "Anthropic PBC")
    assert index.match(("Alphabet Inc.", "Google LLC")).party_id == 1
    assert index.match(("Anthropic, PBC",)).party_id == 2
    assert index.match(("Anthropics",)).party_id == 2  # fuzzy, sure
    unsure = index.match(("Alphabit",))
    assert (unsure.party_id, unsure.candidates, unsure.ambiguous) == (None, [1], True)
    assert index.match(("Widgetco",)).party_id is None and not index.match(("Widgetco",)).ambiguous
    index.add(3, "Examplo Fund 3 LP")
    assert not index.match(("Examplo Fund 4 LP",)).ambiguous  # numbers tell funds apart


@pytest.mark.parametrize(
    "title, deal, deal_type, sides",
    [
        (
            "Amazon.com Inc. / Anthropic PBC partnership merger inquiry",
            "Amazon.com Inc. / Anthropic PBC",
            "partnership",
            [("Amazon.com Inc.",), ("Anthropic PBC",)],
        ),
        (
            "Alphabet Inc. (Google LLC) / Anthropic merger inquiry",
            "Alphabet Inc. (Google LLC) / Anthropic",
            "acquisition",
            [("Alphabet Inc.", "Google LLC"), ("Anthropic",)],
        ),
        (
            "Vodafone / CK Hutchison JV merger inquiry",
            "Vodafone / CK Hutchison",
            "joint_venture",
            [("Vodafone",), ("CK Hutchison",)],
        ),
        (
            "Richemont / Yoox / Net-A-Porter merger inquiry",
            "Richemont / Yoox / Net-A-Porter",
            "acquisition",
            [("Richemont",), ("Yoox",), ("Net-A-Porter",)],
        ),
    ],
)
def test_case_titles(title, deal, deal_type, sides):
    parsed_deal, parsed_type, parsed_sides = cma.parse_title(title)
    assert (parsed_deal, parsed_type, [s.names for s in parsed_sides]) == (deal, deal_type, sides)


def test_a_title_without_two_parties_is_refused():
    with pytest.raises(ParseError, match="title"):
        cma.parse_title("Cloud services market investigation")


def test_the_body_gives_the_timetable_deadline_and_dated_documents():
    record = cma.parse_case(examplo_widgetco(closed=True).content_item(), "")
    assert record.status == "cleared_with_conditions" and record.outcome == "cleared_with_remedies"
    assert record.phase_2_on == datetime.date(2026, 5, 1)
    assert record.published_deadline is None  # closed: no deadline runs
    assert [(d.occurred_on, d.title, d.is_decision) for d in record.documents] == [
        (datetime.date(2026, 3, 2), "Phase 1 launch", False),
        (datetime.date(2026, 5, 1), "Phase 2 reference", False),
        (datetime.date(2026, 11, 20), "Final report", True),
    ]
    assert record.documents[-1].url.endswith("final_report.pdf")
    open_record = cma.parse_case(examplo_widgetco().content_item(), "")
    assert (open_record.status, open_record.published_deadline) == (
        "phase_2",
        datetime.date(2026, 10, 15),
    )


def test_changed_html_without_a_timetable_still_parses_what_is_there():
    item = examplo_widgetco().content_item()
    item["details"]["body"] = "<div><span>Reorganised page</span><p>No dates here</p></div>"
    record = cma.parse_case(item, "")
    assert (record.status, record.published_deadline, record.documents) == (
        "phase_2",
        None,
        [],
    )  # the referral says so


@pytest.mark.parametrize(
    "title, kind, names",
    [
        (
            "Examplo Holdings plc and Widgetco Limited; Analysis of Agreement Containing Consent "
            "Orders To Aid Public Comment",
            "consent_order",
            [("Examplo Holdings plc",), ("Widgetco Limited",)],
        ),
        (
            "United States v. Examplo Holdings plc, et al.; Proposed Final Judgment and Competitive Impact Statement",
            "tunney_act",
            [("Examplo Holdings plc",)],
        ),
        ("Early Termination Notices", "early_termination", []),
    ],
)
def test_federal_register_titles(title, kind, names):
    assert notice_kind(title) == kind
    assert [s.names for s in parties_in(title, kind)] == names


def test_retry_after_in_seconds_or_as_a_date():
    assert retry_after_seconds("120") == 120.0
    assert (
        retry_after_seconds(
            "Wed, 21 Oct 2026 07:28:00 GMT",
            now=datetime.datetime(2026, 10, 21, 7, 27, 30, tzinfo=datetime.UTC).timestamp(),
        )
        == 30.0
    )
    assert retry_after_seconds("soon") is None


def test_a_register_keeps_only_http_links():
    item = examplo_widgetco(closed=True).content_item()
    hostile = [
        "javascript:alert(document.cookie)",
        "data:text/html,<script>1</script>",
        "file:///x",
    ]
    item["details"]["attachments"] += [
        {"title": "Final undertakings", "url": url, "created_at": "2026-11-21T09:00:00.000+00:00"}
        for url in hostile
    ]
    record = cma.parse_case(item, "")
    assert [d.title for d in record.documents][-1] == "Final report"  # the hostile ones are gone
    assert all(d.url.startswith(("https://", "http://")) for d in record.documents)
    assert Document(datetime.date(2026, 1, 5), "x", "javascript:alert(1)").url == ""
    assert web_url("https://www.gov.uk/cma-cases/x") == "https://www.gov.uk/cma-cases/x"
