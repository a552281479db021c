"""The benchmark's framework-free reference answers a proceedings search as the API does
(bench/baseline.py): the same rows in the same order, counted the same way, for ranked
matches, fragments, no match and many matches walked in the list's order. The
benchmark's own check of the bodies happens at full scale; this keeps the reference
honest on the cases the full data set never produces."""

import json
from urllib.parse import urlencode

import pytest
from django.db import connection

from bench import baseline
from tests.factories import ReviewFactory
from tracker import search

V1 = "/api/v1"
pytestmark = pytest.mark.postgres


@pytest.fixture
def reference(db, monkeypatch):
    """The reference's reads go through the test's own connection, so it sees the test's rows."""
    connection.ensure_connection()
    monkeypatch.setattr(baseline, "_conn", connection.connection)

    def answer(text: str) -> dict:
        started = {}
        environ = {
            "PATH_INFO": f"{V1}/reviews/",
            "QUERY_STRING": urlencode({"q": text}),
            "HTTP_HOST": "testserver",
        }
        body = baseline.app(environ, lambda status, headers: started.update(status=status))
        assert started["status"] == "200 OK"
        return json.loads(b"".join(body))

    return answer


def api_answer(api, text: str) -> dict:
    response = api.get(f"{V1}/reviews/", {"q": text})
    assert response.status_code == 200, response.json()
    return response.json()


def without_links(body: dict) -> dict:
    return {key: value for key, value in body.items() if key not in {"next", "previous"}}


@pytest.fixture
def ranked_apart(cases):
    """Three proceedings matching `remedies` with three ranks (in the title, and in the outcome's
    wording once or twice), listed in the opposite order by date."""
    cma = cases["cma"].regulator
    for opened, title, wording in [
        (1, "Remedies review", ""),
        (2, "Review", "Remedies offered"),
        (3, "Review", "Remedies offered; remedies accepted"),
    ]:
        ReviewFactory(
            deal=cases["investment"],
            regulator=cma,
            title=title,
            outcome_wording=wording,
            opened_on=f"2025-0{opened}-01",
        )


@pytest.mark.parametrize(
    "text",
    ["amazon", "ME/70", "m.117", "zebra", "cleared", '"phase 1"', "azure -microsoft", "remedies"],
)
def test_the_reference_answers_a_search_as_the_api(api, ranked_apart, reference, text):
    ours = api_answer(api, text)
    theirs = reference(text)
    assert without_links(theirs) == without_links(ours)
    assert (theirs["next"] is None) == (ours["next"] is None)


def test_the_reference_walks_many_matches_in_the_list_order_as_the_api(
    api, cases, reference, monkeypatch
):
    for module in (search, baseline):
        monkeypatch.setattr(module, "RANKED_MATCHES", 1)
    ours = api_answer(api, "amazon")
    assert ours["count_is_estimate"] is True and len(ours["results"]) == 2
    assert without_links(reference("amazon")) == without_links(ours)


def test_the_ranked_case_puts_relevance_before_the_list_order(api, ranked_apart, reference):
    titles = [row["title"] for row in reference("remedies")["results"]]
    assert titles[0] == "Remedies review"  # opened first, listed last by date
    assert [row["title"] for row in api_answer(api, "remedies")["results"]] == titles
