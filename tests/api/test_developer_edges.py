"""What a developer meets first: an invalid choice names the valid ones, slugs and codes
match whatever their case, reads are documented as open, and a deal or proceeding links the
page that shows it."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_an_invalid_choice_lists_the_valid_ones(api, demo):
    response = api.get("/api/v1/reviews/", {"status": "phase_1,bogus"})

    assert response.status_code == 400
    [message] = response.json()["errors"]["status"]
    assert message.startswith("'bogus' is not one of: monitoring, preliminary_inquiry,")
    assert "phase_2" in message and "closed." in message


def test_a_single_choice_filter_lists_its_values_too(api, demo):
    response = api.get("/api/v1/reviews/", {"open": "maybe"})

    assert response.json()["errors"]["open"] == ["'maybe' is not one of: true, false."]


@pytest.mark.parametrize(
    "path, params",
    [
        ("/api/v1/reviews/", {"regulator": "CMA"}),
        ("/api/v1/reviews/", {"regulator": "Cma,EC"}),
        ("/api/v1/deals/", {"regulator": "CMA"}),
        ("/api/v1/events/", {"regulator": "CMA"}),
        ("/api/v1/reviews/", {"jurisdiction": "gb"}),
        ("/api/v1/regulators/", {"jurisdiction": "eu"}),
    ],
)
def test_slugs_and_codes_match_whatever_their_case(api, demo, path, params):
    as_written = api.get(path, params).json()["results"]
    canonical = {
        name: value.lower() if name == "regulator" else value.upper()
        for name, value in params.items()
    }

    assert as_written and as_written == api.get(path, canonical).json()["results"]


def test_a_deal_and_a_proceeding_link_their_public_pages(api, demo):
    deal = api.get("/api/v1/deals/amazon-anthropic/").json()
    review = api.get("/api/v1/reviews/", {"deal": "amazon-anthropic"}).json()["results"][0]

    assert deal["page_url"] == "http://testserver/deals/amazon-anthropic/"
    assert review["page_url"] == f"http://testserver/proceedings/{review['id']}/"
    assert api.get(deal["page_url"]).status_code == 200


def test_the_schema_documents_reads_as_open_and_writes_as_signed_in(tmp_path):
    import json

    path = tmp_path / "openapi.json"
    call_command("spectacular", "--format", "openapi-json", "--file", str(path))
    paths = json.loads(path.read_text())["paths"]

    assert {} in paths["/api/v1/reviews/"]["get"]["security"]
    assert {} in paths["/api/v1/regulators/{slug}/"]["get"]["security"]
    assert {} not in paths["/api/v1/reviews/"]["post"]["security"]
    assert {} not in paths["/api/v1/subscriptions/"]["get"]["security"]
    assert paths["/api/v1/deals/{slug}/"]["get"]["responses"]["200"]["content"]
