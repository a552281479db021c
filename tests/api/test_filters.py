"""Every filter of every list, on the demo data; strictness and bad values."""

from functools import reduce
from operator import or_

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db.models import Q

from api import filtersets
from regulators.models import Regulator
from tests.conftest import on_postgres
from tracker.lifecycle import OPEN_STATUSES
from tracker.models import Deal, Event, Party, Review
from tracker.search import INDEXES

pytestmark = pytest.mark.django_db
V1 = "/api/v1"


def keys(api, path, params, key="slug"):
    response = api.get(f"{V1}/{path}/", {**params, "page_size": 200})
    assert response.status_code == 200, response.json()
    return sorted(str(row[key]) for row in response.json()["results"])


def review_ids(api, params):
    return sorted(int(i) for i in keys(api, "reviews", params, key="id"))


def ids_of(*conditions, **lookup):
    return sorted(
        Review.objects.filter(*conditions, **lookup).distinct().values_list("pk", flat=True)
    )


REVIEW_CASES = {
    "status": ({"status": "cleared,litigation"}, {"status__in": ["cleared", "litigation"]}),
    "regulator": ({"regulator": "cma"}, {"regulator__slug": "cma"}),
    "regulator_id": (None, None),
    "jurisdiction": ({"jurisdiction": "US"}, {"regulator__jurisdiction": "US"}),
    # Covered deals, lead or not: the FTC's study of three partnerships is found under each.
    "deal": (
        {"deal": "alphabet-anthropic,nvidia-runai"},
        {"deals__slug__in": ["alphabet-anthropic", "nvidia-runai"]},
    ),
    "deal_id": (None, None),
    "party": ({"party": "anthropic"}, {"deals__parties__slug": "anthropic"}),
    "court": (None, None),
    "outcome": (
        {"outcome": "not_qualifying,study_concluded"},
        {"outcome__in": ["not_qualifying", "study_concluded"]},
    ),
    "review_type": ({"review_type": "market_study"}, {"review_type": "market_study"}),
    "open": ({"open": "true"}, {"status__in": sorted(OPEN_STATUSES)}),
    "deadline_after": ({"deadline_after": "2000-01-01"}, {"next_deadline__gte": "2000-01-01"}),
    "deadline_before": ({"deadline_before": "2100-01-01"}, {"next_deadline__lte": "2100-01-01"}),
    "opened_after": ({"opened_after": "2024-07-01"}, {"opened_on__gte": "2024-07-01"}),
    "opened_before": ({"opened_before": "2024-01-09"}, {"opened_on__lte": "2024-01-09"}),
    "updated_since": ({"updated_since": "2000-01-01T00:00:00Z"}, {}),
    "q": ({"q": "qualify"}, {}),
    "ordering": ({"ordering": "-opened_on"}, {}),
}


@pytest.mark.parametrize("name", sorted(REVIEW_CASES))
def test_review_filters(api, demo, name):
    params, lookup = REVIEW_CASES[name]
    Review.objects.filter(deal__slug="nvidia-runai").update(next_deadline="2026-12-01")
    if name in {"regulator_id", "deal_id"}:
        target = Review.objects.filter(regulator__slug="cma").first()
        value = target.regulator_id if name == "regulator_id" else target.deal_id
        params, lookup = (
            {name: value},
            {"deal_links__deal_id" if name == "deal_id" else name: value},
        )
    if name == "court":
        params, lookup = {"court": "us-dcd,uk-cat"}, {"court__slug__in": ["us-dcd", "uk-cat"]}
    conditions = []
    if (
        name == "q" and not on_postgres()
    ):  # each word in one of the searchable fields (tracker.search)
        conditions = [
            reduce(
                or_, (Q(**{f"{field}__icontains": "qualify"}) for field in INDEXES["review"].words)
            )
        ]
    if (
        name == "q" and on_postgres()
    ):  # words stemmed: "qualify" finds "qualifying", the outcome's own words
        conditions = [
            Q(search_document=SearchQuery("qualify", config="english", search_type="websearch"))
        ]
    assert review_ids(api, params) == ids_of(*conditions, **lookup)
    assert review_ids(api, params)  # every case selects something


