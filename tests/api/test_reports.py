import datetime
import statistics
import xml.etree.ElementTree as ET

import pytest
import time_machine

from tracker.models import Event, Review
from tracker.stats import quartiles

pytestmark = pytest.mark.django_db
V1 = "/api/v1"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def with_deadlines(litigated):
    runai = litigated
    Review.objects.filter(pk=runai.pk).update(
        next_deadline=datetime.date(2026, 12, 10), deadline_kind="estimated"
    )
    closed = Review.objects.get(deal__slug="amazon-anthropic", regulator__slug="cma")
    Review.objects.filter(pk=closed.pk).update(
        next_deadline=datetime.date(2026, 12, 11)
    )  # closed: never listed
    return runai


@time_machine.travel(datetime.datetime(2026, 11, 23, 12, tzinfo=datetime.UTC))
def test_upcoming_deadlines_of_open_reviews(api, with_deadlines):
    rows = api.get(f"{V1}/deadlines/").json()["results"]
    assert [(r["review"], r["deadline"], r["kind"]) for r in rows] == [
        (with_deadlines.pk, "2026-12-10", "estimated")
    ]
    assert rows[0]["regulator"]["slug"] == "ec" and rows[0]["deal"]["slug"] == "nvidia-runai"


@time_machine.travel(datetime.datetime(2026, 11, 23, 12, tzinfo=datetime.UTC))
@pytest.mark.parametrize(
    ("params", "found"),
    [
        ({"regulator": "ec"}, 1),
        ({"regulator": "cma"}, 0),
        ({"jurisdiction": "EU"}, 1),
        ({"deal": "nvidia-runai"}, 1),
        ({"before": "2026-12-09"}, 0),
        ({"after": "2026-12-10"}, 1),
        ({"after": "2026-12-11"}, 0),
    ],
)
def test_deadline_filters(api, with_deadlines, params, found):
    assert len(api.get(f"{V1}/deadlines/", params).json()["results"]) == found


@time_machine.travel(datetime.datetime(2026, 12, 20, 12, tzinfo=datetime.UTC))
def test_past_deadlines_are_not_upcoming_unless_asked(api, with_deadlines):
    assert api.get(f"{V1}/deadlines/").json()["results"] == []
    assert len(api.get(f"{V1}/deadlines/", {"after": "2026-01-01"}).json()["results"]) == 1


def test_deadline_filter_errors(api, demo):
    assert api.get(f"{V1}/deadlines/", {"before": "soon"}).status_code == 400
    assert api.get(f"{V1}/deadlines/", {"status": "x"}).status_code == 400


def test_review_durations_by_regulator(api, demo):
    body = api.get(f"{V1}/stats/review-durations/", {"group_by": "regulator"}).json()
    cma = next(row for row in body["results"] if row["regulator"] == "cma")
    closed = Review.objects.closed().filter(regulator__slug="cma", opened_on__isnull=False)
    # From the formal opening (phase 1 after the CMA's invitation to comment), the
    # preliminary stage beside.
    days = sorted((r.closed_on - (r.formally_opened_on or r.opened_on)).days for r in closed)
    before = sorted(
        (r.formally_opened_on - r.opened_on).days
        for r in closed
        if r.formally_opened_on and r.formally_opened_on > r.opened_on
    )
    assert before and cma["preliminary_count"] == len(before)
    assert cma["preliminary_median_days"] == statistics.median(before)
    q1, median, q3 = quartiles(days)
    assert (cma["count"], cma["median_days"], cma["q1_days"], cma["q3_days"]) == (
        len(days),
        median,
        q1,
        q3,
    )
    assert (cma["min_days"], cma["max_days"]) == (days[0], days[-1]) and len(days) > 2


def test_review_durations_default_grouping_and_filters(api, db):
    from tests.factories import RegulatorFactory, ReviewFactory
    from tracker.choices import ReviewStatus

    ftc = RegulatorFactory(slug="ftc", short_name="FTC", jurisdiction="US")
    for days in (300, 358, 400):
        ReviewFactory(
            regulator=ftc,
            review_type="market_study",
            status=ReviewStatus.CLOSED,
            outcome="study_concluded",
            opened_on=datetime.date(2024, 1, 1),
            closed_on=datetime.date(2024, 1, 1) + datetime.timedelta(days),
        )
    ReviewFactory(
        regulator=ftc,
        status=ReviewStatus.CLEARED,
        outcome="cleared",
        opened_on=datetime.date(2024, 1, 1),
        closed_on=datetime.date(2024, 2, 1),
    )
    body = api.get(
        f"{V1}/stats/review-durations/", {"regulator": "ftc", "review_type": "market_study"}
    ).json()
    assert body["group_by"] == ["regulator", "review_type", "outcome"]
    assert body["results"] == [
        {
            "regulator": "ftc",
            "review_type": "market_study",
            "outcome": "study_concluded",
            "count": 3,
            "median_days": 358.0,
            "q1_days": 329.0,
            "q3_days": 379.0,
            "min_days": 300,
            "max_days": 400,
            "preliminary_count": 0,
            "preliminary_median_days": None,
        }
    ]


