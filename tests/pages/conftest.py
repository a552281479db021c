import datetime

import pytest
from django.utils import timezone

from tests.factories import ReviewFactory
from tracker.demo import load_demo
from regulators.models import Regulator
from tracker.models import Deal


@pytest.fixture
def demo(db):
    load_demo()


@pytest.fixture
def due_soon(demo):
    """An open proceeding on a demo deal with its deadline ten days ahead: the demo's own
    deadlines have all passed."""
    return ReviewFactory(
        deal=Deal.objects.get(slug="microsoft-activision"),
        regulator=Regulator.objects.get(slug="cma"),
        title="Microsoft / Activision Blizzard remedies review",
        reference="ME/9999/26",
        status="phase_1",
        opened_on=timezone.localdate() - datetime.timedelta(days=20),
        next_deadline=timezone.localdate() + datetime.timedelta(days=10),
    )
