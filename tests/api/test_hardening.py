"""Hostile input, class by class, on PostgreSQL: every request is a 4xx in the API's
error shape (never a 500, nothing half-written), and outputs do not trust what editors
typed."""

import csv
import io
import json
import re
from datetime import datetime, timedelta, timezone
from xml.etree import ElementTree

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from api.csv_safety import neutralise_formula
from notices.models import Subscription
from tests.factories import (
    DealFactory,
    DealPartyFactory,
    EventFactory,
    PartyFactory,
    RegulatorFactory,
    ReviewFactory,
)
from tracker.models import Deal, DealParty, Event, Review

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
V1 = "/api/v1"


def assert_error(response, status, field=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert body["status"] == status and body["code"] and body["detail"], body
    if field:
        assert field in body["errors"], body
    return body


@pytest.fixture
def deal(db):
    deal = DealFactory(slug="acme-widget", title="Acme / Widget")
    DealPartyFactory(deal=deal, party=PartyFactory(slug="acme"))
    return deal


@pytest.fixture
def review(deal):
    return ReviewFactory(deal=deal, regulator=RegulatorFactory(short_name="CMA", slug="cma"))


# 1. Time-zone offsets and instants PostgreSQL cannot store ---------------------------------

OUT_OF_RANGE_INSTANTS = [
    "2025-01-01T00:00:00+18:30",
    "2025-01-01T00:00:00-16:00",
    "9999-12-31T23:00:00-05:00",
    "0001-01-01T00:30:00+01:00",
]


@pytest.mark.parametrize("value", OUT_OF_RANGE_INSTANTS)
@pytest.mark.parametrize(
    ("path", "parameter", "signed_in"),
    [
        ("events/", "since", False),
        ("deals/", "updated_since", False),
        ("reviews/", "updated_since", False),
        ("deliveries/", "created_after", True),
        ("deliveries/", "created_before", True),
    ],
)
def test_datetime_filters_out_of_range_are_a_400_naming_the_parameter(
    api, editor, review, path, parameter, signed_in, value
):
    if signed_in:
        api.force_authenticate(editor)
    assert_error(api.get(f"{V1}/{path}", {parameter: value}), 400, parameter)


def test_an_offset_postgresql_holds_still_filters(api, review):
    response = api.get(f"{V1}/events/", {"since": "2000-01-01T00:00:00+15:59"})
    assert response.status_code == 200


def test_the_atom_feed_refuses_an_out_of_range_since(client, review):
    response = client.get("/feeds/events/", {"since": "2025-01-01T00:00:00+18:30"})
    assert response.status_code == 400
    assert b"since" in response.content


@pytest.mark.parametrize(
    ("instant", "recorded_after_it"),
    [
        (datetime(2025, 1, 1, tzinfo=timezone(timedelta(hours=18, minutes=30))), True),
        (datetime(9999, 12, 31, 23, tzinfo=timezone(-timedelta(hours=5))), False),
        (datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))), True),
    ],
)
def test_any_query_with_an_aware_datetime_reaches_postgresql_in_utc(
    review, instant, recorded_after_it
):
    """The net beneath paths that do not validate (an admin lookup, a management command)."""
    Event.objects.all().delete()
    EventFactory(review=review, deal=review.deal)
    assert Event.objects.filter(created_at__gte=instant).count() == int(recorded_after_it)
    assert Event.objects.filter(created_at__lt=instant).count() == int(not recorded_after_it)


# 2. Deeply nested JSON ------------------------------------------------------------------------

DEEP = "[" * 1000 + "]" * 1000


def test_deeply_nested_json_is_a_400_even_for_the_anonymous_login(api):
    body = assert_error(api.post(f"{V1}/auth/token/", DEEP, content_type="application/json"), 400)
    assert body["code"] == "parse_error"


def test_json_nested_past_the_limit_is_refused_on_writes(editor_api, deal):
    nested = {"title": json.loads("[" * 40 + "]" * 40)}
    assert_error(editor_api.patch(f"{V1}/deals/{deal.slug}/", nested, format="json"), 400)
    assert_error(editor_api.post(f"{V1}/deals/", DEEP, content_type="application/json"), 400)


# 3. NUL and other characters PostgreSQL text cannot hold --------------------------------------


@pytest.mark.parametrize(
    "path",
    ["regulators/%00/", "deals/a%00b/timeline/", "deadlines/following/%00.ics", "reviews/1%00/"],
)
def test_a_nul_in_a_path_segment_is_a_404(api, deal, path):
    assert_error(api.get(f"{V1}/{path}"), 404)


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("deals/", "q"),
        ("deals/", "party"),
        ("reviews/", "regulator"),
        ("events/", "kind"),
        ("parties/", "country"),
    ],
)
def test_a_nul_in_a_filter_is_a_400_naming_it(api, deal, path, parameter):
    assert_error(api.get(f"{V1}/{path}", {parameter: "a\x00b"}), 400, parameter)


