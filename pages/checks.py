"""A deploy check: the pages need the static files' manifest when they are served with
hashed names (DEBUG=false), and `collectstatic` writes it only when run that way too."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.checks import Error, Tags, register
from django.core.files.storage import storages


@register(Tags.staticfiles, deploy=True)
def static_manifest_written(app_configs=None, **kwargs) -> list[Error]:
    storage = storages["staticfiles"]
    if not isinstance(storage, ManifestFilesMixin):
        return []
    manifest = Path(settings.STATIC_ROOT) / storage.manifest_name
    if manifest.exists():
        return []
    return [
        Error(
            f"No static files manifest at {manifest}: every page would answer 500.",
            hint="Run `DEBUG=false manage.py collectstatic --noinput` with the settings you "
            "serve with (collectstatic run with DEBUG=true writes no manifest).",
            id="pages.E001",
        )
    ]
