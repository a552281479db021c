"""The test suite's fixtures and hooks, for benchmarks that run under pytest."""

from tests import conftest as suite
from tests.api.conftest import api, cases  # noqa: F401 fixtures of the search reference's check
from tests.integration import conftest as integration
from tests.integration.conftest import (  # noqa: F401 the services the benchmarks drive
    broker,
    loopback_webhooks,
    receiver,
    smtp,
    smtp_server,
    worker,
    worker_factory,
)

pytest_configure = suite.pytest_configure
_fresh_cache = suite._fresh_cache


def pytest_collection_modifyitems(config, items):
    suite.pytest_collection_modifyitems(config, items)
    integration.pytest_collection_modifyitems(config, items)
