import os

import pytest
from django.conf import settings

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def on_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def pytest_configure(config):
    # Under CI the PostgreSQL-only tests must run, never skip quietly.
    if IN_CI and not on_postgres():
        raise pytest.UsageError(
            "CI=true needs DATABASE_URL pointing at PostgreSQL (postgres://...)."
        )


def pytest_collection_modifyitems(config, items):
    if on_postgres():
        return
    skip = pytest.mark.skip(
        reason="needs PostgreSQL: set DATABASE_URL=postgres://user@host/db to run it"
    )
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


def require_or_skip(items, marker: str, missing: list[str], what: str) -> None:
    """Tests marked `marker` run only when nothing is `missing`: skipped with the reason on
    a developer's machine, a failed run under CI=true."""
    ours = [item for item in items if marker in item.keywords]
    if not ours or not missing:
        return
    reason = "needs " + " and ".join(missing)
    if IN_CI:
        raise pytest.UsageError(f"CI=true requires {what}: {reason}")
    for item in ours:
        item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture
def admin_user(db, django_user_model):
    return django_user_model.objects.create_superuser("boss", "boss@example.org", "pw-boss-123")


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters live in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
