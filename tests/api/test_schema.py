import pytest
import yaml
from django.core.management import call_command
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker, tmp_path_factory):
    path = tmp_path_factory.mktemp("schema") / "openapi.yaml"
    with django_db_blocker.unblock():
        # --fail-on-warn: an undocumented field or an unresolvable type fails the build.
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


def test_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate(schema)


def test_every_endpoint_is_documented(schema):
    expected = {
        "/api/v1/regulators/",
        "/api/v1/regulators/{slug}/",
        "/api/v1/parties/",
        "/api/v1/parties/{slug}/",
        "/api/v1/deals/",
        "/api/v1/deals/{slug}/",
        "/api/v1/deals/{slug}/timeline/",
        "/api/v1/reviews/",
        "/api/v1/reviews/{id}/",
        "/api/v1/reviews/{id}/events/",
        "/api/v1/reviews/{id}/transition/",
        "/api/v1/events/",
        "/api/v1/events/{id}/",
        "/api/v1/auth/token/",
        "/api/v1/deadlines/",
        "/api/v1/stats/review-durations/",
        "/api/v1/courts/",
        "/api/v1/courts/{slug}/",
    }
    assert expected <= set(schema["paths"])


def test_filters_and_errors_are_documented(schema):
    params = {p["name"] for p in schema["paths"]["/api/v1/reviews/"]["get"]["parameters"]}
    assert {
        "status",
        "regulator",
        "jurisdiction",
        "deal",
        "party",
        "review_type",
        "open",
        "deadline_before",
        "deadline_after",
        "opened_after",
        "opened_before",
        "updated_since",
        "q",
        "ordering",
        "page",
        "page_size",
        "outcome",
        "court",
    } <= params
    transition = schema["paths"]["/api/v1/reviews/{id}/transition/"]["post"]
    assert {"200", "400", "401", "403", "404", "412"} <= set(transition["responses"])
    assert transition["responses"]["400"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    assert "Error" in schema["components"]["schemas"]


def test_schema_and_docs_are_served(client):
    assert client.get("/api/v1/schema/").status_code == 200
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()


def test_new_fields_are_described(schema):
    components = schema["components"]["schemas"]
    review = components["ReviewRead"]["properties"]
    assert {
        "deal",
        "deals",
        "outcome",
        "outcome_wording",
        "court",
        "docket_number",
        "judge",
    } <= set(review)
    event = components["EventRead"]["properties"]
    assert (
        event["occurred_on"]["type"] == "string"
        and "YYYY-MM" in event["occurred_on"]["description"]
    )
    assert {"source_type", "source_read_on"} <= set(event)
    deal = components["DealList"]["properties"]
    assert deal["announced_on"]["type"] == "string" and "announced_precision" in deal
    assert components["DatePrecisionEnum"]["enum"] == ["day", "month", "year"]
    transition = components["Transition"]["properties"]
    assert {"source_type", "outcome", "outcome_wording"} <= set(transition)


def test_reference_data_is_written_by_staff_through_the_same_paths(schema):
    assert set(schema["paths"]["/api/v1/regulators/{slug}/"]) == {"get", "put", "patch"}
    assert set(schema["paths"]["/api/v1/courts/{slug}/"]) == {"get", "put", "patch"}
    assert set(schema["paths"]["/api/v1/courts/"]) == {"get", "post"}


def test_read_only_resources_offer_no_writes(schema):
    assert "/api/v1/deadlines/{id}/" not in schema["paths"]
    assert set(schema["paths"]["/api/v1/deadlines/"]) == {"get"}
    assert "delete" not in schema["paths"]["/api/v1/deals/{slug}/"]