def test_review_open_false_and_deadline_filters_exclude(api, demo):
    assert review_ids(api, {"open": "false"}) == ids_of(
        status__in=["cleared", "cleared_with_conditions", "prohibited", "abandoned", "closed"]
    )
    assert review_ids(api, {"regulator": "cma", "open": "true"}) == []
    Review.objects.filter(regulator__slug="ec", deal__slug="nvidia-runai").update(
        next_deadline="2026-12-01"
    )
    assert (
        len(review_ids(api, {"deadline_after": "2026-11-30", "deadline_before": "2026-12-02"})) == 1
    )
    assert review_ids(api, {"deadline_after": "2026-12-02"}) == []


def test_every_review_filter_is_tested():
    assert set(filtersets.ReviewFilter.base_filters) == set(REVIEW_CASES)


DEAL_CASES = {
    "status": ({"status": "completed"}, lambda: Q(status="completed")),
    "deal_type": (
        {"deal_type": "minority_investment,acquisition"},
        lambda: Q(deal_type__in=["minority_investment", "acquisition"]),
    ),
    "party": ({"party": "anthropic"}, lambda: Q(parties__slug="anthropic")),
    # Reviewed: by any review covering the deal, whichever deal leads it.
    "regulator": ({"regulator": "ftc"}, lambda: Q(reviews__regulator__slug="ftc")),
    "jurisdiction": ({"jurisdiction": "DE"}, lambda: Q(reviews__regulator__jurisdiction="DE")),
    "review_status": ({"review_status": "appeal"}, lambda: Q(reviews__status="appeal")),
    "announced_after": (
        {"announced_after": "2024-01-01"},
        lambda: Q(announced_on__gte="2024-01-01"),
    ),
    "announced_before": (
        {"announced_before": "2023-10-01"},
        lambda: Q(announced_on__lte="2023-10-01"),
    ),
    "value_min": ({"value_min": "2000000000"}, lambda: Q(value__gte=2000000000)),
    "value_max": ({"value_max": "700000000"}, lambda: Q(value__lte=700000000)),
    "updated_since": ({"updated_since": "2000-01-01T00:00:00Z"}, lambda: Q()),
    "q": (
        {"q": "Azure"},
        lambda: (
            Q(title__icontains="Azure")
            | Q(summary__icontains="Azure")
            | Q(sector__icontains="Azure")
            | Q(parties__name__icontains="Azure")
            | Q(parties__aliases__icontains="Azure")
        ),
    ),
    "ordering": ({"ordering": "-value"}, lambda: Q()),
}


@pytest.mark.parametrize("name", sorted(DEAL_CASES))
def test_deal_filters(api, demo, name):
    params, condition = DEAL_CASES[name]
    expected = sorted(Deal.objects.filter(condition()).distinct().values_list("slug", flat=True))
    assert keys(api, "deals", params) == expected
    assert expected  # every case selects something


def test_every_deal_filter_is_tested():
    assert set(filtersets.DealFilter.base_filters) == set(DEAL_CASES)


def test_deal_ordering_by_value(api, demo):
    rows = api.get(f"{V1}/deals/", {"ordering": "-value"}).json()["results"]
    values = [float(r["value"]) for r in rows if r["value"] is not None]
    assert values == sorted(values, reverse=True)


def tranche():
    return Q(title__icontains="tranche") | Q(body__icontains="tranche")


# name -> (query, the same events as an ORM filter of Event.objects)
EVENT_CASES = {
    "kind": ({"kind": "investment"}, lambda: Q(kind="investment")),
    # Its own events and those of every review covering it, as a whole.
    "deal": (
        {"deal": "alphabet-anthropic"},
        lambda: Q(
            pk__in=Event.objects.on_timeline_of(Deal.objects.get(slug="alphabet-anthropic")).values(
                "pk"
            )
        ),
    ),
    "review": (None, None),
    "regulator": ({"regulator": "doj"}, lambda: Q(review__regulator__slug="doj")),
    "jurisdiction": ({"jurisdiction": "DE"}, lambda: Q(review__regulator__jurisdiction="DE")),
    "source_type": ({"source_type": "regulator"}, lambda: Q(source_type="regulator")),
    "occurred_after": ({"occurred_after": "2025-03-01"}, lambda: Q(occurred_on__gte="2025-03-01")),
    "occurred_before": (
        {"occurred_before": "2023-09-30"},
        lambda: Q(occurred_on__lte="2023-09-30"),
    ),
    "since": ({"since": "2000-01-01T00:00:00Z"}, lambda: Q()),
    "q": ({"q": "tranche"}, tranche),
}


