"""Property-based tests generated from the API's own OpenAPI schema (schemathesis).

Every operation is called through the WSGI application with generated input, valid
and invalid, as an anonymous client, as an editor and as staff without any permission,
against PostgreSQL holding the demo data. A test fails on any 5xx and on any response (status, content
type, body) that the schema does not describe.

The demo data is committed once for the module, not per test: the application's own
transactions then run as under gunicorn, and the writes of one operation's examples
are there for the next to read. The module's database is flushed at its end.

FUZZ_EXAMPLES sets the examples per operation and role (default 50); FUZZ_CHECKS=5xx
checks for server errors only, so that a schema mismatch found first does not hide one.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import connection
from django.test import override_settings
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import UserFactory
from tracker.demo import load_demo
from tracker.editors import EDITORS_GROUP

pytestmark = [pytest.mark.postgres, pytest.mark.fuzz]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "50"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
if os.environ.get("FUZZ_CHECKS") == "5xx":
    CHECKS = [not_a_server_error]
# Throttle counters live in the cache: a dummy cache lets every generated request through.
NO_THROTTLE_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

application = get_wsgi_application()
SCHEMA = SchemaGenerator().get_schema(request=None, public=True)  # as served at /api/v1/schema/
schema = schemathesis.openapi.from_dict(SCHEMA)
fuzz_settings = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same examples on every run, so CI is reproducible
    database=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate, Phase.target, Phase.shrink],
)


@pytest.mark.django_db
def test_the_fuzzed_schema_is_the_served_one(client):
    """Also makes pytest-django create the test database for this module's tests,
    which take the database from `demo_data` rather than per test."""
    served = client.get("/api/v1/schema/", {"format": "json"}).json()
    assert set(served["paths"]) == set(SCHEMA["paths"])


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo data and the tokens of an editor and of staff without rights, committed;
    everything flushed afterwards."""
    with django_db_blocker.unblock():
        if not connection.settings_dict["NAME"].startswith("test_"):
            pytest.fail(
                "No test database: run these tests together with test_the_fuzzed_schema_is_the_served_one."
            )
        load_demo()
        user = UserFactory(username="fuzz-editor")
        user.groups.add(Group.objects.get(name=EDITORS_GROUP))
        staff = UserFactory(username="fuzz-staff", is_staff=True)
        tokens = {
            "editor": Token.objects.create(user=user).key,
            "staff": Token.objects.create(user=staff).key,
        }
        try:
            yield tokens
        finally:
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def tokens(demo_data, django_db_blocker):
    """Database access for the test and the application it calls, unthrottled."""
    with django_db_blocker.unblock(), override_settings(CACHES=NO_THROTTLE_CACHE):
        yield demo_data


@schema.parametrize()
@fuzz_settings
def test_anonymous(case, tokens):
    case.call_and_validate(app=application, checks=CHECKS)


@schema.parametrize()
@fuzz_settings
def test_editor(case, tokens):
    case.call_and_validate(
        app=application, headers={"Authorization": f"Token {tokens['editor']}"}, checks=CHECKS
    )


@schema.parametrize()
@fuzz_settings
def test_staff_without_rights(case, tokens):
    # Staff with no permission write nothing (403) and read as anyone reads.
    case.call_and_validate(
        app=application, headers={"Authorization": f"Token {tokens['staff']}"}, checks=CHECKS
    )
