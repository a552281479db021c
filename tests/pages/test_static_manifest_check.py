"""`check --deploy` says when the static files' manifest is missing, the state that made
every page answer 500 after `collectstatic` was run with DEBUG=true."""

from pages.checks import static_manifest_written

MANIFEST = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def test_a_missing_manifest_is_an_error_naming_the_fix(settings, tmp_path):
    settings.STORAGES = MANIFEST
    settings.STATIC_ROOT = tmp_path
    [error] = static_manifest_written()
    assert error.id == "pages.E001"
    assert "DEBUG=false manage.py collectstatic" in error.hint
    (tmp_path / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}')
    assert static_manifest_written() == []


def test_no_error_without_hashed_names(settings):
    settings.STORAGES = {
        **MANIFEST,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    assert static_manifest_written() == []