@pytest.mark.parametrize("name", sorted(EVENT_CASES))
def test_event_filters(api, demo, name):
    params, condition = EVENT_CASES[name]
    if name == "review":
        cma = Review.objects.get(deal__slug="amazon-anthropic", regulator__slug="cma")
        params, condition = {"review": cma.pk}, lambda: Q(review=cma)
    expected = sorted(
        str(pk) for pk in Event.objects.filter(condition()).values_list("pk", flat=True)
    )
    assert keys(api, "events", params, key="id") == expected
    assert expected  # every case selects something
    if name not in {"since", "occurred_after", "occurred_before", "kind", "q", "source_type"}:
        assert len(expected) < Event.objects.count()


def test_the_deal_filter_finds_a_shared_review_under_each_deal_it_covers(api, demo):
    study = Review.objects.get(regulator__slug="ftc", review_type="market_study")
    change = Event.objects.filter(review=study, kind="status_change", deal__isnull=True).first()
    assert study.deals.count() > 1 and change is not None
    for deal in study.deals.all():
        assert str(change.pk) in keys(api, "events", {"deal": deal.slug}, key="id")
        assert study.pk in review_ids(api, {"deal": deal.slug})


def test_every_event_filter_is_tested():
    assert set(filtersets.EventFilter.base_filters) == set(EVENT_CASES)


def test_since_returns_only_later_recordings(api, demo):
    rows = api.get(f"{V1}/events/", {"page_size": 200}).json()["results"]
    newest = max(r["created_at"] for r in rows)
    assert api.get(f"{V1}/events/", {"since": newest}).json()["results"] == []


def test_regulator_and_party_filters(api, demo):
    assert keys(api, "regulators", {"jurisdiction": "US"}) == ["doj", "ftc"]
    assert keys(api, "regulators", {"q": "bundes"}) == ["bkarta"]
    assert keys(api, "regulators", {"ordering": "jurisdiction"}) == sorted(
        Regulator.objects.values_list("slug", flat=True)
    )
    assert keys(api, "parties", {"country": "FR,IL"}) == sorted(
        Party.objects.filter(country__in=["FR", "IL"]).values_list("slug", flat=True)
    )
    assert "mistral-ai" in keys(api, "parties", {"country": "FR,IL"})
    assert "alphabet" in keys(api, "parties", {"q": "google"})
    rows = api.get(f"{V1}/parties/", {"ordering": "-name", "page_size": 200}).json()["results"]
    assert [r["name"] for r in rows] == sorted((r["name"] for r in rows), reverse=True)


