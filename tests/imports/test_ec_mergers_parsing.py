"""Parsing the Commission's merger cases: pure functions on fixture documents."""

import copy
import datetime
import json

import pytest

from imports.client import SourceUnreachable
from imports.records import ParseError
from imports.sources.ec_mergers import (
    attachments,
    check_size,
    list_entry,
    parse_case,
    read_file,
    sector,
)
from imports.sources.ec_mergers_decisions import Act, decision_act
from tracker.choices import DealType, Outcome, ReviewStatus

from .ec_mergers_documents import (
    ADOBE,
    adobe_figma,
    case,
    coded,
    decision,
    illumina_grail,
    microsoft_activision,
    nvidia_runai,
    with_decision_type,
)

D = datetime.date


def test_a_phase_1_clearance_after_an_article_22_referral():
    record = parse_case(nvidia_runai())

    assert (record.source, record.source_id, record.reference, record.regulator) == (
        "ec_mergers",
        "M.11766",
        "M.11766",
        "ec",
    )
    assert record.url == "https://competition-cases.ec.europa.eu/cases/M.11766"
    assert (record.status, record.outcome) == (ReviewStatus.CLEARED, Outcome.CLEARED)
    assert (record.opened_on, record.closed_on, record.phase_2_on) == (
        D(2024, 11, 15),
        D(2024, 12, 20),
        None,
    )
    assert not record.reached_phase_2
    assert record.published_deadline is None  # a decided case has no deadline to keep
    assert (record.registry_state, record.registry_outcome) == ("closed", "Art. 6(1)(b)")
    assert record.title == "M.11766 NVIDIA / RUN:AI"
    assert record.deal_title == "NVIDIA / RUN:AI"
    assert record.deal_type == DealType.ACQUISITION
    assert [s.names for s in record.sides] == [("NVIDIA Corporation",), ("Run:ai Labs Ltd",)]
    assert record.currency == "EUR"
    assert [(d.occurred_on, d.title, d.is_decision) for d in record.documents] == [
        (D(2024, 10, 31), "Decision: Art. 22(3)", True),
        (D(2024, 12, 20), "Decision: Art. 6(1)(b)", True),
    ]


def test_an_open_phase_1_case_keeps_the_published_deadline():
    record = parse_case(nvidia_runai(cleared=False))

    assert (record.status, record.outcome, record.closed_on) == (ReviewStatus.PHASE_1, "", None)
    assert record.published_deadline == D(2024, 12, 20)
    assert record.registry_state == "open"


def test_phase_2_then_commitments():
    record = parse_case(microsoft_activision())

    assert (record.status, record.outcome) == (
        ReviewStatus.CLEARED_WITH_CONDITIONS,
        Outcome.CLEARED_WITH_REMEDIES,
    )
    assert (record.phase_2_on, record.closed_on) == (D(2022, 11, 8), D(2023, 5, 15))
    assert record.reached_phase_2
    assert record.outcome_wording == "Art. 8(2) with conditions & obligations"


def test_a_prohibition_with_its_press_release_on_the_timeline():
    record = parse_case(illumina_grail())

    assert (record.status, record.outcome, record.closed_on) == (
        ReviewStatus.PROHIBITED,
        Outcome.PROHIBITED,
        D(2022, 9, 6),
    )
    assert record.phase_2_on == D(2021, 7, 22)
    [release] = [d for d in record.documents if d.title.startswith("Press release")]
    assert (release.occurred_on, release.title, release.url, release.is_decision) == (
        D(2021, 7, 22),
        "Press release IP/21/3844",
        "https://ec.europa.eu/commission/presscorner/detail/en/ip_21_3844",
        False,
    )


def test_an_open_phase_2_case_and_its_abandonment():
    open_case = parse_case(adobe_figma(abandoned=False))
    assert (open_case.status, open_case.phase_2_on, open_case.published_deadline) == (
        ReviewStatus.PHASE_2,
        D(2023, 8, 7),
        D(2023, 12, 14),
    )

    abandoned = parse_case(adobe_figma())
    assert (abandoned.status, abandoned.outcome, abandoned.closed_on) == (
        ReviewStatus.ABANDONED,
        Outcome.ABANDONED,
        D(2023, 12, 18),
    )
    assert abandoned.reached_phase_2
    # The withdrawal is the parties' act, not a decision of the Commission.
    assert not abandoned.documents[-1].is_decision


