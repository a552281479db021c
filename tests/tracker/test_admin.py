import datetime

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from digests.models import CalendarFeed, Digest
from imports.models import ImportRun, Proposal, Provenance
from imports.provenance import remember
from notices.models import Delivery, Subscription, WebhookEndpoint
from notices.outbox import record_deliveries
from tracker.choices import EventKind, ReviewStatus
from tracker.demo import load_demo
from tracker.models import Deal, Event, Review

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(admin_user):
    from rest_framework.authtoken.models import Token

    load_demo()
    Token.objects.create(user=admin_user)  # so the token admin has a row to show
    # Rows for the notices admin: a subscription whose status change records a delivery.
    review = Review.objects.get(deal__slug="amazon-anthropic", regulator__slug="cma")
    Subscription.objects.create(user=admin_user, deal=review.deal)
    WebhookEndpoint.objects.create(user=admin_user, url="https://hooks.example.org/anthropic")
    record_deliveries(Event.objects.filter(review=review, kind=EventKind.STATUS_CHANGE).first())
    # Rows for the digests admin.
    CalendarFeed.objects.create(user=admin_user)
    Digest.objects.create(
        user=admin_user,
        frequency="daily",
        period_start=datetime.date(2024, 9, 2),
        covered_until=timezone.now(),
    )
    # Rows for the imports admin: a run, the provenance of what it read, a proposal for editors.
    ImportRun.objects.create(
        source="cma", started_at=timezone.now(), finished_at=timezone.now(), status="ok"
    )
    remember(
        review,
        "cma",
        "amazon-slash-anthropic-partnership-merger-inquiry",
        review.url,
        {"status": review.status},
    )
    Proposal.objects.create(
        source="cma",
        source_id="amazon-slash-anthropic-partnership-merger-inquiry",
        kind="contradicts_editor",
        key="demo",
        review=review,
        field="status",
        current_value=review.status,
        proposed_value="cleared",
        summary="Anthropic: the register says status 'cleared'",
        record={"source_id": "amazon"},
    )


# Rows only the system writes: their admin is read-only.
ADD_REFUSED = {Delivery, Digest, ImportRun, Proposal, Provenance}


def registered_models():
    return sorted(admin.site._registry, key=lambda m: m._meta.label)


@pytest.mark.parametrize("model", registered_models(), ids=lambda m: m._meta.label)
def test_every_changelist_add_and_change_form_renders(admin_client, demo, model):
    info = model._meta.app_label, model._meta.model_name
    assert admin_client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200
    assert (
        admin_client.get(
            reverse("admin:{}_{}_changelist".format(*info)), {"q": "anthropic"}
        ).status_code
        == 200
    )
    assert admin_client.get(reverse("admin:{}_{}_add".format(*info))).status_code == (
        403 if model in ADD_REFUSED else 200
    )
    obj = model.objects.first()
    assert obj is not None
    assert (
        admin_client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk])).status_code
        == 200
    )
    assert (
        admin_client.get(reverse("admin:{}_{}_history".format(*info), args=[obj.pk])).status_code
        == 200
    )


@pytest.mark.parametrize(
    "params",
    [
        {"regulator__id__exact": "1"},
        {"open": "yes"},
        {"open": "no"},
        {"deadline": "overdue"},
        {"deadline": "30"},
        {"deadline": "none"},
        {"status__exact": "closed"},
        {"regulator__jurisdiction": "GB"},
    ],
)
def test_review_changelist_filters(admin_client, demo, params):
    response = admin_client.get(reverse("admin:tracker_review_changelist"), params)
    assert response.status_code == 200  # an unknown lookup would redirect with ?e=1


def test_editor_finds_every_cma_review(admin_client, demo):
    cma = Review.objects.filter(regulator__slug="cma")
    cma_id = cma.first().regulator_id
    response = admin_client.get(
        reverse("admin:tracker_review_changelist"), {"regulator__id__exact": cma_id}
    )
    assert response.status_code == 200
    assert list(response.context["cl"].result_list.order_by("pk")) == list(cma.order_by("pk"))
    assert response.context["cl"].result_count == cma.count() == 8


def test_review_page_shows_timeline_with_sources(admin_client, demo):
    review = Review.objects.get(deals__slug="amazon-anthropic", regulator__slug="cma")
    response = admin_client.get(reverse("admin:tracker_review_change", args=[review.pk]))
    content = response.content.decode()
    assert "Phase 1 merger inquiry launched" in content
    for event in review.events.all():
        assert event.source_url in content
    assert reverse("admin:tracker_review_transition", args=[review.pk]) in content


