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
    # Two notices: the move to its new status, and the register's final report, a decision
    # recorded as news in its own right.
    assert wait_for(lambda: len(smtp.received()) >= 2, timeout=30), worker.log()
    by_subject = {
        message["Subject"]: (recipients, message) for _, recipients, message in smtp.received()
    }
    moved = "CMA: Examplo Holdings plc / Widgetco Limited merger inquiry moved to Cleared with conditions"
    assert set(by_subject) == {moved, "Examplo Holdings plc / Widgetco Limited: Final report"}
    recipients, message = by_subject[moved]
    assert recipients == ["analyst@example.org"]
    text = message.get_body(("plain",)).get_content()
    assert "Phase 2 -> Cleared with conditions" in text
    assert EXAMPLO_PAGE in text
    # The back-filled history sent nothing: the deliveries are the change's and the report's.
    assert Delivery.objects.count() == 2
