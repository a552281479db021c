"""The editors' queue in the admin: accept, reject, attach to."""

import datetime

import pytest

from imports.choices import ProposalKind, ProposalState
from imports.models import Proposal
from imports.runner import run_import
from tracker.choices import ReviewStatus
from tracker.demo import load_demo
from tracker.models import Deal, Party, Review
from tracker.services import transition_review

from .govuk import EXAMPLO_PAGE, alphabet_anthropic, examplo_widgetco

pytestmark = pytest.mark.django_db


def queued_contradiction(registry) -> Review:
    registry.cases = [examplo_widgetco()]
    run_import("cma")
    review = Review.objects.get(url=EXAMPLO_PAGE)
    transition_review(
        review_id=review.pk,
        to_status=ReviewStatus.REMEDIES,
        occurred_on=datetime.date(2026, 11, 1),
        source_url=EXAMPLO_PAGE,
    )
    registry.cases = [examplo_widgetco(closed=True)]
    run_import("cma")
    return review


def act(client, action, proposal, **extra):
    return client.post(
        "/admin/imports/proposal/",
        {"action": action, "_selected_action": [proposal.pk], **extra},
        follow=True,
    )


def test_the_queue_lists_the_proposal_with_its_source_record(registry, admin_client):
    queued_contradiction(registry)
    proposal = Proposal.objects.get(kind=ProposalKind.CONTRADICTS_EDITOR)

    listing = admin_client.get("/admin/imports/proposal/")
    detail = admin_client.get(f"/admin/imports/proposal/{proposal.pk}/change/")

    assert listing.status_code == 200 and "the register says status" in listing.content.decode()
    body = detail.content.decode()
    assert EXAMPLO_PAGE in body and "mergers-phase-2-clearance-with-remedies" in body


def test_accepting_takes_the_registers_status_through_the_transition_service(
    registry, admin_client
):
    review = queued_contradiction(registry)
    proposal = Proposal.objects.get(kind=ProposalKind.CONTRADICTS_EDITOR)

    response = act(admin_client, "accept_selected", proposal)

    assert "1 proposal accepted" in response.content.decode()
    review.refresh_from_db()
    assert (review.status, review.closed_on) == (
        ReviewStatus.CLEARED_WITH_CONDITIONS,
        datetime.date(2026, 11, 20),
    )
    change = review.events.get(to_status=ReviewStatus.CLEARED_WITH_CONDITIONS)
    assert change.source_url == EXAMPLO_PAGE
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.ACCEPTED


def test_rejecting_keeps_the_editors_value(registry, admin_client):
    review = queued_contradiction(registry)
    proposal = Proposal.objects.get(kind=ProposalKind.CONTRADICTS_EDITOR)

    act(admin_client, "reject_selected", proposal)

    proposal.refresh_from_db()
    review.refresh_from_db()
    assert (proposal.state, review.status) == (ProposalState.REJECTED, ReviewStatus.REMEDIES)


def test_an_ambiguous_party_waits_and_is_attached_to_the_chosen_proceeding(registry, admin_client):
    load_demo()
    case = alphabet_anthropic()  # misspelt: close to a known name, not close enough to be sure
    case.slug, case.title = (
        "alphabit-slash-anthropic-merger-inquiry",
        "Alphabit Inc. / Anthropic merger inquiry",
    )
    registry.cases = [case]
    reviews, deals, parties = Review.objects.count(), Deal.objects.count(), Party.objects.count()

    run = run_import("cma").run

    assert (run.queued, run.created) == (1, 0)
    # Nothing is made while a party is unclear, not even the clear one.
    assert (Review.objects.count(), Deal.objects.count(), Party.objects.count()) == (
        reviews,
        deals,
        parties,
    )
    proposal = Proposal.objects.get(kind=ProposalKind.AMBIGUOUS_MATCH)
    assert proposal.summary == "'Alphabit Inc.' may be any of: Alphabet"
    target = Review.objects.get(
        url__endswith="alphabet-inc-google-llc-slash-anthropic-merger-inquiry"
    )

    Proposal.objects.filter(pk=proposal.pk).update(attach_to=target)
    response = act(admin_client, "attach_selected", proposal)

    assert "1 proposal attached" in response.content.decode()
    assert target.events.filter(source_url__endswith=case.slug).exists()
    assert Review.objects.count() == reviews
    registry.clear_log()
    from imports.models import SeenEntry

    SeenEntry.objects.all().delete()
    again = run_import("cma").run
    assert (again.updated, again.created, again.queued) == (0, 0, 0)
    # The proceeding's own page stays, and the difference waits in the queue.
    target.refresh_from_db()
    assert target.url.endswith("alphabet-inc-google-llc-slash-anthropic-merger-inquiry")
    assert (
        Proposal.objects.filter(
            kind=ProposalKind.CONTRADICTS_EDITOR, field="url", state="open"
        ).count()
        == 1
    )


def test_an_unknown_outcome_cannot_be_accepted_blindly(registry, admin_client):
    case = examplo_widgetco(closed=True)
    case.outcome_type = "mergers-something-new"
    registry.cases = [case]
    run_import("cma")
    proposal = Proposal.objects.get(kind=ProposalKind.UNKNOWN_OUTCOME)

    response = act(admin_client, "accept_selected", proposal)

    assert "cannot be accepted as it is" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.OPEN
