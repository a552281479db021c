import datetime

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from tests.factories import (
    DealFactory,
    DealPartyFactory,
    EventFactory,
    PartyFactory,
    RegulatorFactory,
    ReviewFactory,
    UserFactory,
)
from tracker.demo import load_demo
from tracker.editors import EDITORS_GROUP


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def demo(db):
    load_demo()


@pytest.fixture
def editor(db):
    user = UserFactory(username="editor")
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return user


@pytest.fixture
def plain_user(db):
    return UserFactory(username="reader")


@pytest.fixture
def staff_user(db):
    return UserFactory(username="staffer", is_staff=True)


@pytest.fixture
def editor_api(api, editor):
    api.force_authenticate(editor)
    return api


@pytest.fixture
def litigated(demo):
    """An open proceeding on a demo deal: the Commission's clearance of NVIDIA / Run:ai
    challenged before the General Court (a case of our own making: the demo's open cases
    change as the data grows)."""
    from regulators.models import Regulator
    from tests.factories import ReviewFactory
    from tracker.choices import ReviewStatus
    from tracker.models import Deal

    return ReviewFactory(
        deal=Deal.objects.get(slug="nvidia-runai"),
        regulator=Regulator.objects.get(slug="ec"),
        reference="T-15/25",
        review_type="litigation",
        status=ReviewStatus.LITIGATION,
        opened_on=datetime.date(2024, 12, 23),
        stage="Action for annulment",
    )


@pytest.fixture
def cases(db):
    """Two deals with their parties, proceedings and events, for searching (test_search*)."""
    amazon = PartyFactory(
        name="Amazon.com, Inc.", slug="amazon", aliases="AWS, Amazon Web Services"
    )
    anthropic = PartyFactory(name="Anthropic PBC", slug="anthropic")
    microsoft = PartyFactory(name="Microsoft Corporation", slug="microsoft", aliases="Azure")
    investment = DealFactory(
        title="Amazon / Anthropic",
        slug="amazon-anthropic",
        announced_on="2023-09-25",
        summary="Minority investment in tranches, with cloud commitments.",
    )
    partnership = DealFactory(
        title="Microsoft / Inflection",
        slug="microsoft-inflection",
        announced_on="2024-03-19",
        summary="Hiring of staff and a licence; Amazon competes.",
    )
    DealPartyFactory(deal=investment, party=amazon)
    DealPartyFactory(deal=investment, party=anthropic, role="target")
    DealPartyFactory(deal=partnership, party=microsoft)
    cma = RegulatorFactory(short_name="CMA", slug="cma")
    ec = RegulatorFactory(short_name="EC", slug="ec")
    cma_review = ReviewFactory(
        deal=investment,
        regulator=cma,
        reference="ME/7080/24",
        stage="Phase 1 decision",
        status="cleared",
        outcome="not_qualifying",
        outcome_wording="Found not to qualify; the merger control thresholds are not met",
    )
    ec_review = ReviewFactory(
        deal=partnership,
        regulator=ec,
        reference="M.11766",
        stage="Referral request",
        status="phase_1",
    )
    EventFactory(
        review=cma_review,
        title="Phase 1 launch",
        body="The CMA launched its merger inquiry.",
        occurred_on=datetime.date(2024, 7, 16),
    )
    EventFactory(
        review=cma_review,
        title="Investment tranche",
        body="A further investment of $2.75B.",
        occurred_on=datetime.date(2024, 3, 27),
    )
    EventFactory(
        review=ec_review,
        title="Referral requests withdrawn",
        body="Member states withdrew the requests; cleared with remedies elsewhere.",
        occurred_on=datetime.date(2024, 9, 18),
    )
    return {
        "investment": investment,
        "partnership": partnership,
        "cma": cma_review,
        "ec": ec_review,
        "amazon": amazon,
    }