def test_review_durations_group_by_outcome_code(api, db):
    from tests.factories import ReviewFactory
    from tracker.choices import ReviewStatus

    for outcome, days in (("not_qualifying", 30), ("not_qualifying", 50), ("study_concluded", 400)):
        ReviewFactory(
            status=ReviewStatus.CLOSED,
            outcome=outcome,
            opened_on=datetime.date(2024, 1, 1),
            closed_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=days),
        )
    ReviewFactory(
        status=ReviewStatus.CLEARED,
        outcome="cleared",
        opened_on=datetime.date(2024, 1, 1),
        closed_on=datetime.date(2024, 1, 11),
    )
    body = api.get(f"{V1}/stats/review-durations/", {"group_by": "outcome"}).json()
    assert [(r["outcome"], r["count"], r["median_days"]) for r in body["results"]] == [
        ("cleared", 1, 10.0),
        ("not_qualifying", 2, 40.0),
        ("study_concluded", 1, 400.0),
    ]


@pytest.mark.parametrize(
    "params",
    [
        {"group_by": "sector"},
        {"review_type": "bogus"},
        {"closed_after": "never"},
        {"unknown": "1"},
        {"deal": "no-such-deal"},
    ],
)
def test_review_durations_bad_input(api, demo, params):
    response = api.get(f"{V1}/stats/review-durations/", params)
    assert response.status_code == 400 and response.json()["errors"]


def test_a_deals_durations_count_only_the_proceedings_that_review_it(api, demo):
    body = api.get(
        f"{V1}/stats/review-durations/", {"deal": "alphabet-anthropic", "group_by": "regulator"}
    ).json()
    # The CMA's merger inquiry reviews the stake; the FTC's study covers it and the DOJ's
    # search case reached it only through a remedy proposal: neither is counted.
    assert [(row["regulator"], row["count"]) for row in body["results"]] == [("cma", 1)]


def test_atom_feed_with_event_filters(client, demo):
    response = client.get("/feeds/events/", {"regulator": "cma", "kind": "status_change"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    expected = Event.objects.filter(review__regulator__slug="cma", kind="status_change")
    assert len(entries) == expected.count() > 0
    titles = [e.find(f"{ATOM}title").text for e in entries]
    # Status changes have no deal of their own: they are listed under the review's lead deal.
    assert "Amazon / Anthropic - CMA: Phase 1 merger inquiry launched" in titles
    assert not any("CMA: CMA:" in title for title in titles)
    assert all("Source: https://" in e.find(f"{ATOM}summary").text for e in entries)


def test_atom_feed_rejects_unknown_and_bad_parameters(client, demo):
    assert client.get("/feeds/events/", {"stauts": "x"}).status_code == 400
    bad = client.get("/feeds/events/", {"since": "last week"})
    assert bad.status_code == 400 and b"since" in bad.content


def test_atom_titles_name_the_regulator_once_and_the_deal_filter_covers_shared_reviews(
    client, demo
):
    study = Review.objects.get(regulator__slug="ftc", review_type="market_study")
    Event.objects.filter(review=study, kind="status_change").update(title="FTC: study closed")
    other = study.deals.exclude(pk=study.deal_id).first()
    response = client.get(
        "/feeds/events/", {"deal": other.slug, "regulator": "ftc", "kind": "status_change"}
    )
    titles = [
        e.find(f"{ATOM}title").text for e in ET.fromstring(response.content).findall(f"{ATOM}entry")
    ]
    # The study covers its lead deal, it does not review it: listed under its own title.
    listed = f"{study.name}, which covers {study.deal.title}"
    assert titles and all(title == f"{listed} - FTC: study closed" for title in titles)


@time_machine.travel(datetime.datetime(2026, 11, 23, 12, tzinfo=datetime.UTC))
def test_the_deadline_deal_filter_covers_shared_reviews(api, demo):
    study = Review.objects.get(regulator__slug="ftc", review_type="market_study")
    Review.objects.filter(pk=study.pk).update(
        status="monitoring", closed_on=None, next_deadline="2026-12-01"
    )
    other = study.deals.exclude(pk=study.deal_id).first()
    rows = api.get(f"{V1}/deadlines/", {"deal": other.slug}).json()["results"]
    assert [r["review"] for r in rows] == [study.pk]
    ics = api.get(f"{V1}/deadlines.ics", {"deal": other.slug})
    assert ics.status_code == 200 and f"review-{study.pk}-deadline".encode() in ics.content


def test_an_empty_durations_report_in_csv_still_has_its_header(api, demo):
    response = api.get(
        f"{V1}/stats/review-durations/",
        {"format": "csv", "jurisdiction": "XX", "group_by": "regulator"},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().splitlines() == [
        "regulator,count,median_days,q1_days,q3_days,min_days,max_days,preliminary_count,"
        "preliminary_median_days"
    ]
