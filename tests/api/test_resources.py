"""Every endpoint: list, detail, create, update, sub-lists, transition."""

import datetime
from decimal import Decimal

import pytest

from tracker.choices import EventKind, ReviewStatus
from tracker.models import Deal, Event, Party, Review

pytestmark = pytest.mark.django_db
V1 = "/api/v1"


def review(deal, regulator):
    return Review.objects.get(deal__slug=deal, regulator__slug=regulator)


def test_api_root_lists_the_resources(api, demo):
    body = api.get(f"{V1}/").json()
    assert {"regulators", "parties", "deals", "reviews", "events"} <= set(body)


def test_regulators_list_and_detail_by_slug(api, demo):
    listing = api.get(f"{V1}/regulators/").json()
    assert [r["slug"] for r in listing["results"]] == ["bkarta", "cma", "doj", "ec", "ftc"]
    cma = api.get(f"{V1}/regulators/cma/").json()
    assert (cma["short_name"], cma["jurisdiction"], cma["calendar"]) == ("CMA", "GB", "GB-ENG")


def test_parties_list_and_detail(api, demo):
    alphabet = api.get(f"{V1}/parties/alphabet/").json()
    assert alphabet["aliases"] == [
        a.strip() for a in Party.objects.get(slug="alphabet").aliases.split(",")
    ]
    assert "Google" in alphabet["aliases"]
    assert api.get(f"{V1}/parties/").json()["count"] == Party.objects.count()


def test_deal_detail_carries_parties_total_and_reviews(api, demo):
    body = api.get(f"{V1}/deals/amazon-anthropic/").json()
    assert body["total_committed"] == "13000000000.00"
    assert body["parties"] == [
        {"slug": "amazon", "name": "Amazon", "role": "investor"},
        {"slug": "anthropic", "name": "Anthropic", "role": "target"},
    ]
    regulators = {r["regulator"]["slug"]: r for r in body["reviews"]}
    assert set(regulators) == {"cma", "ftc"}
    assert regulators["cma"]["status"] == "closed"
    assert regulators["cma"]["stage"] == "Phase 1 decision: found not to qualify"
    assert "next_deadline" in regulators["cma"]


def test_deal_timeline_lists_every_event_by_date(api, demo):
    body = api.get(f"{V1}/deals/amazon-anthropic/timeline/", {"page_size": 200}).json()
    dates = [e["occurred_on"] for e in body["results"]]
    assert dates == sorted(dates)
    # Its own events and those of the reviews covering it (the FTC's study of three deals).
    deal = Deal.objects.get(slug="amazon-anthropic")
    assert body["count"] == Event.objects.on_timeline_of(deal).count() > deal.events.count()
    assert {e["regulator"] for e in body["results"]} == {None, "cma", "ftc"}
    assert all(e["source_url"].startswith("https://") for e in body["results"])


def test_review_list_detail_and_events(api, demo):
    cma = review("amazon-anthropic", "cma")
    detail = api.get(f"{V1}/reviews/{cma.pk}/").json()
    assert detail["deal"] == {"slug": "amazon-anthropic", "title": "Amazon / Anthropic"}
    assert detail["deals"] == [
        {"slug": "amazon-anthropic", "title": "Amazon / Anthropic", "role": "reviews"}
    ]
    assert (detail["outcome"], detail["outcome_wording"], detail["court"]) == (
        "not_qualifying",
        cma.outcome_wording,
        None,
    )
    events = api.get(f"{V1}/reviews/{cma.pk}/events/").json()["results"]
    expected = (
        Event.objects.filter(review=cma)
        .order_by("occurred_on", "id")
        .values_list("kind", flat=True)
    )
    assert [e["kind"] for e in events] == list(expected) and "status_change" in expected
    # A status change belongs to the review as a whole; it is listed under the lead deal.
    assert {e["deal"] for e in events} == {"amazon-anthropic"}
    assert api.get(f"{V1}/reviews/").json()["count"] == Review.objects.count()


def test_a_review_covering_several_deals_lists_them_and_shows_on_each(api, demo):
    study = Review.objects.get(regulator__slug="ftc", review_type="market_study")
    covered = sorted(study.deals.values_list("slug", flat=True))
    detail = api.get(f"{V1}/reviews/{study.pk}/").json()
    assert detail["deal"]["slug"] == study.deal.slug
    assert sorted(d["slug"] for d in detail["deals"]) == covered and len(covered) > 1
    for slug in covered:
        deal = api.get(f"{V1}/deals/{slug}/").json()
        [listed] = [r for r in deal["reviews"] if r["id"] == study.pk]
        assert listed["lead_deal"] == study.deal.slug