@pytest.mark.parametrize(
    "label, status, outcome",
    [
        ("Art. 6(1)(a)", ReviewStatus.CLOSED, Outcome.NOT_QUALIFYING),
        ("Art. 6(1)(b)", ReviewStatus.CLEARED, Outcome.CLEARED),
        (
            "Art. 6(1)(b) with conditions & obligations",
            ReviewStatus.CLEARED_WITH_CONDITIONS,
            Outcome.CLEARED_WITH_REMEDIES,
        ),
        (
            "Art. 6(1)(b) in conjunction with Art. 6(2)",
            ReviewStatus.CLEARED_WITH_CONDITIONS,
            Outcome.CLEARED_WITH_REMEDIES,
        ),
        ("Art. 8(1)", ReviewStatus.CLEARED, Outcome.CLEARED),
        ("Art. 8(2)", ReviewStatus.CLEARED_WITH_CONDITIONS, Outcome.CLEARED_WITH_REMEDIES),
        ("Article 8 (3)", ReviewStatus.PROHIBITED, Outcome.PROHIBITED),
        ("Art. 9(3)", ReviewStatus.CLOSED, Outcome.REFERRED),
        ("Art. 4(4)", ReviewStatus.CLOSED, Outcome.REFERRED),
        ("Withdrawal of the notification", ReviewStatus.ABANDONED, Outcome.ABANDONED),
        ("Art. 14(2)", ReviewStatus.CLOSED, Outcome.FINED),
        # Acts that decide nothing about the deal leave it in phase 2.
        ("Art. 9(3) partial referral", ReviewStatus.PHASE_2, ""),
        ("Art. 8(5) interim measures", ReviewStatus.PHASE_2, ""),
        ("Art. 7(3) derogation", ReviewStatus.PHASE_2, ""),
        # A type this tracker cannot place: no status, for an editor to decide.
        ("Art. 21(4)", None, ""),
        ("Revocation", None, ""),
    ],
)
def test_every_decision_type_of_the_vocabulary(label, status, outcome):
    record = parse_case(with_decision_type(adobe_figma(), label))

    assert (record.status, record.outcome) == (status, outcome)
    if status is None:
        assert record.registry_outcome == label  # what the editor is asked about
        assert record.published_deadline is None


def test_an_unplaceable_type_before_a_known_decision_does_not_matter():
    base = adobe_figma(abandoned=False)
    base["decisions"].insert(1, decision("2023-07-01", "Art. 21(4)"))
    assert parse_case(base).status == ReviewStatus.PHASE_2


def test_referral_and_pre_notification_before_the_notification():
    referred = case(ADOBE, "ADOBE / FIGMA", ["Adobe Inc.", "Figma, Inc."], initiated="2023-02-15")
    referred["decisions"] = [decision("2023-02-15", "Art. 22(3)")]
    record = parse_case(referred)
    assert (record.status, record.opened_on) == (ReviewStatus.REFERRAL, D(2023, 2, 15))

    referred["decisions"] = []
    assert parse_case(referred).status == ReviewStatus.PRE_NOTIFICATION


@pytest.mark.parametrize(
    "kind, act",
    [
        ("Art. 6(1)(c)", Act.PHASE_2_OPENED),
        ("Art. 4(5)", Act.REFERRED_IN),
        ("Art. 22(3)", Act.REFERRED_IN),
        ("Art. 8(4) restorative measures", Act.NEUTRAL),
        ("", Act.UNKNOWN),
    ],
)
def test_acts_that_open_or_refer_a_case(kind, act):
    assert decision_act(kind) is act


def test_parties_from_one_joined_name_or_from_the_title():
    joined = nvidia_runai()
    joined["metadata"]["caseCompanies"] = ["NVIDIA Corporation / Run:ai Labs Ltd"]
    assert [s.names for s in parse_case(joined).sides] == [
        ("NVIDIA Corporation",),
        ("Run:ai Labs Ltd",),
    ]
    untitled = nvidia_runai()
    del untitled["metadata"]["caseCompanies"]
    assert [s.names for s in parse_case(untitled).sides] == [("NVIDIA",), ("RUN:AI",)]


def test_a_joint_venture_title():
    jv = nvidia_runai()
    jv["metadata"]["caseTitle"] = ["NVIDIA / RUN:AI / JV"]
    assert parse_case(jv).deal_type == DealType.JOINT_VENTURE


def test_nace_sectors_as_the_register_labels_them():
    # NACE Rev. 2 labels (Eurostat): division 62 and group 58.2.
    codes = [
        json.dumps({"label": "J.62 - Computer programming, consultancy and related activities"}),
        json.dumps({"label": "J.58.2 - Software publishing"}),
    ]
    assert sector(codes) == (
        "J.62 - Computer programming, consultancy and related activities; "
        "J.58.2 - Software publishing"
    )
    assert sector([]) == ""


