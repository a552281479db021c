import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from digests.builder import build_contents
from digests.models import Digest, DigestState
from digests.sending import claim, plan, recorded_batches, send_batch
from digests.unsubscribe import digest_unsubscribe_url, read_token
from notices.choices import Frequency
from notices.models import Subscription
from tests.factories import (
    EventFactory,
    RegulatorFactory,
    ReviewFactory,
    SubscriptionFactory,
    UserFactory,
)
from tracker.choices import EventKind, ReviewStatus
from tracker.models import Event

pytestmark = pytest.mark.django_db

DAILY = Frequency.DAILY


def recorded(event, when):
    """Set when an event was recorded (created_at is set on insert)."""
    Event.objects.filter(pk=event.pk).update(created_at=when)
    event.refresh_from_db()
    return event


def ago(**delta):
    return timezone.now() - datetime.timedelta(**delta)


@pytest.fixture
def review():
    return ReviewFactory(
        status=ReviewStatus.PHASE_1,
        deal__title="Amazon / Anthropic",
        regulator__short_name="CMA",
        reference="ME/7080/24",
    )


def follower(review, **subscription):
    user = UserFactory()
    SubscriptionFactory(
        user=user, deal=review.deal, frequency=subscription.pop("frequency", DAILY), **subscription
    )
    return user


def send(frequency=DAILY):
    call_command("send_digests", "--frequency", frequency, stdout=open("/dev/null", "w"))


def test_a_follower_gets_one_email_with_the_news_and_the_deadlines_ahead(review):
    user = follower(review, event_kinds=["news", "status_change"])
    review.next_deadline = timezone.localdate() + datetime.timedelta(days=1)
    review.save()
    recorded(
        EventFactory(review=review, title="CMA invites comment", kind=EventKind.NEWS), ago(hours=2)
    )
    recorded(
        EventFactory(review=review, title="A filing", kind=EventKind.FILING), ago(hours=2)
    )  # kind not wanted
    recorded(EventFactory(title="Someone else's deal"), ago(hours=2))  # not followed
    recorded(
        EventFactory(review=review, title="Yesterday's news"), ago(days=2)
    )  # before the period

    send()

    [message] = mail.outbox
    assert message.to == [user.email]
    assert message.subject.startswith("Daily digest: 1 update, 1 deadline ahead")
    text = message.body
    assert "CMA invites comment" in text and "Amazon / Anthropic" in text
    assert (
        "A filing" not in text
        and "Someone else's deal" not in text
        and "Yesterday's news" not in text
    )
    assert "DEADLINES IN THE NEXT 10 WORKING DAYS" in text and "ME/7080/24" in text
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "CMA invites comment" in html
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert read_token(unsubscribe.rstrip("/").rsplit("/", 1)[1]) == {"u": user.pk, "f": DAILY}
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in text and unsubscribe in html
    digest = Digest.objects.get(user=user)
    assert (digest.state, digest.event_count, digest.deadline_count) == (DigestState.SENT, 1, 1)


def test_a_rerun_in_the_same_period_sends_nothing_twice(review):
    follower(review)
    follower(review)
    recorded(EventFactory(review=review, kind=EventKind.DECISION), ago(hours=1))

    send()
    send()

    assert len(mail.outbox) == 2
    assert Digest.objects.filter(state=DigestState.SENT).count() == 2


def test_nothing_new_sends_no_email_and_records_that(review):
    user = follower(review)
    review.next_deadline = timezone.localdate() + datetime.timedelta(days=1)
    review.save()  # a deadline alone is not news

    send()

    assert mail.outbox == []
    assert Digest.objects.get(user=user).state == DigestState.EMPTY


