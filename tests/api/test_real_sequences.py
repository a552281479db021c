"""Real proceedings, replayed as an editor would: proceedings opened and moved through the
API (which calls the transition service), the deadline acts a regulator publishes through
the deadline service. Each test ends with what a competition lawyer would expect to read:
statuses, outcomes, deadlines and the timeline. Dates and sources from the regulators' and
courts' own pages (see the demo data, tracker/demo/ai_partnerships.json)."""

import datetime

import pytest
import time_machine

from regulators.models import Court
from tests.factories import DealFactory, RegulatorFactory
from tracker import deadlines
from tracker.choices import EventKind, PeriodState
from tracker.models import DeadlinePeriod, Event, Review

pytestmark = pytest.mark.django_db

V1 = "/api/v1"
CMA_ACTIVISION = "https://www.gov.uk/cma-cases/microsoft-slash-activision-blizzard-merger-inquiry"
CMA_ACTIVISION_CLOUD = "https://www.gov.uk/cma-cases/microsoft-slash-activision-blizzard-ex-cloud-streaming-rights-merger-inquiry"
EC_ILLUMINA = "https://competition-cases.ec.europa.eu/cases/M.10188"
CURIA_ILLUMINA = "https://curia.europa.eu/juris/liste.jsf?num=C-611/22"
DOCKET = "https://www.courtlistener.com/docket/18552824/united-states-of-america-v-google-llc/"


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def open_proceeding(api, **fields) -> dict:
    response = api.post(f"{V1}/reviews/", fields, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def move(api, review_id: int, status: str, on: str, source_url: str, **extra) -> dict:
    body = {"status": status, "occurred_on": on, "source_url": source_url, **extra}
    response = api.post(f"{V1}/reviews/{review_id}/transition/", body, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def read(api, review_id: int) -> dict:
    return api.get(f"{V1}/reviews/{review_id}/").json()


def periods(review_id: int) -> list[tuple]:
    return list(
        DeadlinePeriod.objects.filter(review_id=review_id)
        .order_by("id")
        .values_list("phase", "due_on", "state")
    )


@pytest.fixture
def cma(db):
    return RegulatorFactory(slug="cma", short_name="CMA", jurisdiction="GB", calendar="GB-ENG")


@pytest.fixture
def ec(db):
    return RegulatorFactory(slug="ec", short_name="EC", jurisdiction="EU", calendar="EU-COM")


@time_machine.travel(datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC), tick=False)
def test_microsoft_activision_at_the_cma_a_prohibition_then_a_new_case_on_the_restructured_deal(
    editor_api, cma
):
    deal = DealFactory(slug="microsoft-activision", title="Microsoft / Activision Blizzard")
    first = open_proceeding(editor_api, deal=deal.slug, regulator="cma", url=CMA_ACTIVISION)
    rid = first["id"]
    move(editor_api, rid, "phase_1", "2022-07-06", CMA_ACTIVISION, stage="Phase 1")
    # Enterprise Act 2002 s.34ZA: 40 working days from the first working day after launch.
    assert read(editor_api, rid)["next_deadline"] == "2022-09-01"
    deadlines.record_phase_decision(
        review_id=rid,
        decided_on=day("2022-09-01"),
        decision="SLC decision",
        source_url=CMA_ACTIVISION,
    )
    move(editor_api, rid, "phase_2", "2022-09-15", CMA_ACTIVISION, stage="Phase 2")
    # s.39(1): 24 weeks from the reference; s.39(3): extended once by up to 8 weeks.
    assert read(editor_api, rid)["next_deadline"] == "2023-03-01"
    deadlines.extend_deadline(
        review_id=rid,
        length=8,
        granted_on=day("2023-02-22"),
        reason="s.39(3) special reasons",
        source_url=CMA_ACTIVISION,
    )
    assert read(editor_api, rid)["next_deadline"] == "2023-04-26"
    move(
        editor_api,
        rid,
        "prohibited",
        "2023-04-26",
        CMA_ACTIVISION,
        outcome="prohibited",
        outcome_wording="Final report: the merger is prohibited",
        stage="Final report",
    )
    move(
        editor_api,
        rid,
        "appeal",
        "2023-05-24",
        "https://www.catribunal.org.uk/cases/159041223-microsoft-corporation",
        source_type="court",
        stage="Application to the Competition Appeal Tribunal",
    )

    # The restructured deal (cloud streaming rights sold to Ubisoft) is a new case: same
    # regulator, same deal, another proceeding.
    second = open_proceeding(editor_api, deal=deal.slug, regulator="cma", url=CMA_ACTIVISION_CLOUD)
    sid = second["id"]
    move(editor_api, sid, "phase_1", "2023-08-22", CMA_ACTIVISION_CLOUD)
    move(
        editor_api,
        sid,
        "remedies",
        "2023-09-22",
        CMA_ACTIVISION_CLOUD,
        stage="Undertakings in lieu consultation",
    )
    move(
        editor_api,
        sid,
        "cleared_with_conditions",
        "2023-10-13",
        CMA_ACTIVISION_CLOUD,
        outcome="cleared_with_remedies",
        outcome_wording="Cleared: undertakings accepted (Ubisoft)",
    )

    original, restructured = read(editor_api, rid), read(editor_api, sid)
    assert (original["status"], original["outcome"], original["closed_on"]) == (
        "appeal",
        "prohibited",
        None,
    )
    assert original["outcome_wording"] == "Final report: the merger is prohibited"
    assert (restructured["status"], restructured["outcome"], restructured["closed_on"]) == (
        "cleared_with_conditions",
        "cleared_with_remedies",
        "2023-10-13",
    )
    # Both show on the deal, and its timeline holds each status change once, in order.
    detail = editor_api.get(f"{V1}/deals/{deal.slug}/").json()
    assert sorted(r["id"] for r in detail["reviews"]) == sorted([rid, sid])
    timeline = editor_api.get(
        f"{V1}/deals/{deal.slug}/timeline/", {"kind": "status_change"}
    ).json()["results"]
    moves = [(e["occurred_on"], e["to_status"]) for e in timeline]
    assert moves == [
        ("2022-07-06", "phase_1"),
        ("2022-09-15", "phase_2"),
        ("2023-04-26", "prohibited"),
        ("2023-05-24", "appeal"),
        ("2023-08-22", "phase_1"),
        ("2023-09-22", "remedies"),
        ("2023-10-13", "cleared_with_conditions"),
    ]
    # Every period kept: phase 1 met by the SLC decision, phase 2 extended then met.
    history = periods(rid)
    assert history[0] == ("phase_1", day("2022-09-01"), PeriodState.MET)
    assert ("phase_2", day("2023-03-01"), PeriodState.SUPERSEDED) in history
    assert history[-1] == ("phase_2", day("2023-04-26"), PeriodState.MET)


@time_machine.travel(datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC), tick=False)
def test_illumina_grail_at_the_commission_from_article_22_to_annulment(editor_api, ec):
    court = Court.objects.create(
        name="Court of Justice of the European Union",
        short_name="CJEU",
        slug="eu-court-of-justice",
        jurisdiction="EU",
    )
    deal = DealFactory(slug="illumina-grail", title="Illumina / GRAIL")
    rid = open_proceeding(
        editor_api, deal=deal.slug, regulator="ec", reference="M.10188", url=EC_ILLUMINA
    )["id"]
    move(
        editor_api, rid, "referral", "2021-04-19", EC_ILLUMINA, stage="Article 22 referral accepted"
    )
    move(editor_api, rid, "phase_1", "2021-06-16", EC_ILLUMINA, stage="Phase 1 (notified)")
    move(
        editor_api,
        rid,
        "phase_2",
        "2021-07-22",
        EC_ILLUMINA,
        stage="In-depth investigation (Art. 6(1)(c))",
    )
    move(
        editor_api,
        rid,
        "prohibited",
        "2022-09-06",
        EC_ILLUMINA,
        outcome="prohibited",
        outcome_wording="Prohibition decision (Art. 8(3))",
    )
    move(
        editor_api,
        rid,
        "appeal",
        "2022-09-30",
        CURIA_ILLUMINA,
        source_type="court",
        stage="Appeals to the Court of Justice (C-611/22 P, C-625/22 P)",
    )
    under_appeal = read(editor_api, rid)
    assert (under_appeal["status"], under_appeal["outcome"]) == ("appeal", "prohibited")
    # The Court of Justice: the Commission had no jurisdiction under Article 22.
    move(
        editor_api,
        rid,
        "closed",
        "2024-09-03",
        CURIA_ILLUMINA,
        source_type="court",
        outcome="not_qualifying",
        outcome_wording="Judgment of 3 September 2024: referral decisions annulled, no jurisdiction",
    )
    Review.objects.filter(pk=rid).update(court=court)

    final = read(editor_api, rid)
    assert (final["status"], final["outcome"], final["closed_on"]) == (
        "closed",
        "not_qualifying",
        "2024-09-03",
    )
    assert final["court"]["slug"] == "eu-court-of-justice"
    changes = Event.objects.filter(review_id=rid, kind=EventKind.STATUS_CHANGE).order_by(
        "occurred_on"
    )
    assert [(e.from_status, e.to_status) for e in changes] == [
        ("monitoring", "referral"),
        ("referral", "phase_1"),
        ("phase_1", "phase_2"),
        ("phase_2", "prohibited"),
        ("prohibited", "appeal"),
        ("appeal", "closed"),
    ]
    assert all(e.source_type in ("regulator", "court") and e.source_url for e in changes)
    # The phase 2 period was opened, and left by the prohibition: kept, not dropped.
    assert DeadlinePeriod.objects.filter(review_id=rid, phase="phase_2").exists()
    assert not DeadlinePeriod.objects.filter(
        review_id=rid, state__in=[PeriodState.RUNNING, PeriodState.STOPPED]
    )


