"""Generate the benchmarks' synthetic data set (deals, reviews, events) in DATABASE_URL:
python bench/generate_data.py --deals 1000 --events 50000 --reviews-per-deal 5 [--reset]"""

import argparse
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
django.setup()

from bench import data_generator


def count(value: str) -> int:
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError("must be zero or more")
    return number


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=count, default=1000)
    parser.add_argument("--events", type=count, default=50_000)
    parser.add_argument("--reviews-per-deal", type=count, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--reset", action="store_true", help="Delete previously generated data first."
    )
    args = parser.parse_args(argv)
    if args.reviews_per_deal < 1 and args.deals:
        parser.error("--reviews-per-deal must be at least 1.")
    if args.reset:
        data_generator.reset()
    report = data_generator.generate(
        deals=args.deals, events=args.events, reviews_per_deal=args.reviews_per_deal, seed=args.seed
    )
    return (
        f"Generated {report.deals} deals, {report.reviews} reviews, {report.events} events, "
        f"{report.parties} parties, {report.regulators} new regulators in {report.seconds:.1f}s."
    )


if __name__ == "__main__":
    print(main())
