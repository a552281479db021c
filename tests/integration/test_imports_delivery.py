"""A registry change reaches subscribers: PostgreSQL, Redis, a real worker and SMTP, and the
CMA register played by a local HTTP server."""

import pytest

from imports.runner import run_import
from notices.models import Delivery
from tests.factories import SubscriptionFactory, UserFactory
from tests.imports.conftest import registry  # noqa: F401 the local GOV.UK server fixture
from tests.imports.govuk import EXAMPLO_PAGE, examplo_widgetco
from tests.receivers import wait_for
from tracker.choices import ReviewStatus
from tracker.models import Review

pytestmark = [
    pytest.mark.integration,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def test_a_phase_2_case_closed_with_remedies_on_the_register_brings_the_notice_email(
    worker,
    smtp,
    registry,  # noqa: F811 the fixture imported above
):
    registry.cases = [examplo_widgetco()]
    run_import("cma")
    review = Review.objects.get(url=EXAMPLO_PAGE)
    assert review.status == ReviewStatus.PHASE_2
    analyst = UserFactory(email="analyst@example.org")
    SubscriptionFactory(user=analyst, deal=review.deal, by_email=True)
    registry.cases = [examplo_widgetco(closed=True)]

    run = run_import("cma").run

    assert (run.updated, run.failed) == (1, 0)
    assert wait_for(smtp.received, timeout=30), worker.log()
    [(_, recipients, message)] = smtp.received()
    assert recipients == ["analyst@example.org"]
    assert (
        message["Subject"]
        == "CMA: Examplo Holdings plc / Widgetco Limited merger inquiry moved to Cleared with conditions"
    )
    text = message.get_body(("plain",)).get_content()
    assert "Phase 2 -> Cleared with conditions" in text
    assert EXAMPLO_PAGE in text
    # The back-filled history sent nothing: the one delivery is the change's.
    assert Delivery.objects.count() == 1
