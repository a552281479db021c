"""Importing FTC and DOJ notices from a local server in the Federal Register API's format."""

import datetime

import pytest

from imports import decisions
from imports.choices import ProposalKind, ProposalState
from imports.models import Proposal, SeenEntry
from imports.runner import run_import
from tracker.choices import EventKind
from tracker.models import Event, Review

from . import federal_register as fr
from .govuk import examplo_widgetco

pytestmark = pytest.mark.django_db


@pytest.fixture
def known_deal(registry):
    registry.cases = [examplo_widgetco()]
    run_import("cma")
    return Review.objects.get(regulator__slug="cma").deal


def test_notices_land_on_the_matching_us_proceedings(registry, known_deal):
    registry.fr_pages = [
        [fr.consent_order(), fr.a_rule()],
        [fr.tunney_act(), fr.unknown_parties(), fr.early_termination()],
    ]

    run = run_import("federal_register").run

    assert (run.fetched, run.created, run.skipped, run.queued, run.failed) == (5, 2, 1, 2, 0)
    ftc = Review.objects.get(regulator__slug="ftc", deals=known_deal)
    [consent] = Event.objects.filter(review=ftc)
    assert (consent.occurred_on, consent.kind, consent.source_type) == (
        datetime.date(2026, 6, 2),
        EventKind.FILING,
        "regulator",
    )
    assert consent.source_url == fr.consent_order()["html_url"]
    doj = Review.objects.get(regulator__slug="doj", deals=known_deal)
    assert doj.review_type == "litigation"
    assert doj.events.get().title.startswith("United States v. Examplo Holdings plc")
    assert sorted(Proposal.objects.values_list("kind", "source_id")) == [
        (ProposalKind.UNMATCHED, "2026-10303"),
        (ProposalKind.UNMATCHED, "2026-10404"),
    ]
    # Pages are followed through next_page_url.
    assert [r.args.get("page") for r in registry.requests_to("/api/v1/documents.json")] == [
        None,
        "2",
    ]
    first = registry.requests_to("/api/v1/documents.json")[0]
    assert first.args.getlist("conditions[agencies][]") == [
        "federal-trade-commission",
        "antitrust-division",
    ]
    assert (
        first.args["conditions[publication_date][gte]"] == "2015-01-01"
    )  # a first run reads back to 2015


def test_since_reaches_the_api(registry, known_deal):
    registry.fr_pages = [[fr.consent_order()]]
    run_import("federal_register", since=datetime.date(2026, 5, 1))
    [request] = registry.requests_to("/api/v1/documents.json")
    assert request.args["conditions[publication_date][gte]"] == "2026-05-01"


def test_a_second_run_adds_nothing(registry, known_deal):
    registry.fr_pages = [[fr.consent_order(), fr.tunney_act(), fr.unknown_parties()]]
    run_import("federal_register")
    events, proposals = Event.objects.count(), Proposal.objects.count()

    run = run_import("federal_register").run

    assert (run.unchanged, run.created, run.updated, run.queued) == (3, 0, 0, 0)
    assert (Event.objects.count(), Proposal.objects.count()) == (events, proposals)


def test_an_unmatched_notice_attached_by_an_editor_lands_on_that_proceeding(
    registry, known_deal, admin_user
):
    registry.fr_pages = [[fr.unknown_parties()]]
    run_import("federal_register")
    proposal = Proposal.objects.get()
    review = Review.objects.get(regulator__slug="cma")

    decisions.attach(proposal, review, admin_user)

    proposal.refresh_from_db()
    assert (proposal.state, proposal.attach_to_id, proposal.decided_by_id) == (
        ProposalState.ATTACHED,
        review.pk,
        admin_user.pk,
    )
    assert review.events.filter(source_url=fr.unknown_parties()["html_url"]).count() == 1
    SeenEntry.objects.all().delete()  # read in full again: the link is remembered
    run_import("federal_register")
    assert review.events.filter(source_url=fr.unknown_parties()["html_url"]).count() == 1


def test_a_notice_without_a_date_fails_alone(registry, known_deal):
    broken = fr.consent_order()
    broken["publication_date"] = "June 2026"
    registry.fr_pages = [[broken, fr.tunney_act()]]

    run = run_import("federal_register").run

    assert (run.failed, run.created) == (1, 1)
    assert "publication_date: unparseable date" in run.failures[0]["reason"]
