"""A large, realistic synthetic data set for benchmarks and load tests.

Every review walks a path through the real lifecycle table, and its status-change
events are exactly that path, so generated data obeys the same rules as edited data.
Rows go in by COPY on PostgreSQL (bulk_create elsewhere), in batches, without loading
the whole set into memory. Generated records carry the slug prefix `gen-` so that
`--reset` can remove them and nothing else.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from regulators.choices import Calendar
from regulators.models import Regulator
from tracker.choices import DealStatus, DealType, EventKind, PartyRole, ReviewStatus, ReviewType
from tracker.lifecycle import ALLOWED_TRANSITIONS, CLOSED_STATUSES
from tracker.models import Deal, DealParty, Event, Party, Review, ReviewDeal

PREFIX = "gen-"
BATCH = 10_000
START = datetime.date(2012, 1, 1)
END = datetime.date(2026, 10, 31)
# Jurisdictions of the synthetic authorities that join the real ones.
JURISDICTIONS = [
    "AU",
    "AT",
    "BE",
    "BR",
    "CA",
    "CH",
    "CN",
    "CZ",
    "DK",
    "ES",
    "FI",
    "FR",
    "IE",
    "IL",
    "IN",
    "IT",
    "JP",
    "KR",
    "MX",
    "NL",
    "NO",
    "NZ",
    "PL",
    "PT",
    "SE",
    "SG",
    "TR",
    "ZA",
]
FILLER_KINDS = [
    EventKind.FILING,
    EventKind.DECISION,
    EventKind.DEADLINE,
    EventKind.HEARING,
    EventKind.STATEMENT,
    EventKind.NEWS,
    EventKind.INVESTMENT,
]
OPENING_STATUSES = [ReviewStatus.MONITORING, ReviewStatus.PRE_NOTIFICATION, ReviewStatus.PHASE_1]


@dataclass
class GenerationReport:
    regulators: int = 0
    parties: int = 0
    deals: int = 0
    reviews: int = 0
    events: int = 0
    seconds: float = 0.0


def _random_date(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randrange(max(1, (end - start).days)))


def _walk(rng: random.Random, opened_on: datetime.date) -> list[tuple[str, str, datetime.date]]:
    """A path of allowed moves from an opening status; dates strictly increase."""
    status: str = rng.choice(OPENING_STATUSES)
    steps: list[tuple[str, str, datetime.date]] = [("", status, opened_on)]
    day = opened_on
    for _ in range(rng.randint(0, 4)):
        targets = sorted(ALLOWED_TRANSITIONS[status])
        if not targets or day >= END:
            break
        nxt = rng.choice(targets)
        day = min(END, day + datetime.timedelta(days=rng.randint(5, 120)))
        steps.append((status, nxt, day))
        status = nxt
        if status in CLOSED_STATUSES and rng.random() < 0.9:
            break
    return steps


def _copy_rows(model, fields: list[str], rows: Iterable[tuple]) -> int:
    """Insert rows by COPY on PostgreSQL, by bulk_create elsewhere; returns the count."""
    count = 0
    if connection.vendor == "postgresql":
        # Columns the caller does not give take the field's default, as the ORM would.
        # (Generated columns, the search documents, are written by the database.)
        rest = [
            f
            for f in model._meta.concrete_fields
            if not f.primary_key
            and not f.generated
            and f.name not in fields
            and f.attname not in fields
        ]
        defaults = tuple(f.get_default() for f in rest)
        columns = ", ".join(
            [model._meta.get_field(f).column for f in fields] + [f.column for f in rest]
        )
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row + defaults)
                    count += 1
        return count
    batch: list = []
    for row in rows:
        batch.append(model(**dict(zip(fields, row, strict=True))))
        if len(batch) >= BATCH:
            model.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    if batch:
        model.objects.bulk_create(batch)
        count += len(batch)
    return count


def reset() -> None:
    with transaction.atomic():
        Event.objects.filter(deal__slug__startswith=PREFIX).delete()
        Review.objects.filter(deal__slug__startswith=PREFIX).delete()
        Deal.objects.filter(slug__startswith=PREFIX).delete()
        Party.objects.filter(slug__startswith=PREFIX).delete()
        Regulator.objects.filter(slug__startswith=PREFIX).delete()


def generate(
    *, deals: int, events: int, reviews_per_deal: int = 5, seed: int = 1
) -> GenerationReport:
    """Create `deals` deals with about `reviews_per_deal` reviews each and `events` events in all."""
    started = timezone.now()
    rng = random.Random(seed)  # noqa: S311 seeded so that a run's data can be made again
    report = GenerationReport()
    run = f"{PREFIX}{seed}-{Deal.objects.filter(slug__startswith=PREFIX).count()}-"
    with transaction.atomic():
        regulators = _regulators(report)
        parties = _parties(report, run, max(50, deals // 2))
        deal_rows = _deals(report, rng, run, deals)
        deal_ids = list(
            Deal.objects.filter(slug__startswith=run)
            .order_by("pk")
            .values_list("pk", "announced_on")
        )
        _deal_parties(rng, deal_ids, parties)
        paths = _reviews(report, rng, deal_ids, regulators, reviews_per_deal)
        report.events = _events(rng, paths, deal_ids, events)
    report.deals = deal_rows
    report.seconds = (timezone.now() - started).total_seconds()
    return report


def _regulators(report: GenerationReport) -> list[int]:
    ids = list(Regulator.objects.exclude(slug__startswith=PREFIX).values_list("pk", flat=True))
    for code in JURISDICTIONS:
        _, created = Regulator.objects.get_or_create(
            slug=f"{PREFIX}{code.lower()}",
            defaults={
                "name": f"Competition authority of {code} (synthetic)",
                "short_name": f"CA-{code}",
                "jurisdiction": code,
                "calendar": Calendar.NONE,
            },
        )
        report.regulators += created
    return ids + list(
        Regulator.objects.filter(slug__startswith=PREFIX).values_list("pk", flat=True)
    )


def _parties(report: GenerationReport, run: str, n: int) -> list[int]:
    now = timezone.now()
    report.parties = _copy_rows(
        Party,
        ["name", "slug", "country", "website", "aliases", "created_at", "updated_at"],
        ((f"Company {run}{i}", f"{run}party-{i}", "US", "", "", now, now) for i in range(n)),
    )
    return list(Party.objects.filter(slug__startswith=run).values_list("pk", flat=True))


def _deals(report: GenerationReport, rng: random.Random, run: str, n: int) -> int:
    now = timezone.now()
    types = DealType.values

    def rows() -> Iterator[tuple]:
        for i in range(n):
            announced = _random_date(rng, START, END)
            value = Decimal(rng.randrange(10, 80_000)) * Decimal(1_000_000)
            yield (
                f"Acquirer {i} / Target {i}",
                f"{run}deal-{i}",
                rng.choice(types),
                rng.choice(DealStatus.values),
                announced,
                None,
                value,
                "USD",
                rng.choice(["Software", "Semiconductors", "Cloud", "Pharma", "Media"]),
                "",
                now,
                now,
            )

    return _copy_rows(
        Deal,
        [
            "title",
            "slug",
            "deal_type",
            "status",
            "announced_on",
            "completed_on",
            "value",
            "currency",
            "sector",
            "summary",
            "created_at",
            "updated_at",
        ],
        rows(),
    )


def _deal_parties(rng: random.Random, deal_ids: list, parties: list[int]) -> None:
    def rows() -> Iterator[tuple]:
        for deal_id, _ in deal_ids:
            first, second = rng.sample(parties, 2)
            yield (deal_id, first, PartyRole.ACQUIRER)
            yield (deal_id, second, PartyRole.TARGET)

    _copy_rows(DealParty, ["deal_id", "party_id", "role"], rows())


def _reviews(report, rng, deal_ids, regulators, per_deal) -> dict[int, tuple[int, list]]:
    """Insert reviews; returns {review_id: (deal_id, path)} for the events pass."""
    now = timezone.now()
    pending: list[tuple[int, list]] = []

    def rows() -> Iterator[tuple]:
        for deal_id, announced in deal_ids:
            for regulator_id in rng.sample(regulators, min(per_deal, len(regulators))):
                opened = min(END, announced + datetime.timedelta(days=rng.randint(0, 200)))
                path = _walk(rng, opened)
                status = path[-1][1]
                closed_on = path[-1][2] if status in CLOSED_STATUSES else None
                deadline = (
                    None
                    if closed_on
                    else path[-1][2] + datetime.timedelta(days=rng.randint(10, 120))
                )
                pending.append((deal_id, path))
                yield (
                    deal_id,
                    regulator_id,
                    f"GEN/{deal_id}/{regulator_id}",
                    rng.choice(ReviewType.values),
                    status,
                    now,
                    ReviewStatus(status).label,
                    opened,
                    closed_on,
                    "",
                    "",
                    deadline,
                    now,
                    now,
                )

    report.reviews = _copy_rows(
        Review,
        [
            "deal_id",
            "regulator_id",
            "reference",
            "review_type",
            "status",
            "status_changed_at",
            "stage",
            "opened_on",
            "closed_on",
            "outcome",
            "url",
            "next_deadline",
            "created_at",
            "updated_at",
        ],
        rows(),
    )
    ids = list(
        Review.objects.filter(deal_id__in=[d for d, _ in deal_ids])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    # Every review covers its lead deal, as Review.save() records for edited data.
    _copy_rows(
        ReviewDeal,
        ["review_id", "deal_id", "created_at"],
        ((review_id, deal_id, now) for review_id, (deal_id, _) in zip(ids, pending, strict=True)),
    )
    return dict(zip(ids, pending, strict=True))


def _events(rng: random.Random, paths: dict, deal_ids: list, total: int) -> int:
    review_ids = list(paths)
    status_changes = sum(len(path) - 1 for _, path in paths.values())
    fillers = max(0, total - status_changes)

    def recorded(day: datetime.date) -> datetime.datetime:
        # Most events are recorded within days; some arrive weeks late.
        lag = datetime.timedelta(hours=rng.choice([2, 20, 50, 400]))
        return datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC) + lag

    def rows() -> Iterator[tuple]:
        for review_id, (deal_id, path) in paths.items():
            for from_status, to_status, day in path[1:]:
                yield (
                    deal_id,
                    review_id,
                    EventKind.STATUS_CHANGE,
                    day,
                    "day",
                    f"{ReviewStatus(from_status).label} → {ReviewStatus(to_status).label}",
                    "",
                    "https://example.org/source",
                    "",
                    from_status,
                    to_status,
                    None,
                    "",
                    recorded(day),
                )
        for i in range(fillers):
            review_id = rng.choice(review_ids)
            deal_id, path = paths[review_id]
            kind = rng.choice(FILLER_KINDS)
            day = _random_date(rng, path[0][2], END)
            amount = (
                Decimal(rng.randrange(1, 5000)) * Decimal(1_000_000)
                if kind == EventKind.INVESTMENT
                else None
            )
            yield (
                deal_id,
                review_id,
                kind,
                day,
                "day",
                f"{EventKind(kind).label} {i}",
                "",
                "https://example.org/source",
                "",
                "",
                "",
                amount,
                "USD" if amount else "",
                recorded(day),
            )

    return _copy_rows(
        Event,
        [
            "deal_id",
            "review_id",
            "kind",
            "occurred_on",
            "date_precision",
            "title",
            "body",
            "source_url",
            "source_title",
            "from_status",
            "to_status",
            "amount",
            "currency",
            "created_at",
        ],
        rows(),
    )
