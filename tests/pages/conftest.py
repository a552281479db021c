import pytest

from regulators.models import Regulator
from tests.factories import review_due_in
from tracker.demo import load_demo
from tracker.models import Deal


@pytest.fixture
def demo(db):
    load_demo()


@pytest.fixture
def due_soon(demo):
    """An open proceeding on a demo deal with its deadline ten days ahead: the demo's own
    deadlines have all passed."""
    return review_due_in(
        10,
        deal=Deal.objects.get(slug="microsoft-activision"),
        regulator=Regulator.objects.get(slug="cma"),
        title="Microsoft / Activision Blizzard remedies review",
        reference="ME/9999/26",
    )