def test_deal_page_shows_its_whole_timeline_with_sources(admin_client, demo):
    deal = Deal.objects.get(slug="amazon-anthropic")
    response = admin_client.get(reverse("admin:tracker_deal_change", args=[deal.pk]))
    content = response.content.decode()
    events = list(Event.objects.on_timeline_of(deal))
    assert (
        len(events) > deal.events.count() > 0
    )  # its own events and those of the proceedings covering it
    for event in events:
        assert event.title in content or escape(event.title) in content
        assert escape(event.source_url) in content
    # The FTC's study covers three deals; its closing shows on this one too.
    study = Review.objects.get(regulator__slug="ftc", review_type="market_study")
    assert escape(study.events.get(to_status="closed").title) in content
    assert reverse("admin:tracker_review_change", args=[study.pk]) in content


def test_a_view_only_staff_user_sees_no_status_button_and_gets_403(client, demo):
    viewer = get_user_model().objects.create_user("viewer", password="x", is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    client.force_login(viewer)
    review = Review.objects.get(deals__slug="alphabet-anthropic", regulator__slug="doj")
    transition_url = reverse("admin:tracker_review_transition", args=[review.pk])

    page = client.get(reverse("admin:tracker_review_change", args=[review.pk]))
    assert page.status_code == 200 and transition_url not in page.content.decode()
    assert client.get(transition_url).status_code == 403
    assert (
        client.post(
            transition_url, {"to_status": "cleared", "occurred_on": "2025-12-03"}
        ).status_code
        == 403
    )
    review.refresh_from_db()
    assert review.status == ReviewStatus.APPEAL


def test_deal_list_shows_the_total_committed(admin_client, demo):
    response = admin_client.get(reverse("admin:tracker_deal_changelist"))
    assert "USD 13,000,000,000" in response.content.decode()
    assert "USD 26,000,000,000" not in response.content.decode()


def test_status_field_is_not_directly_editable(admin_client, demo):
    review = Review.objects.get(deal__slug="nvidia-runai")
    response = admin_client.get(reverse("admin:tracker_review_change", args=[review.pk]))
    assert 'name="status"' not in response.content.decode()


def test_status_change_through_admin_writes_the_event(admin_client, admin_user, demo):
    review = Review.objects.get(deals__slug="alphabet-anthropic", regulator__slug="doj")
    assert review.status == ReviewStatus.APPEAL
    url = reverse("admin:tracker_review_transition", args=[review.pk])
    assert admin_client.get(url).status_code == 200
    form = {
        "to_status": "closed",
        "occurred_on": "2026-11-03",
        "stage": "Judgment affirmed",
        "title": "",
        "note": "The D.C. Circuit affirmed.",
        "outcome": "judgment",
        "outcome_wording": "Affirmed",
        "source_url": "https://www.cadc.uscourts.gov/example-opinion",
        "source_title": "",
    }
    refused = admin_client.post(url, {**form, "source_type": "press"})
    assert refused.status_code == 200 and "source_type" in refused.context["form"].errors
    response = admin_client.post(url, {**form, "source_type": "court"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.status, review.outcome, review.outcome_wording) == (
        "closed",
        "judgment",
        "Affirmed",
    )
    event = Event.objects.filter(review=review, kind=EventKind.STATUS_CHANGE).latest("id")
    assert (event.from_status, event.to_status, event.created_by) == (
        "appeal",
        "closed",
        admin_user,
    )
    assert (event.occurred_on, event.source_type, event.deal_id) == (
        datetime.date(2026, 11, 3),
        "court",
        None,
    )


def test_forbidden_move_in_admin_shows_a_clear_message(admin_client, demo):
    review = Review.objects.get(deals__slug="amazon-anthropic", regulator__slug="cma")
    events_before = Event.objects.count()
    response = admin_client.post(
        reverse("admin:tracker_review_transition", args=[review.pk]),
        {
            "to_status": "phase_2",
            "occurred_on": "2025-01-01",
            "source_url": "https://www.gov.uk/cma-cases/x",
            "source_type": "regulator",
        },
    )
    assert response.status_code == 200
    assert (
        "cannot move from &#x27;Closed: not qualifying&#x27; (closed) to &#x27;Phase 2&#x27; (phase_2)"
        in (response.content.decode())
    )
    assert Event.objects.count() == events_before


def test_status_change_events_are_read_only_in_admin(admin_client, demo):
    event = Event.objects.filter(kind=EventKind.STATUS_CHANGE).first()
    response = admin_client.get(reverse("admin:tracker_event_change", args=[event.pk]))
    assert 'name="title"' not in response.content.decode()
    assert (
        admin_client.post(
            reverse("admin:tracker_event_delete", args=[event.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert Event.objects.filter(pk=event.pk).exists()


def test_event_added_inline_on_a_review_belongs_to_the_proceeding(admin_client, demo):
    review = Review.objects.get(deals__slug="microsoft-mistral")
    follower = get_user_model().objects.create_user("hearings", email="hearings@example.org")
    Subscription.objects.create(user=follower, deal=review.deal, event_kinds=["hearing"])
    change_url = reverse("admin:tracker_review_change", args=[review.pk])
    page = admin_client.get(change_url)
    form = page.context["adminform"].form
    data = {
        name: form.initial.get(name) or ""
        for name in [
            "title",
            "reference",
            "review_type",
            "url",
            "stage",
            "outcome_wording",
            "docket_number",
            "judge",
        ]
    }
    data.update(
        deal=review.deal_id, regulator=review.regulator_id, opened_on=review.opened_on or ""
    )
    for formset in page.context["inline_admin_formsets"]:
        fs = formset.formset
        prefix = fs.prefix
        data[f"{prefix}-TOTAL_FORMS"] = len(fs.forms)
        data[f"{prefix}-INITIAL_FORMS"] = fs.initial_form_count()
        for i, f in enumerate(fs.forms):
            data[f"{prefix}-{i}-id"] = f.instance.pk
            data[f"{prefix}-{i}-review"] = review.pk
            for name in (
                "kind",
                "occurred_on",
                "date_precision",
                "title",
                "body",
                "source_url",
                "source_title",
                "source_type",
                "deal",
                "role",
            ):
                if name in f.fields:
                    value = getattr(f.instance, f"{name}_id" if name == "deal" else name)
                    data[f"{prefix}-{i}-{name}"] = value if value is not None else ""
        if "timeline" in prefix or fs.model is Event and "kind" in fs.form.base_fields:
            n = len(fs.forms)
            data[f"{prefix}-TOTAL_FORMS"] = n + 1
            data.update(
                {
                    f"{prefix}-{n}-kind": "hearing",
                    f"{prefix}-{n}-occurred_on": "2024-05-20",
                    f"{prefix}-{n}-date_precision": "day",
                    f"{prefix}-{n}-title": "Hearing held",
                    f"{prefix}-{n}-source_url": "https://example.org/hearing",
                    f"{prefix}-{n}-source_type": "press",
                    f"{prefix}-{n}-review": review.pk,
                }
            )
    response = admin_client.post(change_url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    event = Event.objects.get(title="Hearing held")
    assert (event.deal_id, event.review_id) == (None, review.pk)
    assert event in Event.objects.on_timeline_of(review.deal)
    # News added inline reaches the deal's followers, as one added on its own does.
    assert list(Delivery.objects.filter(event=event).values_list("user_id", flat=True)) == [
        follower.pk
    ]
    assert event.recorded_as_history is False


def test_the_status_form_fills_its_date_input_with_an_iso_date(admin_client, demo):
    review = Review.objects.get(deal__slug="nvidia-runai", regulator__slug="ec")
    content = admin_client.get(
        reverse("admin:tracker_review_transition", args=[review.pk])
    ).content.decode()
    # A browser's date input shows only YYYY-MM-DD; a locale's 24/11/2026 would leave it blank.
    assert (
        f'<input type="date" name="occurred_on" value="{timezone.localdate().isoformat()}"'
        in content
    )


def test_the_event_admin_refuses_a_decision_sourced_from_the_press(admin_client, demo):
    review = Review.objects.get(deals__slug="alphabet-anthropic", regulator__slug="doj")
    form = {
        "review": review.pk,
        "kind": "decision",
        "occurred_on": "2026-01-20",
        "date_precision": "day",
        "title": "Stay denied",
        "body": "",
        "source_url": "https://news.example.org/stay",
        "source_title": "",
    }
    before = Event.objects.count()
    refused = admin_client.post(
        reverse("admin:tracker_event_add"), {**form, "source_type": "press"}
    )
    assert refused.status_code == 200 and "source_type" in refused.context["adminform"].form.errors
    assert Event.objects.count() == before
    accepted = admin_client.post(
        reverse("admin:tracker_event_add"), {**form, "source_type": "court"}
    )
    assert accepted.status_code == 302
    assert Event.objects.get(title="Stay denied").deal_id is None


USERS_OWN = ["subscription", "webhookendpoint", "delivery"]


@pytest.mark.parametrize("model_name", USERS_OWN)
def test_editors_cannot_see_readers_addresses_or_webhook_urls(client, demo, model_name):
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory
    from tracker.editors import EDITORS_GROUP

    editor = UserFactory(username="editor", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
    client.force_login(editor)

    assert client.get(reverse(f"admin:notices_{model_name}_changelist")).status_code == 403
    assert client.get(reverse("admin:digests_digest_changelist")).status_code == 403
    index = client.get(reverse("admin:index")).content.decode()
    assert "hooks.example.org" not in index and "Webhook endpoints" not in index
    # The data they keep is still theirs.
    assert client.get(reverse("admin:tracker_review_changelist")).status_code == 200
