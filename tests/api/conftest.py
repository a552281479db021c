import datetime

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from tests.factories import UserFactory
from tracker.editors import EDITORS_GROUP
from tracker.demo import load_demo


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
    from tests.factories import ReviewFactory
    from tracker.choices import ReviewStatus
    from tracker.models import Deal, Review
    from regulators.models import Regulator

    return ReviewFactory(
        deal=Deal.objects.get(slug="nvidia-runai"), regulator=Regulator.objects.get(slug="ec"),
        reference="T-15/25", review_type="litigation", status=ReviewStatus.LITIGATION,
        opened_on=datetime.date(2024, 12, 23), stage="Action for annulment",
    )
