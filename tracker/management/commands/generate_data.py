from django.core.management.base import BaseCommand, CommandError

from tracker import data_generator


def positive(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError
    return number


class Command(BaseCommand):
    help = "Generate a large synthetic data set (deals, reviews, events) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--deals", type=positive, default=1000)
        parser.add_argument("--events", type=positive, default=50_000)
        parser.add_argument("--reviews-per-deal", type=positive, default=5)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--reset", action="store_true", help="Delete previously generated data first."
        )

    def handle(self, *args, deals, events, reviews_per_deal, seed, reset, **options):
        if reviews_per_deal < 1 and deals:
            raise CommandError("--reviews-per-deal must be at least 1.")
        if reset:
            data_generator.reset()
        report = data_generator.generate(
            deals=deals, events=events, reviews_per_deal=reviews_per_deal, seed=seed
        )
        self.stdout.write(
            f"Generated {report.deals} deals, {report.reviews} reviews, {report.events} events, "
            f"{report.parties} parties, {report.regulators} new regulators in {report.seconds:.1f}s."
        )