def test_published_documents_in_english_only_and_dated():
    page = "https://ec.europa.eu/commission/presscorner/detail/en/ip_21_3844"
    items = [
        {
            "metadata": {
                "attachmentLink": [page.replace("/en/", "/fr/")],
                "attachmentLanguage": ["FR"],
                "attachmentPublicationBusinessDate": ["2021-07-22"],
                "attachmentCategory": [coded("Press release")],
            }
        },
        {
            "metadata": {
                "attachmentLink": [page],
                "attachmentLanguage": ["EN"],
                "attachmentPublicationBusinessDate": ["2021-07-22T00:00:00.000+0000"],
                "attachmentCategory": [coded("Press release")],
            }
        },
        {"metadata": {"attachmentLink": [page], "attachmentLanguage": ["EN"]}},  # no date
    ]
    [document] = attachments(items, "caseAttachments")
    assert (document.occurred_on, document.title, document.url) == (
        D(2021, 7, 22),
        "Press release",
        page,
    )


@pytest.mark.parametrize(
    "break_it, field",
    [
        (lambda c: c.pop("metadata"), "case.metadata"),
        (lambda c: c["metadata"].update(caseNumber=["AT.40099"]), "metadata.caseNumber"),
        (lambda c: c["metadata"].update(caseTitle=[""]), "metadata.caseTitle"),
        (lambda c: c["metadata"].update(caseTitle="NVIDIA"), "metadata.caseTitle"),
        (
            lambda c: c["metadata"].update(caseNotificationDate=["15/11/2024"]),
            "metadata.caseNotificationDate",
        ),
        (
            lambda c: c["metadata"].update(caseDeadlineDate=["2024-13-40"]),
            "metadata.caseDeadlineDate",
        ),
        (
            lambda c: c["decisions"][1]["metadata"].update(decisionAdoptionDate=["soon"]),
            "decisions[1].metadata.decisionAdoptionDate",
        ),
        (
            lambda c: c["decisions"][1]["metadata"].pop("decisionAdoptionDate"),
            "decisions[1].metadata.decisionAdoptionDate",
        ),
        (
            lambda c: c["decisions"][0]["metadata"].update(decisionTypes=[]),
            "decisions[0].metadata.decisionTypes",
        ),
        (lambda c: c.update(decisions={"a": 1}), "decisions"),
        (
            lambda c: (c.update(decisions=[]), c["metadata"].pop("caseNotificationDate")),
            "metadata.caseNotificationDate",
        ),
        (lambda c: c["decisions"].append("2024-12-20"), "decisions[2]"),
        (
            lambda c: c["metadata"].update(caseCompanies=["NVIDIA"], caseTitle=["NVIDIA"]),
            "metadata.caseCompanies",
        ),
    ],
)
def test_a_malformed_case_names_the_field(break_it, field):
    broken = copy.deepcopy(nvidia_runai())
    break_it(broken)

    with pytest.raises(ParseError) as error:
        parse_case(broken)
    assert str(error.value).startswith(field), str(error.value)


def test_a_case_that_is_not_an_object():
    with pytest.raises(ParseError, match="not a JSON object"):
        parse_case("M.11766")


def test_an_entry_per_case_with_a_fingerprint_of_its_content():
    entry = list_entry("M.11766", nvidia_runai())
    assert (entry.source_id, entry.url) == (
        "M.11766",
        "https://competition-cases.ec.europa.eu/cases/M.11766",
    )
    assert entry.fingerprint == list_entry("M.11766", nvidia_runai()).fingerprint
    assert entry.fingerprint != list_entry("M.11766", nvidia_runai(cleared=False)).fingerprint


def test_a_truncated_or_shrunken_file_is_refused():
    with pytest.raises(SourceUnreachable, match="not valid JSON"):
        read_file(b'{"M.11766": {"metadata": ', "https://file")
    with pytest.raises(SourceUnreachable, match="keyed by case number"):
        read_file(b"[]", "https://file")
    cases = {f"M.{n}": {} for n in range(1000)}
    check_size(cases, {"cases": 1010}, "https://file")  # 1% may go
    with pytest.raises(SourceUnreachable, match="1000 cases, 1011"):
        check_size(cases, {"cases": 1011}, "https://file")
    check_size({}, {}, "https://file")  # a first run has nothing to compare with


def test_the_source_is_registered_and_polled_daily(settings):
    from imports.sources import source_named

    source = source_named("ec_mergers")
    assert source.schedule() == "20 6 * * *"
    assert set(source.regulators) == {"ec"}
    settings.IMPORTS_EC_MERGERS_SCHEDULE = "0"
    assert source.schedule() == ""
    assert source.sample_file(
        "https://compcases-open-data-portal-files-prod.s3.eu-west-1.amazonaws.com/case-data-M.json"
    ) == ("compcases-open-data-portal-files-prod.s3.eu-west-1.amazonaws.com/case-data-M.json")
    assert (
        source.sample_directory()
        / source.sample_file(
            "https://compcases-open-data-portal-files-prod.s3.eu-west-1.amazonaws.com/case-data-M.json"
        )
    ).is_file()
