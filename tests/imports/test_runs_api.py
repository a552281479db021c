"""Import runs at the staff-only API endpoint."""

import pytest
from rest_framework.test import APIClient

from imports.runner import run_import
from tests.factories import UserFactory

from .govuk import amazon_anthropic, vodafone_three

pytestmark = pytest.mark.django_db


def test_staff_see_each_run_with_its_counts_and_failures(registry, admin_user):
    broken = vodafone_three()
    registry.cases = [amazon_anthropic(), broken]
    registry.content_overrides = {broken.slug: [(404, "{}", {})]}
    run_import("cma")
    client = APIClient()
    client.force_authenticate(admin_user)

    response = client.get("/api/v1/import-runs/", {"source": "cma"})

    assert response.status_code == 200
    [run] = response.json()["results"]
    assert (run["status"], run["fetched"], run["created"], run["failed"]) == ("partial", 2, 1, 1)
    assert run["failures"][0]["item"] == broken.slug and "HTTP 404" in run["failures"][0]["reason"]


@pytest.mark.parametrize("who", ["anonymous", "user"])
def test_others_are_refused(who):
    client = APIClient()
    if who == "user":
        client.force_authenticate(UserFactory())
    assert client.get("/api/v1/import-runs/").status_code in (401, 403)


def test_an_unknown_source_filter_is_a_400_naming_the_field(admin_user):
    client = APIClient()
    client.force_authenticate(admin_user)
    response = client.get("/api/v1/import-runs/", {"source": "ec"})
    assert response.status_code == 400
    assert "source" in response.content.decode()
