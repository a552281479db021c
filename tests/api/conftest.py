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
