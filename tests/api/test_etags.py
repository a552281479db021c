import pytest

from tracker.models import Review

pytestmark = pytest.mark.django_db
V1 = "/api/v1"
SOURCE = "https://example.org/judgment"


@pytest.mark.parametrize(
    "path", ["regulators/cma/", "parties/anthropic/", "deals/amazon-anthropic/"]
)
def test_detail_has_an_etag_and_answers_304_when_unchanged(api, demo, path):
    first = api.get(f"{V1}/{path}")
    tag = first["ETag"]
    assert tag.startswith('"') and tag.endswith('"')
    assert api.get(f"{V1}/{path}", HTTP_IF_NONE_MATCH=tag).status_code == 304


def test_patch_with_current_etag_succeeds_and_changes_it(editor_api, demo):
    tag = editor_api.get(f"{V1}/deals/amazon-anthropic/")["ETag"]
    response = editor_api.patch(
        f"{V1}/deals/amazon-anthropic/", {"sector": "AI models"}, format="json", HTTP_IF_MATCH=tag
    )
    assert response.status_code == 200
    assert response["ETag"] != tag


def test_stale_if_match_is_412_and_changes_nothing(editor_api, demo):
    tag = editor_api.get(f"{V1}/deals/amazon-anthropic/")["ETag"]
    editor_api.patch(f"{V1}/deals/amazon-anthropic/", {"sector": "first"}, format="json")
    stale = editor_api.patch(
        f"{V1}/deals/amazon-anthropic/", {"sector": "second"}, format="json", HTTP_IF_MATCH=tag
    )
    assert stale.status_code == 412
    assert stale.json()["code"] == "precondition_failed"
    assert editor_api.get(f"{V1}/deals/amazon-anthropic/").json()["sector"] == "first"


def test_put_honours_if_match(editor_api, demo):
    tag = editor_api.get(f"{V1}/parties/anthropic/")["ETag"]
    body = {
        "slug": "anthropic",
        "name": "Anthropic PBC",
        "country": "US",
        "website": "https://www.anthropic.com",
        "aliases": [],
    }
    assert (
        editor_api.put(
            f"{V1}/parties/anthropic/", body, format="json", HTTP_IF_MATCH='"nope"'
        ).status_code
        == 412
    )
    assert (
        editor_api.put(
            f"{V1}/parties/anthropic/", body, format="json", HTTP_IF_MATCH=tag
        ).status_code
        == 200
    )


def test_transition_honours_if_match_under_the_lock(editor_api, litigated):
    review = litigated
    url = f"{V1}/reviews/{review.pk}/"
    tag = editor_api.get(url)["ETag"]
    editor_api.patch(url, {"stage": "Hearing scheduled"}, format="json")  # someone else edits
    stale = editor_api.post(
        f"{url}transition/",
        {"status": "cleared", "occurred_on": "2025-12-01", "source_url": SOURCE},
        format="json",
        HTTP_IF_MATCH=tag,
    )
    assert stale.status_code == 412
    assert Review.objects.get(pk=review.pk).status == "litigation"
    fresh = editor_api.get(url)["ETag"]
    ok = editor_api.post(
        f"{url}transition/",
        {"status": "cleared", "occurred_on": "2025-12-01", "source_url": SOURCE},
        format="json",
        HTTP_IF_MATCH=fresh,
    )
    assert ok.status_code == 200 and ok["ETag"] != fresh
