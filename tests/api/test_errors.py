"""Bad input of any kind is a 4xx in the one error shape, never a 500."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
V1 = "/api/v1"


def assert_error(response, status, field=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["status"] == status and body["code"] and body["detail"]
    if field:
        assert field in body["errors"], body


def test_malformed_json(editor_api, demo):
    response = editor_api.post(f"{V1}/parties/", '{"slug": "x",', content_type="application/json")
    assert_error(response, 400)
    assert response.json()["code"] == "parse_error"


def test_json_that_is_not_an_object(editor_api, demo):
    assert_error(editor_api.post(f"{V1}/parties/", "[1, 2]", content_type="application/json"), 400)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"slug": "big", "title": "Big", "deal_type": "merger", "value": "1e30"}, "value"),
        ({"slug": "big", "title": "Big", "deal_type": "merger", "value": "lots"}, "value"),
        ({"slug": "big", "title": "Big", "deal_type": "merger", "value": -1}, "value"),
        ({"slug": "big", "title": "Big", "deal_type": "hostile"}, "deal_type"),
        (
            {"slug": "big", "title": "Big", "deal_type": "merger", "announced_on": "2024-02-30"},
            "announced_on",
        ),
        (
            {
                "slug": "big",
                "title": "Big",
                "deal_type": "merger",
                "announced_on": "2024-05-01",
                "completed_on": "2024-01-01",
            },
            "completed_on",
        ),
        (
            {
                "slug": "big",
                "title": "Big",
                "deal_type": "merger",
                "parties": [{"party": "nobody", "role": "acquirer"}],
            },
            "parties",
        ),
        ({"slug": "not a slug", "title": "Big", "deal_type": "merger"}, "slug"),
        ({"slug": "amazon-anthropic", "title": "Dup", "deal_type": "merger"}, "slug"),
        ({"title": ["a", "list"], "slug": "big", "deal_type": "merger"}, "title"),
    ],
)
def test_deal_input_errors_name_the_field(editor_api, demo, payload, field):
    assert_error(editor_api.post(f"{V1}/deals/", payload, format="json"), 400, field)


def test_unknown_slugs_in_write_and_path(editor_api, demo):
    assert_error(
        editor_api.post(f"{V1}/reviews/", {"deal": "nope", "regulator": "cma"}, format="json"),
        400,
        "deal",
    )
    assert_error(editor_api.get(f"{V1}/deals/nope/"), 404)
    assert_error(editor_api.get(f"{V1}/reviews/99999999999999999999999/"), 404)
    assert_error(editor_api.post(f"{V1}/reviews/424242/transition/", {}, format="json"), 404)


def test_review_cannot_move_to_another_regulator(editor_api, litigated):
    review = litigated
    response = editor_api.patch(f"{V1}/reviews/{review.pk}/", {"regulator": "cma"}, format="json")
    assert_error(response, 400, "regulator")


def test_another_lead_deal_keeps_the_old_one_covered(editor_api, litigated):
    review = litigated
    response = editor_api.patch(
        f"{V1}/reviews/{review.pk}/", {"deal": "amazon-anthropic"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["deal"]["slug"] == "amazon-anthropic"
    assert {d["slug"] for d in body["deals"]} >= {"amazon-anthropic", "nvidia-runai"}


def test_event_review_of_another_deal(editor_api, litigated):
    review = litigated
    response = editor_api.post(
        f"{V1}/events/",
        {
            "deal": "amazon-anthropic",
            "review": review.pk,
            "kind": "news",
            "occurred_on": "2025-01-01",
            "title": "x",
        },
        format="json",
    )
    assert_error(response, 400, "review")


def test_wrong_method_and_unsupported_media(editor_api, demo):
    response = editor_api.post(f"{V1}/parties/", "<xml/>", content_type="application/xml")
    assert_error(response, 415)
    assert_error(
        editor_api.delete(f"{V1}/regulators/cma/"), 403
    )  # regulators are written by staff only
    editor_api.force_authenticate(UserFactory(username="admin", is_staff=True, is_superuser=True))
    assert_error(editor_api.delete(f"{V1}/regulators/cma/"), 405)


def test_a_far_future_transition_date_is_a_400_naming_the_field(editor_api, litigated):
    review = litigated
    response = editor_api.post(
        f"/api/v1/reviews/{review.pk}/transition/",
        {"status": "cleared", "occurred_on": "9999-12-31", "source_url": "https://example.org/x"},
        format="json",
    )
    assert response.status_code == 400
    assert "occurred_on" in response.json()["errors"]
    review.refresh_from_db()
    assert review.status == "litigation"


@pytest.mark.parametrize(
    "path", ["/api/v1/nonexistent/", "/api/v1/reviews/99999999999999999999/transition/"]
)
def test_any_method_on_an_unknown_path_is_the_json_404(editor, path):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)  # as curl is: a token, no CSRF cookie
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(path, {}, format="json")
        assert response.status_code == 404, (method, response.content[:200])
        assert response.json()["code"] == "not_found"
