"""Property-based tests generated from the API's own OpenAPI schema (schemathesis).

Every operation is called through the WSGI application with generated input, valid
and invalid, once as an anonymous client and once as an editor, against PostgreSQL
holding the demo data. A test fails on any 5xx and on any response (status, content
type, body) that the schema does not describe.

FUZZ_EXAMPLES sets the examples per operation and role (default 25); FUZZ_CHECKS=5xx
checks for server errors only, so that a schema mismatch found first does not hide one.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.contrib.auth.models import Group
from django.core.wsgi import get_wsgi_application
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
from tracker.apps import EDITORS_GROUP
from tracker.demo import load_demo

# Committed transactions, as in production: the application's own atomic blocks and
# errors behave as they do under gunicorn.
pytestmark = [pytest.mark.postgres, pytest.mark.fuzz, pytest.mark.django_db(transaction=True)]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
if os.environ.get("FUZZ_CHECKS") == "5xx":
    CHECKS = [not_a_server_error]
# Throttle counters live in the cache: a dummy cache lets every generated request through.
NO_THROTTLE_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

application = get_wsgi_application()


# The schema as served at /api/v1/schema/, built without a request or a database.
schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
fuzz_settings = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same examples on every run, so CI is reproducible
    database=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate, Phase.target, Phase.shrink],
)


@pytest.fixture
def seeded():
    """Demo data committed, so the application's own transactions see it."""
    load_demo()
    with override_settings(CACHES=NO_THROTTLE_CACHE):
        yield


@pytest.fixture
def editor_token(seeded):
    user = UserFactory(username="fuzz-editor")
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return Token.objects.create(user=user).key


@schema.parametrize()
@fuzz_settings
def test_anonymous(case, seeded):
    case.call_and_validate(app=application, checks=CHECKS)


@schema.parametrize()
@fuzz_settings
def test_editor(case, editor_token):
    case.call_and_validate(app=application, headers={"Authorization": f"Token {editor_token}"}, checks=CHECKS)
