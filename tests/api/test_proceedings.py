"""Proceedings covering several deals, fields that only a service moves, sourced events,
dates at their precision, and staff-written reference data (regulators, courts)."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission

from regulators.models import Court, Regulator
from tests.factories import DealFactory, EventFactory, RegulatorFactory, ReviewFactory, UserFactory
from tracker.choices import EventKind
from tracker.editors import EDITORS_GROUP
from tracker.models import Deal, Event, Review
from tracker.services import link_deal

pytestmark = pytest.mark.django_db
V1 = "/api/v1"


@pytest.fixture
def shared():
    """One review covering two deals, with an event of the review as a whole."""
    lead, other = DealFactory(slug="lead"), DealFactory(slug="other")
    review = ReviewFactory(deal=lead, reference="6(b)")
    link_deal(review, other)
    EventFactory(review=review, deal=None, title="Orders issued", kind=EventKind.STATEMENT)
    EventFactory(review=None, deal=other, title="Other's own news")
    return review


def test_a_review_is_made_with_the_deals_it_covers_and_the_list_replaces_them(editor_api, shared):
    third = DealFactory(slug="third")
    created = editor_api.post(
        f"{V1}/reviews/",
        {"deal": "lead", "deals": ["other"], "regulator": shared.regulator.slug, "reference": "2"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert [d["slug"] for d in created.json()["deals"]] == [
        "lead",
        "other",
    ]  # the lead first, always included
    review_id = created.json()["id"]
    replaced = editor_api.patch(f"{V1}/reviews/{review_id}/", {"deals": ["third"]}, format="json")
    assert replaced.status_code == 200, replaced.json()
    assert [d["slug"] for d in replaced.json()["deals"]] == ["lead", "third"]
    assert set(Review.objects.get(pk=review_id).deals.all()) == {shared.deal, third}


def test_the_deal_filter_and_the_deal_page_find_a_review_under_every_deal_it_covers(api, shared):
    assert [r["id"] for r in api.get(f"{V1}/reviews/", {"deal": "other"}).json()["results"]] == [
        shared.pk
    ]
    assert [
        r["id"] for r in api.get(f"{V1}/reviews/", {"deal": "lead,other"}).json()["results"]
    ] == [shared.pk]
    reviews = api.get(f"{V1}/deals/other/").json()["reviews"]
    assert [(r["id"], r["lead_deal"]) for r in reviews] == [(shared.pk, "lead")]


def test_a_review_event_shows_on_every_deal_covered_listed_under_the_lead(api, shared):
    timeline = api.get(f"{V1}/deals/other/timeline/").json()["results"]
    assert {e["title"]: e["deal"] for e in timeline} == {
        "Orders issued": "lead",
        "Other's own news": "other",
    }
    lead = api.get(f"{V1}/deals/lead/timeline/").json()["results"]
    assert [e["title"] for e in lead] == ["Orders issued"]
    feed = api.get(f"{V1}/events/", {"deal": "other"}).json()["results"]
    assert {e["title"] for e in feed} == {"Orders issued", "Other's own news"}


@pytest.mark.parametrize(
    ("field", "value", "advice"),
    [
        ("outcome", "cleared", "transition/"),
        ("next_deadline", "2026-01-01", "deadline"),
        ("deadline_kind", "manual", "deadline"),
        ("deadline_phase", "phase_1", "deadline"),
        ("clock_started_on", "2025-01-01", "deadline"),
        ("deadline_variant", "cash_tender", "deadline"),
    ],
)
def test_fields_only_a_service_moves_are_refused_naming_the_way(
    editor_api, shared, field, value, advice
):
    response = editor_api.patch(f"{V1}/reviews/{shared.pk}/", {field: value}, format="json")
    assert response.status_code == 400, response.json()
    assert advice in response.json()["errors"][field][0]
    created = editor_api.post(
        f"{V1}/reviews/",
        {"deal": "lead", "regulator": shared.regulator.slug, field: value},
        format="json",
    )
    assert created.status_code == 400 and field in created.json()["errors"]


def test_a_put_of_the_read_shape_passes_the_service_fields_unchanged(editor_api, shared):
    body = editor_api.get(f"{V1}/reviews/{shared.pk}/").json()
    payload = {
        **{
            k: body[k]
            for k in (
                "reference",
                "review_type",
                "status",
                "stage",
                "opened_on",
                "outcome",
                "outcome_wording",
                "docket_number",
                "judge",
                "url",
                "next_deadline",
                "deadline_kind",
            )
        },
        "deal": "lead",
        "regulator": body["regulator"]["slug"],
        "judge": "Judge Mehta",
    }
    response = editor_api.put(f"{V1}/reviews/{shared.pk}/", payload, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["judge"] == "Judge Mehta"


def test_court_docket_and_judge_are_written_and_read(editor_api, shared):
    Court.objects.create(
        name="U.S. District Court for the District of Columbia",
        short_name="D.D.C.",
        slug="ddc",
        jurisdiction="US",
    )
    response = editor_api.patch(
        f"{V1}/reviews/{shared.pk}/",
        {"court": "ddc", "docket_number": "1:20-cv-03010", "judge": "Amit P. Mehta"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["court"] == {
        "slug": "ddc",
        "short_name": "D.D.C.",
        "name": "U.S. District Court for the District of Columbia",
    }
    assert (body["docket_number"], body["judge"]) == ("1:20-cv-03010", "Amit P. Mehta")
    assert [
        r["id"] for r in editor_api.get(f"{V1}/reviews/", {"court": "ddc"}).json()["results"]
    ] == [shared.pk]


def test_an_event_of_a_review_is_stored_without_a_deal_unless_one_covered_is_named(
    editor_api, shared
):
    whole = editor_api.post(
        f"{V1}/events/",
        {"review": shared.pk, "kind": "hearing", "occurred_on": "2025-06-01", "title": "Hearing"},
        format="json",
    )
    assert whole.status_code == 201, whole.json()
    assert whole.json()["deal"] == "lead" and Event.objects.get(pk=whole.json()["id"]).deal is None
    own = editor_api.post(
        f"{V1}/events/",
        {
            "review": shared.pk,
            "deal": "other",
            "kind": "statement",
            "occurred_on": "2025-06-02",
            "title": "Reply",
        },
        format="json",
    )
    assert own.status_code == 201 and own.json()["deal"] == "other"
    DealFactory(slug="stranger")
    refused = editor_api.post(
        f"{V1}/events/",
        {
            "review": shared.pk,
            "deal": "stranger",
            "kind": "statement",
            "occurred_on": "2025-06-02",
            "title": "x",
        },
        format="json",
    )
    assert refused.status_code == 400 and "review" in refused.json()["errors"]


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({}, "source_url"),
        ({"source_url": "https://example.org/d"}, "source_type"),
        ({"source_url": "https://example.org/d", "source_type": "press"}, "source_type"),
    ],
)
@pytest.mark.parametrize("kind", ["decision", "judgment", "opinion"])
def test_decisions_and_judgments_cite_a_regulator_or_court(editor_api, shared, kind, extra, field):
    payload = {
        "review": shared.pk,
        "kind": kind,
        "occurred_on": "2025-06-01",
        "title": "Decided",
        **extra,
    }
    response = editor_api.post(f"{V1}/events/", payload, format="json")
    assert response.status_code == 400 and field in response.json()["errors"], response.json()
    ok = editor_api.post(
        f"{V1}/events/",
        {
            **payload,
            "source_url": "https://example.org/d",
            "source_type": "court",
            "source_read_on": "2025-06-02",
        },
        format="json",
    )
    assert ok.status_code == 201, ok.json()
    assert (ok.json()["source_type"], ok.json()["source_read_on"]) == ("court", "2025-06-02")


@pytest.mark.parametrize(
    ("given", "stored", "precision", "served"),
    [
        ("2024-03", datetime.date(2024, 3, 1), "month", "2024-03"),
        ("2024", datetime.date(2024, 1, 1), "year", "2024"),
        ("2024-03-15", datetime.date(2024, 3, 15), "day", "2024-03-15"),
    ],
)
def test_dates_known_to_the_month_or_year(editor_api, shared, given, stored, precision, served):
    event = editor_api.post(
        f"{V1}/events/",
        {"deal": "other", "kind": "news", "occurred_on": given, "title": "Reported"},
        format="json",
    )
    assert event.status_code == 201, event.json()
    assert (event.json()["occurred_on"], event.json()["date_precision"]) == (served, precision)
    saved = Event.objects.get(pk=event.json()["id"])
    assert (saved.occurred_on, saved.date_precision) == (stored, precision)
    deal = editor_api.patch(
        f"{V1}/deals/other/", {"announced_on": given, "completed_on": None}, format="json"
    )
    assert deal.status_code == 200, deal.json()
    assert (deal.json()["announced_on"], deal.json()["announced_precision"]) == (served, precision)
    assert Deal.objects.get(slug="other").announced_on == stored


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"occurred_on": "2024-13"}, "occurred_on"),
        ({"occurred_on": "March 2024"}, "occurred_on"),
        ({"occurred_on": "2024-02-30"}, "occurred_on"),
        ({"occurred_on": "2024-03", "date_precision": "day"}, "date_precision"),
    ],
)
def test_bad_precise_dates_are_400s_naming_the_field(editor_api, shared, payload, field):
    response = editor_api.post(
        f"{V1}/events/", {"deal": "other", "kind": "news", "title": "x", **payload}, format="json"
    )
    assert response.status_code == 400 and field in response.json()["errors"], response.json()


def test_precision_alone_is_writable(editor_api, shared):
    response = editor_api.patch(f"{V1}/deals/lead/", {"announced_precision": "year"}, format="json")
    assert response.status_code == 200 and response.json()["announced_on"] == "2024"


def test_transition_records_outcome_and_source_type(editor_api, shared):
    response = editor_api.post(
        f"{V1}/reviews/{shared.pk}/transition/",
        {
            "status": "closed",
            "occurred_on": "2025-01-17",
            "outcome": "study_concluded",
            "outcome_wording": "Staff report published",
            "source_url": "https://www.ftc.gov/report",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["outcome"], response.json()["outcome_wording"]) == (
        "study_concluded",
        "Staff report published",
    )
    event = Event.objects.get(review=shared, kind=EventKind.STATUS_CHANGE)
    assert (event.deal, event.source_type) == (None, "regulator")
    assert [
        r["id"]
        for r in editor_api.get(f"{V1}/reviews/", {"outcome": "study_concluded"}).json()["results"]
    ] == [shared.pk]


# --- regulators and courts: staff write, everyone reads -----------------------------


def staff_with(*codenames: str):
    user = UserFactory(username="staffer", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def staff_api(api):
    api.force_authenticate(
        staff_with("add_regulator", "change_regulator", "add_court", "change_court")
    )
    return api


def test_staff_without_the_permissions_cannot_write_regulators_or_courts(api, db):
    RegulatorFactory(slug="cma", short_name="CMA", calendar="GB-ENG")
    api.force_authenticate(staff_with())
    created = api.post(f"{V1}/regulators/", REGULATOR, format="json")
    changed = api.patch(f"{V1}/regulators/cma/", {"calendar": "US-FED"}, format="json")
    court = api.post(f"{V1}/courts/", COURT, format="json")
    assert (created.status_code, changed.status_code, court.status_code) == (403, 403, 403)
    assert "permission" in changed.json()["detail"]
    assert Regulator.objects.get(slug="cma").calendar == "GB-ENG"
    assert not Regulator.objects.filter(slug="accc").exists() and not Court.objects.exists()
    # Change rights alone do not create.
    api.force_authenticate(staff_with("change_regulator"))
    assert api.post(f"{V1}/regulators/", REGULATOR, format="json").status_code == 403
    assert (
        api.patch(f"{V1}/regulators/cma/", {"calendar": "US-FED"}, format="json").status_code == 200
    )


COURT = {
    "slug": "cat",
    "short_name": "CAT",
    "name": "Competition Appeal Tribunal",
    "jurisdiction": "GB",
    "website": "https://www.catribunal.org.uk",
}
REGULATOR = {
    "slug": "accc",
    "short_name": "ACCC",
    "name": "Australian Competition and Consumer Commission",
    "jurisdiction": "AU",
    "calendar": "GB-ENG",
}


def test_staff_create_and_edit_courts_and_regulators(staff_api):
    court = staff_api.post(f"{V1}/courts/", COURT, format="json")
    assert court.status_code == 201, court.json()
    assert court.json()["jurisdiction"] == "GB" and court["ETag"]
    patched = staff_api.patch(f"{V1}/courts/cat/", {"short_name": "CAT (UK)"}, format="json")
    assert patched.status_code == 200 and Court.objects.get(slug="cat").short_name == "CAT (UK)"
    regulator = staff_api.post(f"{V1}/regulators/", REGULATOR, format="json")
    assert regulator.status_code == 201, regulator.json()
    put = staff_api.put(
        f"{V1}/regulators/accc/", {**REGULATOR, "website": "https://www.accc.gov.au"}, format="json"
    )
    assert (
        put.status_code == 200
        and Regulator.objects.get(slug="accc").website == "https://www.accc.gov.au"
    )
    bad = staff_api.post(
        f"{V1}/courts/",
        {**COURT, "slug": "cat2", "name": "x", "jurisdiction": "Britain"},
        format="json",
    )
    assert bad.status_code == 400 and "jurisdiction" in bad.json()["errors"]


def test_only_staff_write_reference_data_everyone_reads_it(api, db):
    Court.objects.create(**{**COURT, "jurisdiction": "GB"})
    RegulatorFactory(slug="cma", short_name="CMA")
    assert api.post(f"{V1}/courts/", {**COURT, "slug": "x"}, format="json").status_code == 401
    editor = UserFactory(username="editor")
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
    api.force_authenticate(editor)
    assert api.post(f"{V1}/courts/", {**COURT, "slug": "x"}, format="json").status_code == 403
    assert api.patch(f"{V1}/regulators/cma/", {"name": "x"}, format="json").status_code == 403
    api.force_authenticate(None)
    assert [c["slug"] for c in api.get(f"{V1}/courts/").json()["results"]] == ["cat"]
    assert api.get(f"{V1}/courts/cat/").json()["short_name"] == "CAT"
    assert api.get(f"{V1}/courts/", {"jurisdiction": "US"}).json()["results"] == []


def test_a_review_created_in_a_phase_starts_its_statutory_period_and_says_why(editor_api):
    RegulatorFactory(slug="cma", short_name="CMA", jurisdiction="GB", calendar="GB-ENG")
    deal = DealFactory()
    response = editor_api.post(
        "/api/v1/reviews/",
        {
            "deal": deal.slug,
            "regulator": "cma",
            "status": "phase_1",
            "opened_on": "2024-08-08",
            "url": "https://www.gov.uk/cma-cases/example",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    # Enterprise Act 2002 s.34ZA: 40 working days from the first working day after launch.
    assert (response.json()["next_deadline"], response.json()["deadline_kind"]) == (
        "2024-10-04",
        "statutory",
    )
    review = Review.objects.get(pk=response.json()["id"])
    period = review.deadline_periods.get()
    assert (period.phase, period.clock_started_on, period.due_on, period.state) == (
        "phase_1",
        datetime.date(2024, 8, 8),
        datetime.date(2024, 10, 4),
        "running",
    )
    assert Event.objects.filter(review=review, kind=EventKind.DEADLINE).count() == 1


@pytest.mark.parametrize("status", ["monitoring", "pre_notification"])
def test_a_review_opened_in_a_status_without_a_clock_is_created_with_no_period(editor_api, status):
    RegulatorFactory(slug="cma", short_name="CMA", jurisdiction="GB", calendar="GB-ENG")
    deal = DealFactory()
    payload = {"deal": deal.slug, "regulator": "cma", "status": status, "opened_on": "2024-03-04"}
    response = editor_api.post("/api/v1/reviews/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["opened_on"], body["next_deadline"]) == (
        status,
        "2024-03-04",
        None,
    )
    review = Review.objects.get(pk=body["id"])
    assert review.clock_started_on is None
    assert not review.deadline_periods.exists()
    # A clock field sent with it is still refused, by the API and by the service.
    refused = editor_api.post(
        "/api/v1/reviews/",
        {**payload, "reference": "ME/1/24", "clock_started_on": "2024-03-04"},
        format="json",
    )
    assert refused.status_code == 400
    assert "deadline service" in refused.json()["errors"]["clock_started_on"][0]
