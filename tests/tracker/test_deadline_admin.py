"""Editors keep clock stops, extensions and hand-set deadlines in the review's admin page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from regulators.choices import Calendar
from tests.factories import DealFactory, RegulatorFactory, ReviewFactory
from tracker import deadlines
from tracker.choices import DeadlineKind, EventKind, PeriodState, ReviewStatus
from tracker.models import ClockStop, DeadlineExtension, DeadlinePeriod, Event, Review
from tracker.services import transition_review

pytestmark = pytest.mark.django_db
d = datetime.date
SOURCE = "https://www.gov.uk/cma-cases/x"


@pytest.fixture
def cma_review():
    cma = RegulatorFactory(slug="cma", short_name="CMA", calendar=Calendar.ENGLAND_WALES)
    review = ReviewFactory(regulator=cma, status=ReviewStatus.MONITORING, opened_on=None)
    transition_review(
        review_id=review.pk,
        to_status=ReviewStatus.PHASE_1,
        occurred_on=d(2024, 8, 8),
        source_url=SOURCE,
    )
    return Review.objects.get(pk=review.pk)


def form_data(client, review):
    """The change form as the browser would send it back unchanged."""
    page = client.get(reverse("admin:tracker_review_change", args=[review.pk]))
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name)
        data[name] = field.prepare_value(value) if value is not None else ""
    for inline in page.context["inline_admin_formsets"]:
        fs = inline.formset
        data[f"{fs.prefix}-TOTAL_FORMS"] = len(fs.forms)
        data[f"{fs.prefix}-INITIAL_FORMS"] = fs.initial_form_count()
        for i, f in enumerate(fs.forms):
            for name in f.fields:
                value = f.initial.get(
                    name, getattr(f.instance, name, None) if name != "id" else f.instance.pk
                )
                if hasattr(value, "pk"):
                    value = value.pk
                data[f"{fs.prefix}-{i}-{name}"] = "" if value is None else value
    return data


def add_inline_row(data, prefix, **values):
    n = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = n + 1
    for name, value in values.items():
        data[f"{prefix}-{n}-{name}"] = value


def post(client, review, data):
    return client.post(reverse("admin:tracker_review_change", args=[review.pk]), data)


def post_refused(client, review, data, message):
    """The form comes back with `message` and no deadline moved."""
    events_before = Event.objects.filter(kind=EventKind.DEADLINE).count()
    response = post(client, review, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Event.objects.filter(kind=EventKind.DEADLINE).count() == events_before
    return response


def test_review_page_shows_the_deadline_and_how_it_was_counted(admin_client, cma_review):
    page = admin_client.get(
        reverse("admin:tracker_review_change", args=[cma_review.pk])
    ).content.decode()
    assert "clock_stops-TOTAL_FORMS" in page and "deadline_extensions-TOTAL_FORMS" in page
    assert "Statutory (computed from the rules)" in page
    assert "s.34ZA" in page


def test_clock_stop_added_inline_moves_the_deadline_through_the_service(
    admin_client, admin_user, cma_review
):
    data = form_data(admin_client, cma_review)
    add_inline_row(
        data,
        "clock_stops",
        stopped_on="2024-09-02",
        restarted_on="2024-09-09",
        reason="information request",
        source_url="https://example.org/s109",
    )
    response = post(admin_client, cma_review, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    cma_review.refresh_from_db()
    assert cma_review.next_deadline == d(2024, 10, 11)
    stop = ClockStop.objects.get(review=cma_review)
    assert stop.phase == "phase_1"
    event = Event.objects.filter(review=cma_review, kind=EventKind.DEADLINE).latest("id")
    assert event.title.startswith("CMA: Phase 1 deadline moved from 2024-10-04 to 2024-10-11")
    assert event.created_by == admin_user


def test_restart_entered_later_on_the_same_row(admin_client, cma_review):
    data = form_data(admin_client, cma_review)
    add_inline_row(
        data, "clock_stops", stopped_on="2024-09-02", restarted_on="", reason="information request"
    )
    assert post(admin_client, cma_review, data).status_code == 302
    cma_review.refresh_from_db()
    assert cma_review.next_deadline is None

    data = form_data(admin_client, cma_review)
    data["clock_stops-0-restarted_on"] = "2024-09-09"
    assert post(admin_client, cma_review, data).status_code == 302
    cma_review.refresh_from_db()
    assert cma_review.next_deadline == d(2024, 10, 11)
    titles = list(
        Event.objects.filter(kind=EventKind.DEADLINE).order_by("id").values_list("title", flat=True)
    )
    assert titles[-1].startswith("CMA: Phase 1 deadline moved from 2024-10-04 to 2024-10-11")


def test_impossible_clock_stop_is_a_form_error_and_nothing_is_written(admin_client, cma_review):
    data = form_data(admin_client, cma_review)
    add_inline_row(data, "clock_stops", stopped_on="2024-09-02", restarted_on="", reason="first")
    add_inline_row(
        data, "clock_stops", stopped_on="2024-09-20", restarted_on="2024-09-23", reason="second"
    )
    post_refused(admin_client, cma_review, data, "overlap")
    assert not ClockStop.objects.exists()


def test_extension_refused_in_phase_1(admin_client, cma_review):
    data = form_data(admin_client, cma_review)
    add_inline_row(data, "deadline_extensions", length="2", granted_on="2024-09-01", reason="x")
    post_refused(admin_client, cma_review, data, "no extension")
    assert not DeadlineExtension.objects.exists()


def test_deadline_typed_by_hand_becomes_set_by_hand(admin_client, cma_review):
    data = form_data(admin_client, cma_review)
    data["next_deadline"] = "2024-10-07"
    assert post(admin_client, cma_review, data).status_code == 302
    cma_review.refresh_from_db()
    assert (cma_review.next_deadline, cma_review.deadline_kind) == (
        d(2024, 10, 7),
        DeadlineKind.MANUAL,
    )
    event = Event.objects.filter(kind=EventKind.DEADLINE).latest("id")
    assert "moved from 2024-10-04 to 2024-10-07: set by hand" in event.title


def test_correcting_the_clock_start_recomputes(admin_client, cma_review):
    data = form_data(admin_client, cma_review)
    data["clock_started_on"] = "2024-10-24"
    assert post(admin_client, cma_review, data).status_code == 302
    cma_review.refresh_from_db()
    assert (cma_review.next_deadline, cma_review.deadline_kind) == (
        d(2024, 12, 19),
        DeadlineKind.STATUTORY,
    )


def test_unknown_variant_is_a_field_error(admin_client, cma_review):
    data = form_data(admin_client, cma_review)
    data["deadline_variant"] = "cash_tender"
    response = post_refused(admin_client, cma_review, data, "no variant")
    assert "no variant" in str(response.context["adminform"].form.errors["deadline_variant"])
    cma_review.refresh_from_db()
    assert cma_review.deadline_variant == ""


def test_stops_of_an_earlier_period_are_history(admin_client, cma_review):
    deadlines.stop_clock(
        review_id=cma_review.pk,
        stopped_on=d(2024, 9, 2),
        restarted_on=d(2024, 9, 9),
        reason="information request",
    )
    transition_review(
        review_id=cma_review.pk,
        to_status=ReviewStatus.PHASE_2,
        occurred_on=d(2024, 10, 11),
        source_url=SOURCE,
    )
    data = form_data(admin_client, cma_review)
    data["clock_stops-0-restarted_on"] = "2024-09-10"
    post_refused(admin_client, cma_review, data, "earlier period")
    assert ClockStop.objects.get().restarted_on == d(2024, 9, 9)
    with pytest.raises(ValidationError, match="earlier period"):
        deadlines.remove_clock_stop(clock_stop_id=ClockStop.objects.get().pk)


def test_stop_on_a_review_without_a_running_clock_is_a_form_error(admin_client):
    ftc = RegulatorFactory(
        slug="ftc", short_name="FTC", calendar=Calendar.US_FEDERAL, jurisdiction="US"
    )
    review = ReviewFactory(regulator=ftc, status=ReviewStatus.MONITORING, opened_on=None)
    transition_review(
        review_id=review.pk,
        to_status=ReviewStatus.PHASE_2,
        occurred_on=d(2024, 7, 8),
        source_url=SOURCE,
    )
    data = form_data(admin_client, review)
    add_inline_row(data, "clock_stops", stopped_on="2024-08-01", restarted_on="", reason="x")
    post_refused(admin_client, review, data, "No statutory clock runs for this review yet")
    assert not ClockStop.objects.exists()


def add_review(client, **values):
    deal = DealFactory()
    cma = RegulatorFactory(slug="cma", short_name="CMA", calendar=Calendar.ENGLAND_WALES)
    url = reverse("admin:tracker_review_add")
    page = client.get(url)
    data = {}
    for inline in page.context["inline_admin_formsets"]:
        data[f"{inline.formset.prefix}-TOTAL_FORMS"] = 0
        data[f"{inline.formset.prefix}-INITIAL_FORMS"] = 0
    data.update(
        deal=deal.pk,
        regulator=cma.pk,
        reference="ME/1234/24",
        review_type="merger_control",
        **values,
    )
    return client.post(url, data)


def test_review_created_in_a_phase_with_its_clock_opens_the_period(admin_client, admin_user):
    response = add_review(
        admin_client, status="phase_1", opened_on="2024-08-08", clock_started_on="2024-08-08"
    )
    assert response.status_code == 302, response.context["errors"] if response.context else response
    review = Review.objects.get(reference="ME/1234/24")
    assert (review.next_deadline, review.deadline_kind, review.deadline_phase) == (
        d(2024, 10, 4),
        DeadlineKind.STATUTORY,
        "phase_1",
    )
    period = DeadlinePeriod.objects.get(review=review)
    assert (period.state, period.due_on) == (PeriodState.RUNNING, d(2024, 10, 4))
    event = Event.objects.get(review=review, kind=EventKind.DEADLINE)
    assert event.title.startswith(
        "CMA: Phase 1 deadline set to 2024-10-04: 40 working days from the launch notice"
    )
    assert (event.deal, event.created_by) == (None, admin_user)


def test_review_created_in_a_phase_with_a_date_typed_keeps_it_by_hand(admin_client):
    response = add_review(
        admin_client, status="phase_1", opened_on="2024-08-08", next_deadline="2024-10-07"
    )
    assert response.status_code == 302
    review = Review.objects.get(reference="ME/1234/24")
    assert (review.next_deadline, review.deadline_kind) == (d(2024, 10, 7), DeadlineKind.MANUAL)
    assert DeadlinePeriod.objects.get(review=review).kind == DeadlineKind.MANUAL


def test_review_created_with_an_impossible_clock_is_a_form_error(admin_client):
    response = add_review(
        admin_client,
        status="phase_1",
        opened_on="2024-08-08",
        deadline_variant="cash_tender",
        clock_started_on="2024-08-08",
    )
    assert response.status_code == 200
    assert "no variant" in str(response.context["adminform"].form.errors["deadline_variant"])
    response = add_review(admin_client, status="monitoring", clock_started_on="2024-08-08")
    assert "No statutory clock runs in this status" in response.content.decode()
    assert not Review.objects.exists() and not DeadlinePeriod.objects.exists()


def test_review_page_shows_the_deadline_history_newest_first(admin_client, cma_review):
    deadlines.stop_clock(
        review_id=cma_review.pk, stopped_on=d(2024, 9, 2), reason="information request"
    )
    page = admin_client.get(reverse("admin:tracker_review_change", args=[cma_review.pk]))
    [inline] = [
        i for i in page.context["inline_admin_formsets"] if i.formset.model is DeadlinePeriod
    ]
    assert [f.instance.state for f in inline.formset.forms] == [
        PeriodState.STOPPED,
        PeriodState.SUPERSEDED,
    ]
    html = page.content.decode()
    assert "deadline history" in html and "Clock stopped" in html
    # Read-only: saving the page unchanged writes nothing and keeps every period.
    data = form_data(admin_client, cma_review)
    assert post(admin_client, cma_review, data).status_code == 302
    assert DeadlinePeriod.objects.filter(review=cma_review).count() == 2