def test_events_feed_is_newest_first_and_cursor_paginated(api, demo):
    first = api.get(f"{V1}/events/", {"page_size": 20}).json()
    assert len(first["results"]) == 20 and first["next"] and first["previous"] is None
    dates = [e["occurred_on"] for e in first["results"]]
    assert dates == sorted(dates, reverse=True)
    second = api.get(first["next"]).json()
    seen = {e["id"] for e in first["results"]} | {e["id"] for e in second["results"]}
    assert len(seen) == 40


def test_page_size_is_capped(api, db):
    from tests.factories import PartyFactory

    PartyFactory.create_batch(205)
    assert len(api.get(f"{V1}/parties/", {"page_size": 1000}).json()["results"]) == 200


def test_editor_creates_and_edits_a_party(editor_api, db):
    created = editor_api.post(
        f"{V1}/parties/",
        {"slug": "xai", "name": "xAI", "country": "us", "aliases": ["X.AI Corp"]},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["country"] == "US"
    assert created["ETag"]
    patched = editor_api.patch(f"{V1}/parties/xai/", {"website": "https://x.ai"}, format="json")
    assert patched.status_code == 200 and Party.objects.get(slug="xai").website == "https://x.ai"


def test_editor_creates_a_deal_with_parties_and_replaces_them(editor_api, demo):
    created = editor_api.post(
        f"{V1}/deals/",
        {
            "slug": "microsoft-openai-2",
            "title": "Microsoft / OpenAI recapitalisation",
            "deal_type": "minority_investment",
            "announced_on": "2025-10-28",
            "value": "135000000000",
            "currency": "USD",
            "parties": [
                {"party": "microsoft", "role": "investor"},
                {"party": "openai", "role": "target"},
            ],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert [p["slug"] for p in created.json()["parties"]] == ["microsoft", "openai"]
    replaced = editor_api.patch(
        f"{V1}/deals/microsoft-openai-2/",
        {"parties": [{"party": "openai", "role": "partner"}]},
        format="json",
    )
    assert replaced.json()["parties"] == [{"slug": "openai", "name": "OpenAI", "role": "partner"}]


def test_editor_creates_a_review_but_cannot_write_its_status(editor_api, demo):
    created = editor_api.post(
        f"{V1}/reviews/",
        {
            "deal": "amazon-anthropic",
            "regulator": "ec",
            "review_type": "merger_control",
            "status": "pre_notification",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    review_id = created.json()["id"]
    refused = editor_api.patch(f"{V1}/reviews/{review_id}/", {"status": "cleared"}, format="json")
    assert refused.status_code == 400
    assert "transition" in refused.json()["errors"]["status"][0]
    stage = editor_api.patch(
        f"{V1}/reviews/{review_id}/", {"stage": "Informal contacts"}, format="json"
    )
    assert stage.status_code == 200 and stage.json()["stage"] == "Informal contacts"
    assert Review.objects.get(pk=review_id).status == ReviewStatus.PRE_NOTIFICATION


def test_duplicate_reference_is_a_400_naming_the_reference(editor_api, demo):
    taken = Review.objects.exclude(reference="").filter(regulator__slug="ec").first()
    response = editor_api.post(
        f"{V1}/reviews/",
        {"deal": "microsoft-openai", "regulator": "ec", "reference": taken.reference},
        format="json",
    )
    assert response.status_code == 400
    assert "already has a review" in response.json()["errors"]["reference"][0]
    # A second proceeding of one regulator on one deal is fine (a restructured deal, say).
    again = editor_api.post(
        f"{V1}/reviews/",
        {"deal": "amazon-anthropic", "regulator": "cma", "reference": "ME/9999/26"},
        format="json",
    )
    assert again.status_code == 201, again.json()
    # The same reference at another regulator is another case.
    other = editor_api.post(
        f"{V1}/reviews/",
        {"deal": "amazon-anthropic", "regulator": "cma", "reference": taken.reference},
        format="json",
    )
    assert other.status_code == 201, other.json()


def test_editor_adds_an_event_but_never_a_status_change(editor_api, litigated):
    cma = litigated
    created = editor_api.post(
        f"{V1}/events/",
        {
            "review": cma.pk,
            "kind": "hearing",
            "occurred_on": "2025-06-01",
            "title": "Hearing in T-15/25",
            "source_url": "https://example.org/h",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["deal"] == "nvidia-runai"
    refused = editor_api.post(
        f"{V1}/events/",
        {"review": cma.pk, "kind": "status_change", "occurred_on": "2025-06-01", "title": "x"},
        format="json",
    )
    assert refused.status_code == 400 and "kind" in refused.json()["errors"]
    status_change = Event.objects.filter(kind=EventKind.STATUS_CHANGE).first()
    edit = editor_api.patch(
        f"{V1}/events/{status_change.pk}/", {"title": "rewritten"}, format="json"
    )
    assert edit.status_code == 400
    assert Event.objects.get(pk=status_change.pk).title != "rewritten"


def test_investment_amounts_only_on_investment_events(editor_api, demo):
    response = editor_api.post(
        f"{V1}/events/",
        {
            "deal": "amazon-anthropic",
            "kind": "news",
            "occurred_on": "2026-05-01",
            "title": "x",
            "amount": "5",
        },
        format="json",
    )
    assert response.status_code == 400 and "amount" in response.json()["errors"]
    ok = editor_api.post(
        f"{V1}/events/",
        {
            "deal": "amazon-anthropic",
            "kind": "investment",
            "occurred_on": "2026-05-01",
            "title": "More",
            "amount": "1000000000",
            "currency": "USD",
        },
        format="json",
    )
    assert ok.status_code == 201
    assert Deal.objects.with_total_committed().get(
        slug="amazon-anthropic"
    ).total_committed == Decimal("14000000000")


def test_transition_over_http_goes_through_the_service(editor_api, editor, litigated):
    runai = litigated
    response = editor_api.post(
        f"{V1}/reviews/{runai.pk}/transition/",
        {
            "status": "cleared",
            "occurred_on": "2025-12-03",
            "title": "Action dismissed",
            "note": "T-15/25",
            "source_url": "https://example.org/judgment",
            "source_type": "court",
            "stage": "Judgment",
            "outcome": "judgment",
            "outcome_wording": "Action dismissed",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["outcome"], body["outcome_wording"]) == (
        "cleared",
        "judgment",
        "Action dismissed",
    )
    event = Event.objects.filter(review=runai, kind=EventKind.STATUS_CHANGE).latest("id")
    assert (
        event.from_status,
        event.to_status,
        event.created_by,
        event.occurred_on,
        event.source_type,
    ) == ("litigation", "cleared", editor, datetime.date(2025, 12, 3), "court")
    assert event.deal is None  # the review's as a whole


def test_forbidden_transition_is_a_400_naming_both_statuses(editor_api, demo):
    cma = review("amazon-anthropic", "cma")
    before = Event.objects.count()
    response = editor_api.post(
        f"{V1}/reviews/{cma.pk}/transition/",
        {"status": "phase_2", "occurred_on": "2025-01-01", "source_url": "https://example.org/x"},
        format="json",
    )
    assert response.status_code == 400
    message = response.json()["errors"]["status"][0]
    assert "(closed)" in message and "(phase_2)" in message
    assert Event.objects.count() == before


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"occurred_on": "2025-01-01"}, "status"),
        ({"status": "cleared"}, "occurred_on"),
        ({"status": "cleared", "occurred_on": "01/02/2025"}, "occurred_on"),
        ({"status": "approved", "occurred_on": "2025-01-01"}, "status"),
        (
            {"status": "cleared", "occurred_on": "2025-01-01", "source_url": "not a url"},
            "source_url",
        ),
        ({"status": "cleared", "occurred_on": "2025-01-01"}, "source_url"),
        ({"status": "cleared", "occurred_on": "2025-01-01", "source_url": ""}, "source_url"),
        ({"status": "cleared", "occurred_on": "2025-01-01", "source_url": None}, "source_url"),
        ({"status": "cleared", "occurred_on": "2025-01-01", "source_type": "press"}, "source_type"),
        ({"status": "cleared", "occurred_on": "2025-01-01", "source_type": "blog"}, "source_type"),
        ({"status": "cleared", "occurred_on": "2025-01-01", "outcome": "won"}, "outcome"),
        ({"status": "cleared", "occurred_on": "2025-01-01", "outcome": "prohibited"}, "outcome"),
        ({"status": "phase_2", "occurred_on": "2025-01-01", "outcome": "cleared"}, "outcome"),
        (
            {"status": "cleared", "occurred_on": "2024-01-01"},
            "occurred_on",
        ),  # before the review opened
    ],
)
def test_transition_input_errors_name_the_field(editor_api, litigated, payload, field):
    runai = litigated
    if field != "source_url":
        payload = {"source_url": "https://example.org/decision", **payload}
    response = editor_api.post(f"{V1}/reviews/{runai.pk}/transition/", payload, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"]
    assert Review.objects.get(pk=runai.pk).status == ReviewStatus.LITIGATION
