"""Send this period's daily or weekly digests in-process, for installations run by cron."""

from django.core.management.base import BaseCommand

from digests.models import DIGEST_FREQUENCIES
from digests.sending import plan, preview, send_batch


class Command(BaseCommand):
    help = (
        "Send each user the digest of this period (day or ISO week) they have not had yet. "
        "A rerun in the same period sends nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--frequency", required=True, choices=[str(f) for f in DIGEST_FREQUENCIES]
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print who would get what; send and record nothing.",
        )

    def handle(self, *args, frequency: str, dry_run: bool, **options):
        if dry_run:
            count = 0
            for user, content in preview(frequency):
                count += 1
                self.stdout.write(
                    f"{user.email}: {len(content.events)} update(s), {len(content.deadlines)} deadline(s)"
                )
                for event in content.events:
                    self.stdout.write(
                        f"  {event.occurred_on} "
                        f"{event.deal.title if event.deal_id else event.review.name}: {event.title}"
                    )
                for review in content.deadlines:
                    self.stdout.write(
                        f"  deadline {review.next_deadline} {review.regulator.short_name}: {review.name}"
                    )
            self.stdout.write(
                f"Dry run: {count} {frequency} digest(s) would be sent; nothing sent or recorded."
            )
            return
        the_plan = plan(frequency)
        totals = {"sent": 0, "empty": 0, "failed": 0}
        for batch in the_plan.batches:
            for outcome, n in send_batch(frequency, the_plan.period, batch).items():
                totals[outcome] += n
        self.stdout.write(
            f"{frequency.capitalize()} digests of {the_plan.period}: {totals['sent']} sent, "
            f"{totals['empty']} with nothing new, {totals['failed']} failed."
        )
        if totals["failed"]:
            self.stderr.write("Some digests failed; see the Digest records for the errors.")