def test_unstorable_characters_in_bodies_are_a_400_naming_the_field_and_write_nothing(
    editor_api, review
):
    deals, reviews, events, subscriptions = (
        Deal.objects.count(),
        Review.objects.count(),
        Event.objects.count(),
        Subscription.objects.count(),
    )
    assert_error(
        editor_api.post(
            f"{V1}/deals/", {"slug": "nul", "title": "a\x00b", "deal_type": "merger"}, format="json"
        ),
        400,
        "title",
    )
    assert_error(
        editor_api.post(
            f"{V1}/reviews/",
            {"deal": "acme-widget", "regulator": "cma", "reference": "\x00"},
            format="json",
        ),
        400,
        "reference",
    )
    assert_error(
        editor_api.post(
            f"{V1}/events/",
            {
                "deal": "acme-widget",
                "kind": "news",
                "occurred_on": "2024-01-01",
                "title": "t",
                "body": "x\x00",
            },
            format="json",
        ),
        400,
        "body",
    )
    assert_error(
        editor_api.post(f"{V1}/subscriptions/", {"deal": "acme\x00"}, format="json"), 400, "deal"
    )
    # An unpaired surrogate, as JSON spells it, cannot be encoded for the database either.
    assert_error(
        editor_api.post(
            f"{V1}/deals/",
            '{"slug": "s", "title": "\\ud800", "deal_type": "merger"}',
            content_type="application/json",
        ),
        400,
        "title",
    )
    # A nested value names its top-level field, and the path in the message.
    body = assert_error(
        editor_api.patch(
            f"{V1}/deals/{review.deal.slug}/",
            {"parties": [{"party": "acme", "role": "x\x00"}]},
            format="json",
        ),
        400,
        "parties",
    )
    assert "parties[0].role" in body["detail"]
    # Form bodies too.
    form = "application/x-www-form-urlencoded"
    assert_error(
        editor_api.post(f"{V1}/parties/", "slug=a&name=b%00", content_type=form), 400, "name"
    )
    assert_error(
        editor_api.put(f"{V1}/reviews/{review.pk}/", "deal=a%00", content_type=form), 400, "deal"
    )
    assert_error(
        editor_api.patch(f"{V1}/deals/{review.deal.slug}/", "title=a%00", content_type=form),
        400,
        "title",
    )
    assert (
        Deal.objects.count(),
        Review.objects.count(),
        Event.objects.count(),
        Subscription.objects.count(),
    ) == (deals, reviews, events, subscriptions)


def test_a_nul_in_a_token_is_refused_before_any_lookup(api, deal):
    assert_error(api.get(f"{V1}/deals/", HTTP_AUTHORIZATION="Token abc\x00def"), 400)


def test_a_nul_outside_the_api_is_refused_too(admin_client):
    assert admin_client.get("/admin/tracker/deal/", {"q": "a\x00"}).status_code == 400
    assert admin_client.get("/feeds/events/", {"q": "a\x00"}).status_code == 400


# 4. Unexpected shapes in nested input ---------------------------------------------------------


@pytest.mark.parametrize(
    "parties",
    [
        [{"role": "acquirer"}],
        [{"party": "acme"}],
        ["acme"],
        [["acme", "acquirer"]],
        [None],
        {"party": "acme"},
        [{"party": {"slug": "acme"}, "role": "acquirer"}],
    ],
)
@pytest.mark.parametrize("method", ["put", "patch"])
def test_malformed_party_items_are_a_400_and_change_nothing(editor_api, deal, method, parties):
    payload = {"parties": parties}
    if method == "put":
        payload |= {"slug": deal.slug, "title": "Changed", "deal_type": "merger"}
    assert_error(
        getattr(editor_api, method)(f"{V1}/deals/{deal.slug}/", payload, format="json"),
        400,
        "parties",
    )
    deal.refresh_from_db()
    assert deal.title == "Acme / Widget"
    assert list(DealParty.objects.filter(deal=deal).values_list("party__slug", flat=True)) == [
        "acme"
    ]


