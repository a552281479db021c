import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tracker.choices import Outcome, ReviewStatus, SourceType
from tracker.models import Review
from tracker.services import TransitionNotAllowed, transition_review


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Invalid date {value!r}: use YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = "Move a review to a new status through the transition service, recording the event."

    def add_arguments(self, parser):
        parser.add_argument("review_id", type=int)
        parser.add_argument("status", choices=ReviewStatus.values)
        parser.add_argument(
            "--on", dest="occurred_on", type=iso_date, default=None, help="Date (default: today)"
        )
        parser.add_argument("--title", default="")
        parser.add_argument("--note", default="")
        parser.add_argument(
            "--source-url", default="", help="The regulator's or court's page (required)"
        )
        parser.add_argument("--source-title", default="")
        parser.add_argument(
            "--source-type",
            default=SourceType.REGULATOR,
            choices=[SourceType.REGULATOR, SourceType.COURT],
        )
        parser.add_argument("--stage", default=None)
        parser.add_argument("--outcome", default=None, choices=Outcome.values)
        parser.add_argument(
            "--outcome-wording", default=None, help="The decision in the regulator's own words"
        )

    def handle(self, *args, **opts):
        if not Review.objects.filter(pk=opts["review_id"]).exists():
            raise CommandError(f"No review with id {opts['review_id']}.")
        try:
            result = transition_review(
                review_id=opts["review_id"],
                to_status=opts["status"],
                occurred_on=opts["occurred_on"] or datetime.date.today(),
                title=opts["title"],
                note=opts["note"],
                source_url=opts["source_url"],
                source_title=opts["source_title"],
                source_type=opts["source_type"],
                outcome=opts["outcome"],
                outcome_wording=opts["outcome_wording"],
                stage=opts["stage"],
            )
        except TransitionNotAllowed as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(
            f"{result.review}: now {result.review.get_status_display()} (event {result.event.pk})."
        )
