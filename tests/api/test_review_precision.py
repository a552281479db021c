"""A proceeding's dates carry their precision in the API, beside the dates."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_review_serves_its_opening_precision_beside_the_date(api, demo):
    reviews = api.get(
        "/api/v1/reviews/", {"regulator": "ec", "deal": "microsoft-inflection"}
    ).json()
    (review,) = reviews["results"]
    assert (review["opened_on"], review["opened_precision"]) == ("2024-08-01", "month")
    assert (review["closed_on"], review["closed_precision"]) == ("2024-09-18", "day")
    detail = api.get(f"/api/v1/reviews/{review['id']}/").json()
    assert detail["opened_precision"] == "month"


def test_an_unknown_precision_is_a_400_naming_the_field(editor_api, demo):
    response = editor_api.post(
        "/api/v1/reviews/",
        {
            "deal": "microsoft-inflection",
            "regulator": "ec",
            "reference": "M.99999",
            "review_type": "merger_control",
            "opened_on": "2024-08-01",
            "opened_precision": "week",
        },
        format="json",
    )
    assert response.status_code == 400 and "opened_precision" in response.json()["errors"]