def test_an_event_recorded_late_reaches_the_next_digest(review):
    user = follower(review, event_kinds=["news"])
    yesterday = ago(days=1)
    plan(DAILY, now=yesterday)  # yesterday's digest ran, with nothing to say
    send_batch(DAILY, timezone.localdate(yesterday), [user.pk])
    assert Digest.objects.get(user=user).state == DigestState.EMPTY
    # Dated a month ago, recorded after yesterday's digest ran.
    event = EventFactory(
        review=review,
        title="Found in the archive",
        occurred_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    recorded(event, yesterday + datetime.timedelta(minutes=5))

    send()

    [message] = mail.outbox
    assert "Found in the archive" in message.body
    assert "(recorded " in message.body


def test_the_next_digest_starts_where_the_last_one_ended(review):
    user = follower(review, event_kinds=["news"])
    yesterday = ago(days=1)
    recorded(
        EventFactory(review=review, title="Already told"), yesterday - datetime.timedelta(hours=1)
    )
    plan(DAILY, now=yesterday)
    send_batch(DAILY, timezone.localdate(yesterday), [user.pk])
    assert len(mail.outbox) == 1
    recorded(EventFactory(review=review, title="New today"), ago(hours=1))

    send()

    assert "New today" in mail.outbox[1].body and "Already told" not in mail.outbox[1].body


def test_a_digest_claimed_by_another_run_is_left_to_it(review):
    user = follower(review)
    recorded(EventFactory(review=review, kind=EventKind.DECISION), ago(hours=1))
    the_plan = plan(DAILY)
    assert claim(DAILY, the_plan.period, [user.pk])  # another run holds it

    assert send_batch(DAILY, the_plan.period, [user.pk]) == {"sent": 0, "empty": 0, "failed": 0}
    assert mail.outbox == []


def test_the_run_hands_over_the_batches_plan_would_make_each_once_its_rows_are_recorded(
    review, settings
):
    settings.DIGEST_BATCH_SIZE = 2
    users = [follower(review) for _ in range(5)]
    now = timezone.now()
    # An earlier run of the period left one owed to a user who has since stopped following.
    gone = follower(review)
    plan(DAILY, now=now)
    Subscription.objects.filter(user=gone).delete()
    Digest.objects.filter(user=users[0]).update(state=DigestState.SENT)

    batches = recorded_batches(DAILY, now)
    first = next(batches)
    assert Digest.objects.filter(user_id__in=first).count() == len(
        first
    )  # recorded before handed over
    handed_over = [first, *batches]

    assert (
        sorted(uid for batch in handed_over for uid in batch)
        == sorted(uid for batch in plan(DAILY, now=now).batches for uid in batch)
        == sorted([u.pk for u in users[1:]] + [gone.pk])
    )
    assert all(len(batch) <= 2 for batch in handed_over)


def test_weekly_digests_cover_the_week_and_skip_daily_subscribers(review):
    weekly = follower(review, frequency=Frequency.WEEKLY, event_kinds=["news"])
    follower(review, frequency=Frequency.IMMEDIATE, event_kinds=["news"])
    recorded(EventFactory(review=review, title="Five days ago"), ago(days=5))

    send(Frequency.WEEKLY)
    send(DAILY)

    [message] = mail.outbox
    assert (
        message.to == [weekly.email]
        and "Weekly digest" in message.subject
        and "Five days ago" in message.body
    )
    digest = Digest.objects.get()
    assert digest.period_start.weekday() == 0


def test_dry_run_prints_who_would_get_what_and_records_nothing(review, capsys):
    user = follower(review, event_kinds=["news"])
    recorded(EventFactory(review=review, title="CMA invites comment"), ago(hours=1))

    call_command("send_digests", "--frequency", "daily", "--dry-run")

    out = capsys.readouterr().out
    assert f"{user.email}: 1 update(s), 0 deadline(s)" in out and "CMA invites comment" in out
    assert "1 daily digest(s) would be sent" in out
    assert mail.outbox == [] and not Digest.objects.exists()


def test_the_command_refuses_an_unknown_frequency():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="invalid choice: 'hourly'"):
        call_command("send_digests", "--frequency", "hourly")


def test_deadlines_reach_ten_working_days_on_the_regulators_calendar():
    # England and Wales: Mon 19 Aug 2024 + 10 working days skips the bank holiday of 26 Aug.
    cma = RegulatorFactory(short_name="CMA")
    inside = ReviewFactory(regulator=cma, next_deadline=datetime.date(2024, 9, 3))
    outside = ReviewFactory(regulator=cma, next_deadline=datetime.date(2024, 9, 4))
    closed = ReviewFactory(
        regulator=cma, status=ReviewStatus.CLEARED, next_deadline=datetime.date(2024, 8, 20)
    )
    user = UserFactory()
    SubscriptionFactory(user=user, regulator=cma, frequency=DAILY)
    digest = Digest(
        user=user,
        frequency=DAILY,
        period_start=datetime.date(2024, 8, 19),
        covered_until=timezone.now(),
    )

    content = build_contents([digest], DAILY, today=datetime.date(2024, 8, 19))[user.pk]

    assert content.deadlines == [inside]
    assert outside not in content.deadlines and closed not in content.deadlines


def test_one_email_per_user_whatever_the_overlap_of_subscriptions(review):
    user = UserFactory()
    SubscriptionFactory(user=user, deal=review.deal, frequency=DAILY, event_kinds=["news"])
    SubscriptionFactory(
        user=user, regulator=review.regulator, frequency=DAILY, event_kinds=["news"]
    )
    SubscriptionFactory(user=user, frequency=DAILY, event_kinds=["news"])  # everything
    recorded(EventFactory(review=review, title="Once only"), ago(hours=1))

    send()

    [message] = mail.outbox
    assert message.body.count("Once only") == 1