@pytest.mark.parametrize("path", ["regulators", "parties", "deals", "reviews", "events"])
def test_unknown_parameter_is_a_400_listing_the_allowed(api, demo, path):
    response = api.get(f"{V1}/{path}/", {"stauts": "phase_1"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "stauts" in body["errors"]
    assert "Allowed:" in body["errors"]["stauts"][0] and "page_size" in body["errors"]["stauts"][0]


@pytest.mark.parametrize(
    ("path", "params"),
    [("reviews", {"cursor": "abc"}), ("events", {"page": "2"}), ("regulators", {"cursor": "abc"})],
)
def test_another_pagination_style_parameter_is_refused(api, demo, path, params):
    """A page number on the cursor-paginated feed would be ignored, and the client would
    read the first page again, forever; a numbered list's cursor must be one it gave."""
    response = api.get(f"{V1}/{path}/", params)
    assert response.status_code == 400
    [name] = params
    assert name in response.json()["errors"]


WITHIN_CASES = {
    "kind": ({"kind": "investment"}, lambda: Q(kind="investment")),
    "source_type": ({"source_type": "regulator"}, lambda: Q(source_type="regulator")),
    "regulator": ({"regulator": "cma"}, lambda: Q(review__regulator__slug="cma")),
    "jurisdiction": ({"jurisdiction": "US"}, lambda: Q(review__regulator__jurisdiction="US")),
    "occurred_after": ({"occurred_after": "2024-09-01"}, lambda: Q(occurred_on__gte="2024-09-01")),
    "occurred_before": (
        {"occurred_before": "2023-09-30"},
        lambda: Q(occurred_on__lte="2023-09-30"),
    ),
    "q": ({"q": "tranche"}, tranche),
}


@pytest.mark.parametrize("name", sorted(WITHIN_CASES))
def test_deal_timeline_filters(api, demo, name):
    params, condition = WITHIN_CASES[name]
    body = api.get(f"{V1}/deals/amazon-anthropic/timeline/", {**params, "page_size": 200}).json()
    events = Event.objects.on_timeline_of(Deal.objects.get(slug="amazon-anthropic"))
    expected = sorted(events.filter(condition()).values_list("pk", flat=True))
    assert sorted(e["id"] for e in body["results"]) == expected
    assert 0 < body["count"] == len(expected) < events.count()


def test_every_timeline_filter_is_tested():
    assert set(filtersets.EventWithinFilter.base_filters) == set(WITHIN_CASES)


def test_review_events_filter_by_kind(api, demo):
    cma = Review.objects.get(deal__slug="amazon-anthropic", regulator__slug="cma")
    body = api.get(f"{V1}/reviews/{cma.pk}/events/", {"kind": "status_change"}).json()
    expected = Event.objects.filter(review=cma, kind="status_change").count()
    assert [e["kind"] for e in body["results"]] == ["status_change"] * expected and expected


@pytest.mark.parametrize("path", ["deals/amazon-anthropic/timeline/", "reviews/{cma}/events/"])
def test_event_lists_of_one_deal_or_review_are_strict_too(api, demo, path):
    cma = Review.objects.get(deal__slug="amazon-anthropic", regulator__slug="cma")
    url = f"{V1}/{path.format(cma=cma.pk)}"
    unknown = api.get(url, {"knd": "decision"})
    assert unknown.status_code == 400 and "knd" in unknown.json()["errors"]
    bad = api.get(url, {"occurred_after": "2024-02-30"})
    assert bad.status_code == 400 and "occurred_after" in bad.json()["errors"]
    assert api.get(url, {"kind": "decision", "format": "csv"}).status_code == 200


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("reviews", {"status": "phase_3"}, "status"),
        ("reviews", {"outcome": "won"}, "outcome"),
        ("events", {"source_type": "blog"}, "source_type"),
        ("reviews", {"open": "maybe"}, "open"),
        ("reviews", {"deadline_before": "tomorrow"}, "deadline_before"),
        ("reviews", {"opened_after": "2024-02-30"}, "opened_after"),
        ("reviews", {"updated_since": "yesterday"}, "updated_since"),
        ("reviews", {"regulator_id": "99999999999999999999999"}, "regulator_id"),
        ("reviews", {"deal_id": "abc"}, "deal_id"),
        ("reviews", {"ordering": "password"}, "ordering"),
        ("deals", {"value_min": "1e400"}, "value_min"),
        ("deals", {"value_max": "-5"}, "value_max"),
        ("deals", {"deal_type": "takeover"}, "deal_type"),
        ("events", {"review": "99999999999999999999999"}, "review"),
        ("events", {"kind": "gossip"}, "kind"),
        ("events", {"since": "2024-13-01T00:00:00"}, "since"),
    ],
)
def test_bad_filter_values_are_400_naming_the_field(api, demo, path, params, field):
    response = api.get(f"{V1}/{path}/", params)
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]


def test_unknown_slug_filters_return_nothing_not_an_error(api, demo):
    assert keys(api, "reviews", {"regulator": "no-such-regulator"}) == []


@pytest.mark.parametrize(
    "path, key", [("parties", "slug"), ("deals", "slug"), ("reviews", "id"), ("regulators", "slug")]
)
def test_an_ordering_of_only_commas_keeps_the_lists_own_order(api, demo, path, key):
    import warnings

    from django.core.paginator import UnorderedObjectListWarning

    def first_page(params):
        response = api.get(f"{V1}/{path}/", {**params, "page_size": 3})
        assert response.status_code == 200, response.json()
        return [row[key] for row in response.json()["results"]]

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        commas = first_page({"ordering": ","})
    assert commas == first_page({}) and len(commas) == 3
    assert not [w for w in caught if issubclass(w.category, UnorderedObjectListWarning)]