@time_machine.travel(datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC), tick=False)
def test_the_dojs_search_case_against_google_liability_remedies_judgment_appeal(editor_api):
    doj = RegulatorFactory(slug="doj", short_name="DOJ", jurisdiction="US", calendar="US-FED")
    Court.objects.create(
        name="United States District Court for the District of Columbia",
        short_name="D.D.C.",
        slug="us-dcd",
        jurisdiction="US",
    )
    stake = DealFactory(slug="alphabet-anthropic", title="Alphabet / Anthropic")
    search = DealFactory(
        slug="google-search-distribution", title="Google search distribution agreements"
    )
    case = open_proceeding(
        editor_api,
        deal=search.slug,
        deals=[search.slug, stake.slug],
        regulator=doj.slug,
        reference="1:20-cv-03010",
        review_type="litigation",
        url=DOCKET,
        court="us-dcd",
        docket_number="1:20-cv-03010",
        judge="Amit P. Mehta",
    )
    rid = case["id"]
    assert sorted(d["slug"] for d in case["deals"]) == sorted([search.slug, stake.slug])
    move(
        editor_api,
        rid,
        "litigation",
        "2020-10-20",
        DOCKET,
        source_type="court",
        stage="Complaint filed",
    )
    response = editor_api.post(
        f"{V1}/events/",
        {
            "review": rid,
            "kind": "opinion",
            "occurred_on": "2024-08-05",
            "title": "Liability opinion",
            "source_url": DOCKET,
            "source_title": "Memorandum Opinion (ECF 1033)",
            "source_type": "court",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    move(
        editor_api,
        rid,
        "remedies",
        "2025-09-02",
        DOCKET,
        source_type="court",
        stage="Remedies opinion",
    )
    move(
        editor_api,
        rid,
        "closed",
        "2025-12-05",
        DOCKET,
        source_type="court",
        outcome="judgment",
        outcome_wording="Final judgment",
    )
    move(
        editor_api,
        rid,
        "appeal",
        "2026-01-16",
        DOCKET,
        source_type="court",
        stage="Notice of appeal (D.C. Cir.)",
    )

    final = read(editor_api, rid)
    assert (final["status"], final["outcome"], final["docket_number"], final["judge"]) == (
        "appeal",
        "judgment",
        "1:20-cv-03010",
        "Amit P. Mehta",
    )
    assert final["court"]["slug"] == "us-dcd"
    # One record, on both deals' timelines: each status change once on each.
    for deal in (search, stake):
        timeline = editor_api.get(f"{V1}/deals/{deal.slug}/timeline/").json()["results"]
        titles = [e["title"] for e in timeline if e["review"] == rid]
        assert len(titles) == len(set(titles)) == Event.objects.filter(review_id=rid).count() == 5


@time_machine.travel(datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC), tick=False)
def test_vodafone_three_at_the_cma_phase_2_with_a_clock_stop_and_an_extension(editor_api, cma):
    case_page = "https://www.gov.uk/cma-cases/vodafone-slash-ck-hutchison-jv-merger-inquiry"
    deal = DealFactory(slug="vodafone-three", title="Vodafone / Three")
    rid = open_proceeding(editor_api, deal=deal.slug, regulator="cma", url=case_page)["id"]
    move(editor_api, rid, "phase_1", "2024-01-26", case_page)
    assert read(editor_api, rid)["next_deadline"] == "2024-03-22"
    deadlines.record_phase_decision(
        review_id=rid, decided_on=day("2024-03-22"), decision="SLC decision", source_url=case_page
    )
    move(editor_api, rid, "phase_2", "2024-04-04", case_page)
    assert read(editor_api, rid)["next_deadline"] == "2024-09-18"
    # s.39(4): the clock stops while the parties fail to answer a s.109 notice.
    stop = deadlines.stop_clock(
        review_id=rid,
        stopped_on=day("2024-05-10"),
        reason="s.109 notice not complied with",
        source_url=case_page,
    )
    assert read(editor_api, rid)["next_deadline"] is None  # stopped: no date until it runs again
    deadlines.restart_clock(
        clock_stop_id=stop.review.clock_stops.get().pk,
        restarted_on=day("2024-06-03"),
        source_url=case_page,
    )
    assert read(editor_api, rid)["next_deadline"] == "2024-10-12"
    # s.39(3): one extension of up to 8 weeks.
    deadlines.extend_deadline(
        review_id=rid,
        length=8,
        granted_on=day("2024-08-02"),
        reason="s.39(3) special reasons",
        source_url=case_page,
    )
    assert read(editor_api, rid)["next_deadline"] == "2024-12-07"
    move(
        editor_api,
        rid,
        "cleared_with_conditions",
        "2024-12-05",
        case_page,
        outcome="cleared_with_remedies",
        outcome_wording="Cleared subject to remedies (network investment commitments)",
    )

    final = read(editor_api, rid)
    assert (final["status"], final["outcome"], final["next_deadline"]) == (
        "cleared_with_conditions",
        "cleared_with_remedies",
        None,
    )
    history = periods(rid)
    assert history[0] == ("phase_1", day("2024-03-22"), PeriodState.MET)
    assert [state for _, _, state in history[1:]] == [
        PeriodState.SUPERSEDED,
        PeriodState.SUPERSEDED,
        PeriodState.SUPERSEDED,
        PeriodState.MET,
    ]
    assert history[-1] == ("phase_2", day("2024-12-07"), PeriodState.MET)
    # Each of those changes wrote a deadline event saying why.
    assert Event.objects.filter(review_id=rid, kind=EventKind.DEADLINE).count() >= 6