def test_building_a_batch_takes_the_same_queries_for_five_users_or_fifty(
    review, django_assert_num_queries
):
    def batch(n):
        # Bulk-created: the factory's password hashing would dominate the test.
        users = get_user_model().objects.bulk_create(
            get_user_model()(username=f"bulk{n}-{i}", email=f"bulk{n}-{i}@example.org")
            for i in range(n)
        )
        Subscription.objects.bulk_create(
            Subscription(user=u, deal=review.deal, frequency=DAILY, event_kinds=["news"])
            for u in users
        )
        now = timezone.now()
        return [
            Digest(user=u, frequency=DAILY, period_start=now.date(), covered_until=now)
            for u in users
        ]

    recorded(EventFactory(review=review), ago(hours=1))
    small, large = batch(5), batch(50)
    # Previous cut-offs, subscriptions, the deals they follow, events, regulators' calendars,
    # deadlines, the deals covered.
    with django_assert_num_queries(7):
        build_contents(small, DAILY, timezone.localdate())
    with django_assert_num_queries(7):
        contents = build_contents(large, DAILY, timezone.localdate())
    assert all(len(c.events) == 1 for c in contents.values())


def test_the_unsubscribe_link_stops_the_users_digests_of_that_frequency(client, review):
    user = follower(review)
    SubscriptionFactory(
        user=user, regulator=review.regulator, frequency=DAILY, by_email=True, by_webhook=True
    )
    SubscriptionFactory(user=user, frequency=Frequency.WEEKLY)
    url = digest_unsubscribe_url(user.pk, DAILY)

    assert (
        client.get(url).status_code == 200
    )  # a confirmation page: link scanners unsubscribe no one
    assert Subscription.objects.filter(user=user, by_email=True).count() == 3
    assert client.post(url).status_code == 200

    remaining = Subscription.objects.filter(user=user)
    assert [(s.frequency, s.by_email, s.by_webhook) for s in remaining.order_by("frequency")] == [
        (DAILY, False, True),
        (Frequency.WEEKLY, True, False),
    ]
    assert client.post(url.replace("/unsubscribe/", "/unsubscribe/x")).status_code == 400


def test_an_unreachable_mail_server_gives_the_batch_back_for_a_retry(review, settings):
    from tests.receivers import free_port

    user = follower(review)
    recorded(EventFactory(review=review, kind=EventKind.DECISION), ago(hours=1))
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    the_plan = plan(DAILY)

    with pytest.raises(OSError):
        send_batch(DAILY, the_plan.period, [user.pk])

    assert Digest.objects.get(user=user).state == DigestState.PENDING
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_batch(DAILY, the_plan.period, [user.pk])["sent"] == 1


def test_a_title_that_names_the_regulator_names_it_once(review):
    """Deadline events are titled "CMA: Phase 1 deadline ..."; the digest line names the regulator itself."""
    user = follower(review, event_kinds=["deadline"])
    recorded(
        EventFactory(
            review=review,
            deal=None,
            kind=EventKind.DEADLINE,
            title="CMA: Phase 1 deadline set to 2024-06-05",
        ),
        ago(hours=2),
    )

    send()

    [message] = mail.outbox
    assert message.to == [user.email]
    assert "CMA: Amazon / Anthropic: Phase 1 deadline set to 2024-06-05" in message.body
    assert "CMA: CMA:" not in message.body and ": CMA: Phase" not in message.body
    html = message.alternatives[0][0]
    assert "CMA: Phase 1 deadline" not in html and "Phase 1 deadline set to 2024-06-05" in html


def test_a_proceeding_that_only_reaches_a_followed_deal_is_listed_apart(review):
    from tests.factories import DealFactory
    from tracker.choices import DealRole
    from tracker.services import link_deal

    stake = DealFactory(title="Alphabet (Google) / Anthropic")
    search_case = ReviewFactory(
        status=ReviewStatus.LITIGATION, deal=stake, regulator__short_name="DOJ"
    )
    link_deal(search_case, stake, DealRole.REACHES)
    user = UserFactory()
    SubscriptionFactory(user=user, deal=stake, frequency=DAILY, event_kinds=["news"])
    SubscriptionFactory(user=user, deal=review.deal, frequency=DAILY, event_kinds=["news"])
    recorded(
        EventFactory(review=search_case, deal=None, title="Google files notice of appeal"),
        ago(hours=2),
    )
    recorded(EventFactory(review=review, title="CMA invites comment"), ago(hours=2))

    send()

    [message] = mail.outbox
    text = message.body
    happened, beside = text.split("PROCEEDINGS THAT COVER, REACH OR RELATE TO DEALS YOU FOLLOW")
    assert "CMA invites comment" in happened and "Google files notice of appeal" not in happened
    assert "Google files notice of appeal" in beside
    assert "(This proceeding reaches Alphabet (Google) / Anthropic.)" in beside
    html = message.alternatives[0][0]
    assert "Proceedings that cover, reach or relate to deals you follow" in html
    assert "This proceeding reaches Alphabet (Google) / Anthropic." in html
