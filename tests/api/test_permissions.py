"""Who may do what: anonymous, plain user, editor, staff."""

import pytest
from rest_framework.authtoken.models import Token

from tracker.models import Review

pytestmark = pytest.mark.django_db
V1 = "/api/v1"


def write_requests(review_id):
    return [
        ("post", f"{V1}/parties/", {"slug": "newco", "name": "NewCo"}),
        ("patch", f"{V1}/deals/amazon-anthropic/", {"sector": "AI"}),
        (
            "post",
            f"{V1}/reviews/{review_id}/transition/",
            {
                "status": "cleared",
                "occurred_on": "2025-12-01",
                "source_url": "https://example.org/judgment",
            },
        ),
        (
            "post",
            f"{V1}/events/",
            {"deal": "amazon-anthropic", "kind": "news", "occurred_on": "2025-01-01", "title": "x"},
        ),
    ]


def runai_review():
    return Review.objects.get(reference="T-15/25").pk  # the `litigated` fixture


@pytest.mark.parametrize(
    "path", ["regulators/", "parties/", "deals/", "reviews/", "events/", "deals/amazon-anthropic/"]
)
def test_everyone_reads(api, demo, plain_user, path):
    assert api.get(f"{V1}/{path}").status_code == 200
    api.force_authenticate(plain_user)
    assert api.get(f"{V1}/{path}").status_code == 200


def test_anonymous_writes_are_401_with_a_clear_message(api, litigated):
    for method, url, body in write_requests(runai_review()):
        response = getattr(api, method)(url, body, format="json")
        assert response.status_code == 401, url
        assert response.json()["detail"] == "Authentication credentials were not provided."
        assert response["WWW-Authenticate"].startswith("Token")


@pytest.mark.parametrize("who", ["plain_user", "staff_user"])
def test_users_outside_editors_get_403(api, litigated, request, who):
    api.force_authenticate(request.getfixturevalue(who))
    for method, url, body in write_requests(runai_review()):
        response = getattr(api, method)(url, body, format="json")
        assert response.status_code == 403, url
        assert "editors" in response.json()["detail"]
    assert Review.objects.get(pk=runai_review()).status == "litigation"


def test_editor_writes(editor_api, litigated):
    codes = [
        getattr(editor_api, m)(u, b, format="json").status_code
        for m, u, b in write_requests(runai_review())
    ]
    assert codes == [201, 200, 200, 201]


def test_token_obtained_with_username_and_password_authenticates(api, demo, editor):
    response = api.post(
        f"{V1}/auth/token/", {"username": "editor", "password": "pw-secret-123"}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert token == Token.objects.get(user=editor).key
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert (
        api.patch(f"{V1}/deals/amazon-anthropic/", {"sector": "AI"}, format="json").status_code
        == 200
    )


def test_bad_credentials_and_bad_tokens(api, demo, editor):
    response = api.post(
        f"{V1}/auth/token/", {"username": "editor", "password": "wrong"}, format="json"
    )
    assert response.status_code == 400 and "Unable to log in" in response.json()["detail"]
    missing = api.post(f"{V1}/auth/token/", {"username": "editor"}, format="json")
    assert missing.status_code == 400 and "password" in missing.json()["errors"]
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert api.get(f"{V1}/deals/").status_code == 401


def test_session_authentication_works_for_editors(client, demo, editor):
    client.force_login(editor)
    # Session writes need the CSRF token like any Django form; reads just work.
    assert client.get(f"{V1}/deals/").status_code == 200


def test_drf_create_token_command_makes_a_token(editor):
    from django.core.management import call_command

    call_command("drf_create_token", "editor")
    assert Token.objects.filter(user=editor).exists()


def test_anonymous_reads_are_throttled(api, demo, settings):
    from django.core.cache import cache
    from rest_framework.throttling import AnonRateThrottle

    cache.clear()
    original = AnonRateThrottle.THROTTLE_RATES
    AnonRateThrottle.THROTTLE_RATES = {**original, "anon": "3/minute"}
    try:
        codes = [api.get(f"{V1}/regulators/").status_code for _ in range(4)]
    finally:
        AnonRateThrottle.THROTTLE_RATES = original
        cache.clear()
    assert codes == [200, 200, 200, 429]
