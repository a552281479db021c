"""Every registry is one registered class: what each declares, and its sample documents."""

import io

import pytest
from django.core.management import call_command

from imports.models import SOURCE_NAME, ImportRun
from imports.samples import SampleAdapter
from imports.sources import all_sources, source_named
from regulators.calendars import get_calendar

SOURCES = sorted(all_sources())


def test_the_first_two_registries_are_registered():
    assert {"cma", "federal_register"} <= set(SOURCES)


@pytest.mark.parametrize("name", SOURCES)
def test_a_source_declares_what_the_runner_and_the_applier_need(name):
    source = source_named(name)
    SOURCE_NAME(source.name)  # raises on a name the columns would refuse
    assert len(source.name) <= 30 and source.title
    assert source.schedule_setting.startswith("IMPORTS_")
    # A court's docket speaks for no regulator; every regulator declared can be made.
    for slug, regulator in source.regulators.items():
        assert {"short_name", "name", "jurisdiction", "website", "calendar"} <= set(regulator), slug
        get_calendar(regulator["calendar"])  # raises on an unknown calendar
    assert (source.sample_directory() / "README.md").is_file()


def test_an_unknown_source_is_named_with_the_known_ones():
    with pytest.raises(KeyError, match="known: .*cma"):
        source_named("nope")


@pytest.mark.django_db
@pytest.mark.parametrize("name", SOURCES)
def test_a_sample_import_reads_the_shipped_documents_and_everything_goes_in(name):
    out = io.StringIO()

    call_command("import_registry", name, "--sample", stdout=out)

    run = ImportRun.objects.get(source=name)
    assert run.status == "ok", run.failures
    assert run.fetched >= 1 and run.failed == 0
    assert run.created + run.updated + run.queued >= 1
    assert "(sample documents)" in out.getvalue()


@pytest.mark.django_db
def test_a_second_sample_import_changes_nothing():
    call_command("import_registry", "cma", "--sample", stdout=io.StringIO())
    call_command("import_registry", "cma", "--sample", stdout=io.StringIO())

    again = ImportRun.objects.filter(source="cma").latest("started_at")
    assert (again.unchanged, again.created, again.updated) == (again.fetched, 0, 0)


def test_the_sample_transport_answers_only_from_the_source_s_directory():
    adapter = SampleAdapter(source_named("cma"))

    assert adapter.file_for("https://www.gov.uk/api/search.json?count=500") is not None
    assert adapter.file_for("https://www.gov.uk/api/../../../../etc/passwd") is None
    assert adapter.file_for("https://www.gov.uk/api/content/cma-cases/no-such-case") is None