def test_a_complete_party_item_in_a_patch_is_accepted(editor_api, deal):
    response = editor_api.patch(
        f"{V1}/deals/{deal.slug}/",
        {"parties": [{"party": "acme", "role": "target"}]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert [p["role"] for p in response.json()["parties"]] == ["target"]


# 5. Errors in the API's own shape ----------------------------------------------------------------


def test_a_body_over_the_upload_limit_is_a_413_in_the_api_shape(editor_api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"slug": "big", "title": "x" * 2000, "deal_type": "merger"})
    response = editor_api.post(f"{V1}/deals/", body, content_type="application/json")
    assert assert_error(response, 413)["code"] == "request_too_large"


def test_errors_django_raises_before_drf_are_in_the_api_shape(client, db, settings):
    settings.ALLOWED_HOSTS = ["good.example"]
    assert_error(client.get(f"{V1}/regulators/", HTTP_HOST="evil.example"), 400)
    settings.ALLOWED_HOSTS = ["testserver"]
    assert_error(client.post(f"{V1}/deadlines.ics"), 405)


def test_errors_of_a_csv_request_are_json(api, deal):
    assert_error(api.get(f"{V1}/deals/", {"format": "csv", "bogus": "1"}), 400, "bogus")


# 6. CSV formula injection -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-12.50", "-12.50"),
        ("plain", "plain"),
        (-5, -5),
        (None, None),
    ],
)
def test_formula_cells_are_neutralised(cell, expected):
    assert neutralise_formula(cell) == expected


def csv_rows(response):
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.DictReader(io.StringIO(content.decode())))


def test_every_csv_export_neutralises_formulas(api, review):
    formula = '=HYPERLINK("http://x","y")'
    deal = review.deal
    Deal.objects.filter(pk=deal.pk).update(title=formula, sector="@risk")
    EventFactory(review=review, deal=deal, title=formula, body="+cmd")
    exports = {
        "deals/": "title",
        "reviews/": "deal.title",
        "events/": "title",
        f"deals/{deal.slug}/timeline/": "title",
        f"reviews/{review.pk}/events/": "title",
    }
    for path, column in exports.items():
        rows = csv_rows(api.get(f"{V1}/{path}", {"format": "csv"}))
        assert rows and all(row[column] == "'" + formula for row in rows), (path, rows)
    detail = csv_rows(api.get(f"{V1}/deals/{deal.slug}/", {"format": "csv"}))
    assert detail[0]["title"] == "'" + formula and detail[0]["sector"] == "'@risk"


# 7. Feeds publish text as text ----------------------------------------------------------------


def test_the_atom_feed_publishes_event_bodies_as_text(client, review):
    script = '<img src=x onerror="alert(1)">'
    EventFactory(review=review, deal=review.deal, title=f"t {script}", body=script)
    response = client.get("/feeds/events/")
    assert response.status_code == 200
    atom = "{http://www.w3.org/2005/Atom}"
    entry = ElementTree.fromstring(response.content).find(f"{atom}entry")
    summary = entry.find(f"{atom}summary")
    assert summary.get("type") == "text"
    assert script in summary.text  # shown to the reader as typed, never parsed as HTML
    assert entry.find(f"{atom}title").get("type") in (None, "text")
    assert b'type="html"' not in response.content


# 10. The schema tells the truth -------------------------------------------------------------------


def named_routes(patterns, names=None):
    names = set() if names is None else names
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            named_routes(pattern.url_patterns, names)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(pattern.name)
    return names


def test_every_api_route_is_in_the_schema(api):
    schema = api.get(f"{V1}/schema/", {"format": "json"}).json()
    assert {"/api/v1/deadlines.ics", "/api/v1/deadlines/following/{token}.ics"} <= set(
        schema["paths"]
    )
    # A sample URL of each documented path resolves to the route that serves it.
    documented = {resolve(re.sub(r"\{[^}]+\}", "1", path)).url_name for path in schema["paths"]}
    served = named_routes(get_resolver("api.urls").url_patterns) - {
        "api-root",
        "api-schema",
        "api-docs",
    }
    assert served - documented == set()


def test_a_subscription_without_kinds_shows_the_kinds_it_follows(api, editor, deal):
    api.force_authenticate(editor)
    created = api.post(f"{V1}/subscriptions/", {"deal": deal.slug}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["event_kinds"] == ["status_change", "decision"]
    listed = api.get(f"{V1}/subscriptions/").json()["results"][0]
    assert listed["event_kinds"] == ["status_change", "decision"]
    assert Subscription.objects.get().effective_event_kinds == ["status_change", "decision"]


def test_event_kinds_items_are_validated(api, editor, deal):
    api.force_authenticate(editor)
    for kinds in (["nope"], [["status_change"]], "status_change", [{"a": 1}]):
        assert_error(
            api.post(
                f"{V1}/subscriptions/", {"deal": deal.slug, "event_kinds": kinds}, format="json"
            ),
            400,
            "event_kinds",
        )
