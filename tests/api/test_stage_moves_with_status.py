"""A status change moves what depends on it: the regulator's stage wording describes the status
it was given with, so a move gives the new wording or clears the old one; the admin offers only
the moves the lifecycle allows."""

import pytest
from django.urls import reverse

from tracker.lifecycle import allowed_targets
from tracker.models import Review

pytestmark = pytest.mark.django_db
DOCKET = "https://www.courtlistener.com/docket/18552824/united-states-v-google-llc/"


@pytest.fixture
def us_v_google(demo):
    review = Review.objects.get(regulator__slug="doj", reference="1:20-cv-03010")
    assert review.status == "appeal"
    assert review.stage == "Final judgment entered; appeals pending before the D.C. Circuit"
    return review


def close(editor_api, review, **extra):
    return editor_api.post(
        f"/api/v1/reviews/{review.pk}/transition/",
        {
            "status": "closed",
            "occurred_on": "2026-11-03",
            "source_url": DOCKET,
            "source_type": "court",
            "outcome": "judgment",
            **extra,
        },
        format="json",
    )


def test_closing_us_v_google_by_the_api_clears_the_appeal_wording(editor_api, us_v_google):
    response = close(editor_api, us_v_google)
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["stage"]) == ("closed", "")
    us_v_google.refresh_from_db()
    assert us_v_google.stage == ""


def test_a_move_given_its_wording_takes_it(editor_api, us_v_google):
    response = close(editor_api, us_v_google, stage="Judgment affirmed by the D.C. Circuit")
    assert response.status_code == 200, response.json()
    assert response.json()["stage"] == "Judgment affirmed by the D.C. Circuit"


def test_the_admin_offers_only_the_statuses_allowed_from_the_current_one(admin_client, us_v_google):
    url = reverse("admin:tracker_review_transition", args=[us_v_google.pk])
    form = admin_client.get(url).context["form"]
    offered = {value for value, _ in form.fields["to_status"].choices}
    assert offered == set(allowed_targets("appeal"))
    assert "monitoring" not in offered and "pre_notification" not in offered
    assert "appeal" not in offered  # no move to where it is already
    assert form["stage"].value() in (None, "")  # the old wording is not carried over
    refused = admin_client.post(
        url,
        {
            "to_status": "monitoring",
            "occurred_on": "2026-11-03",
            "source_url": DOCKET,
            "source_type": "court",
        },
    )
    assert refused.status_code == 200
    [message] = refused.context["form"].errors["to_status"]
    assert "cannot move from" in message and "(appeal) to" in message
    us_v_google.refresh_from_db()
    assert us_v_google.status == "appeal"


def test_closing_in_the_admin_without_wording_clears_it(admin_client, us_v_google):
    url = reverse("admin:tracker_review_transition", args=[us_v_google.pk])
    response = admin_client.post(
        url,
        {
            "to_status": "closed",
            "occurred_on": "2026-11-03",
            "stage": "",
            "outcome": "judgment",
            "source_url": DOCKET,
            "source_type": "court",
        },
    )
    assert response.status_code == 302
    us_v_google.refresh_from_db()
    assert (us_v_google.status, us_v_google.stage) == ("closed", "")
