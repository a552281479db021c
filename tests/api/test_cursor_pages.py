"""Lists read by cursor (`?cursor=`): the same rows as numbered pages, in the same order,
read from the order's index at any depth; a cursor that is not a position is a 400."""

import datetime
import re

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from api import keyset
from tests.factories import DealFactory, ReviewFactory
from tracker.models import Review

V1 = "/api/v1"
postgres = pytest.mark.postgres


def walk(api, path, params):
    """Every page by cursor from the first: the rows' ids, and the number of pages."""
    ids, pages = [], 0
    response = api.get(path, {**params, "cursor": ""})
    while True:
        assert response.status_code == 200, response.json()
        body = response.json()
        assert body["previous"] is None
        ids += [row["id"] for row in body["results"]]
        pages += 1
        if body["next"] is None:
            return ids, pages
        response = api.get(body["next"])


@pytest.fixture
def reviews(db):
    """Undated reviews (first in the list) and reviews sharing a date (told apart by id)."""
    deal = DealFactory(title="Cloud merger")
    dates = [
        None,
        None,
        datetime.date(2024, 1, 1),
        datetime.date(2024, 1, 1),
        datetime.date(2024, 1, 1),
        datetime.date(2024, 2, 1),
        datetime.date(2023, 6, 1),
    ]
    return [
        ReviewFactory(deal=deal, reference=f"R/{n}", opened_on=day) for n, day in enumerate(dates)
    ]


def test_cursor_pages_give_the_numbered_pages_rows_in_order(api, reviews):
    numbered = [
        row["id"] for row in api.get(f"{V1}/reviews/", {"page_size": 100}).json()["results"]
    ]
    by_cursor, pages = walk(api, f"{V1}/reviews/", {"page_size": 2})
    assert by_cursor == numbered and len(numbered) == 7 and pages == 4


def test_cursor_pages_follow_a_requested_ordering_with_the_id_breaking_ties(api, reviews):
    by_cursor, _ = walk(api, f"{V1}/reviews/", {"ordering": "opened_on", "page_size": 3})
    assert by_cursor == list(
        Review.objects.order_by("opened_on", "id").values_list("id", flat=True)
    )


def test_search_results_by_cursor_come_in_the_list_order(api, reviews):
    by_cursor, _ = walk(api, f"{V1}/reviews/", {"q": "cloud", "page_size": 2})
    listed = [row["id"] for row in api.get(f"{V1}/reviews/", {"page_size": 100}).json()["results"]]
    assert by_cursor == listed  # every review covers the matching deal


def test_a_cursor_page_has_the_numbered_shape(api, reviews):
    body = api.get(f"{V1}/reviews/", {"cursor": "", "page_size": 2}).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] is None  # not counted: a page by cursor runs no count
    assert "cursor=" in body["next"] and "page=" not in body["next"]


def test_a_page_number_with_a_cursor_is_a_400_naming_page(api, reviews):
    response = api.get(f"{V1}/reviews/", {"cursor": "", "page": 2})
    assert response.status_code == 400 and "page" in response.json()["errors"]


@pytest.mark.parametrize(
    "cursor",
    [
        "not-base64!",
        "eyJ9",  # not JSON
        keyset.encode(
            [keyset.Key("title", False, False), keyset.Key("id", False, False)], ["a", 1]
        ),  # another order
        keyset.encode(
            [keyset.Key("opened_on", True, True), keyset.Key("id", True, True)], ["not a date", 1]
        ),
        keyset.encode(
            [keyset.Key("opened_on", True, True), keyset.Key("id", True, True)],
            ["2024-01-01", 10**30],
        ),
        keyset.encode(
            [keyset.Key("opened_on", True, True), keyset.Key("id", True, True)], ["2024-01-01"]
        ),
    ],
)
def test_a_cursor_that_is_not_a_position_is_a_400_naming_cursor(api, reviews, cursor):
    response = api.get(f"{V1}/reviews/", {"cursor": cursor})
    assert response.status_code == 400
    assert "cursor" in response.json()["errors"]


def test_an_order_by_a_related_row_is_not_keyed(db):
    with pytest.raises(keyset.NotKeyed):
        keyset.keys_of(Review.objects.order_by("deal__title"))
    with pytest.raises(keyset.NotKeyed):
        keyset.keys_of(Review.objects.order_by("deal"))


def test_keys_end_with_the_primary_key(db):
    keys = keyset.keys_of(Review.objects.order_by(F("opened_on").desc(nulls_first=True)))
    assert [key.name for key in keys] == ["-opened_on", "id"] and keys[0].nulls_first


@postgres
def test_a_deep_cursor_page_is_read_from_the_order_index(api, reviews):
    ordered = Review.objects.order_by(F("opened_on").desc(nulls_first=True), "-id")
    last_before = ordered.values_list("opened_on", "id")[3]
    cursor = keyset.encode(keyset.keys_of(ordered), last_before)
    with CaptureQueriesContext(connection) as ctx:
        body = api.get(f"{V1}/reviews/", {"cursor": cursor, "page_size": 2}).json()
    assert not [
        q for q in ctx.captured_queries if "COUNT(" in q["sql"] or q["sql"].startswith("EXPLAIN")
    ]
    assert [row["id"] for row in body["results"]] == list(ordered.values_list("id", flat=True)[4:6])
    page_query = next(
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith('SELECT "tracker_review"."id"') and "LIMIT 3" in q["sql"]
    )
    assert "OFFSET" not in page_query
    with connection.cursor() as cursor:
        # A table this small would be scanned and sorted: ask whether the index can serve it.
        for method in ("seqscan", "bitmapscan", "sort"):
            cursor.execute(f"SET LOCAL enable_{method} = off")
        cursor.execute(f"EXPLAIN {page_query}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # Either index in the list's order (the search walk's adds columns, which a table
    # this small does not make dearer); on a large table the smaller one is chosen.
    assert re.search(r"Index Scan Backward using review_(opened_id|search_walk)_idx", plan), plan
    assert "Sort" not in plan
    assert "Index Cond: (opened_on <=" in plan  # starts at the position, not at the first row


def _unsigned(payload: str) -> str:
    """A cursor as they were made before they were signed: base64 JSON."""
    import base64

    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    ("path", "cursor"),
    [
        (
            "deals/?ordering=title",
            _unsigned('{"order": ["title", "id"], "after": ["a\\u0000b", 1]}'),
        ),
        ("deals/?ordering=title", _unsigned('{"order": ["title", "id"], "after": ["\\ud800", 1]}')),
        ("parties/?ordering=name", _unsigned('{"order": ["name", "id"], "after": [Infinity, 1]}')),
        ("events/", _unsigned("p=a%00b")),
    ],
)
def test_a_forged_cursor_is_a_400_naming_cursor_not_a_500(api, demo, path, cursor):
    joiner = "&" if "?" in path else "?"
    response = api.get(f"{V1}/{path}{joiner}cursor={cursor}")
    assert response.status_code == 400
    assert "cursor" in response.json()["errors"]


def test_a_signed_cursor_holding_a_value_no_column_can_store_is_refused(api, demo):
    # Even signed with our key (a leaked key, or a bug of ours), the values are checked.
    keys = [keyset.Key("title", False, False), keyset.Key("id", False, False)]
    for bad in ("a\x00b", "\ud800", float("inf"), [1]):
        response = api.get(
            f"{V1}/deals/", {"ordering": "title", "cursor": keyset.encode(keys, [bad, 1])}
        )
        assert response.status_code == 400 and "cursor" in response.json()["errors"]
