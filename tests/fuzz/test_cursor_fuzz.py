"""Cursor contents, generated: whatever a cursor holds, even one signed with our own key (a
leaked key, or a bug of ours that wrote a bad value), a list answers 200 or a 400 naming
`cursor`, never a 500. The lists ordered by text (deals by title, parties by name) once
answered 500 to a NUL, an unpaired surrogate or Infinity inside a cursor."""

from __future__ import annotations

import os
from urllib.parse import parse_qs, urlparse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api import keyset
from tracker.demo import load_demo

pytestmark = [pytest.mark.postgres, pytest.mark.fuzz, pytest.mark.django_db]

LISTS = [
    "/api/v1/deals/?ordering=title",
    "/api/v1/parties/?ordering=name",
    "/api/v1/reviews/?ordering=-opened_on",
    "/api/v1/events/",
]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "50"))

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(alphabet=st.characters(codec=None, min_codepoint=0, max_codepoint=0x10FFFF)),
    st.sampled_from(["\x00", "a\x00b", "\ud800", "x\udfff", "2024-13-45", "1" * 400]),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3), max_leaves=6)


def signed(order, after) -> str:
    if order is None:  # the events feed: its offset, direction and position
        return keyset.sign({"o": after, "r": False, "p": after})
    return keyset.sign({"order": order, "after": after})


def order_of(client, path: str) -> list[str] | None:
    """The key names of the list's order, read from the cursor of its second page (None
    for the events feed, whose cursor holds a position instead)."""
    joiner = "&" if "?" in path else "?"
    body = client.get(f"{path}{joiner}cursor=&page_size=1").json()
    cursor = parse_qs(urlparse(body["next"]).query)["cursor"][0]
    return keyset.unsign(cursor).get("order")


@pytest.mark.parametrize("path", LISTS)
def test_generated_cursor_contents_never_make_a_server_error(client, path, settings_cache):
    load_demo()
    order = order_of(client, path)
    joiner = "&" if "?" in path else "?"

    width = len(order) if order else 1

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(after=st.one_of(st.lists(values, min_size=width, max_size=width), values))
    def check(after):
        response = client.get(f"{path}{joiner}cursor={signed(order, after)}")
        assert response.status_code in (200, 400), (after, response.content[:300])
        if response.status_code == 400:
            assert "cursor" in response.json()["errors"]

    check()


@pytest.fixture
def settings_cache(settings):
    # Throttle counters live in the cache: a dummy cache lets every generated request through.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
