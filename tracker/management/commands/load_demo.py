from django.core.management.base import BaseCommand

from tracker.demo import load_demo
from tracker.models import Deal, Event, Review


class Command(BaseCommand):
    help = "Load the demo deals, regulators, reviews and sourced events. Safe to run again."

    def handle(self, *args, **options):
        report = load_demo()
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(warning))
        if report.changed_anything:
            created = ", ".join(f"{n} {m}" for m, n in sorted(report.created.items())) or "nothing"
            updated = ", ".join(f"{n} {m}" for m, n in sorted(report.updated.items())) or "nothing"
            self.stdout.write(f"Created {created}; updated {updated}.")
        else:
            self.stdout.write("Demo data already loaded; nothing changed.")
        self.stdout.write(
            f"Now holding {Deal.objects.count()} deals, {Review.objects.count()} reviews, "
            f"{Event.objects.count()} events."
        )
