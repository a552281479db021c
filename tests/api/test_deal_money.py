"""A deal's money in the API: the headline and each tranche say what kind of amount they are."""

import pytest

from tracker.choices import AmountBasis

pytestmark = pytest.mark.django_db


def test_the_api_names_each_amounts_basis(api, demo):
    deal = api.get("/api/v1/deals/microsoft-openai/").json()
    assert (deal["value"], deal["value_basis"], deal["total_committed"]) == (
        "13000000000.00",
        "reported",
        "1000000000.00",
    )
    listed = {d["slug"]: d for d in api.get("/api/v1/deals/", {"page_size": 50}).json()["results"]}
    assert listed["amazon-anthropic"]["value_basis"] == "committed"
    events = api.get("/api/v1/events/", {"deal": "amazon-anthropic", "kind": "investment"}).json()
    bases = {e["title"]: (e["amount"], e["amount_basis"]) for e in events["results"]}
    assert bases["Amazon to invest up to $4bn in Anthropic"] == ("4000000000.00", AmountBasis.UP_TO)
    assert bases["First tranche: $1.25bn"] == ("1250000000.00", AmountBasis.FUNDED)


def test_a_basis_without_an_amount_is_refused_naming_the_field(editor_api, demo):
    response = editor_api.post(
        "/api/v1/events/",
        {
            "deal": "microsoft-openai",
            "kind": "investment",
            "occurred_on": "2023-01-23",
            "title": "Further investment",
            "amount_basis": "committed",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "amount_basis" in response.json()["errors"]
    unknown = editor_api.post(
        "/api/v1/events/",
        {
            "deal": "microsoft-openai",
            "kind": "investment",
            "occurred_on": "2023-01-23",
            "title": "Further investment",
            "amount": "5",
            "amount_basis": "pledged",
        },
        format="json",
    )
    assert unknown.status_code == 400 and "amount_basis" in unknown.json()["errors"]
