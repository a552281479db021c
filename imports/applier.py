"""The one applier: it matches registry records to parties, deals and proceedings and writes
through the tracker's services, as an editor would in the admin.

Each record is applied in one transaction by the runner. A proceeding seen for the first
time gets its past as history (status changes without immediate notices); a change on a
proceeding already tracked goes through the transition service like any other, notices
included. A field an editor changed since the last import is never overwritten: the
difference goes to the editors' queue.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import cast

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from regulators.models import Regulator
from tracker import deadline_periods, deadlines
from tracker.choices import DealStatus, EventKind, PartyRole, ReviewStatus, ReviewType, SourceType
from tracker.lifecycle import CLOSED_STATUSES
from tracker.models import ClockStop, DeadlineExtension, Deal, DealParty, Event, Party, Review
from tracker.services import (
    Move,
    TransitionNotAllowed,
    create_with_past,
    record_event,
    record_events,
    transition_review,
)

from . import provenance
from .choices import ProposalKind
from .matching import PartyIndex
from .proposals import propose
from .records import CLOCK_RESTART, CLOCK_STOP, CaseRecord, Document, NoticeRecord, PartySide
from .sources import source_named

# A case a register shows in one of these opens in it, not in phase 1 (an Art. 22 referral
# request, a case in pre-notification), and moves to phase 1 when it is notified.
BEFORE_PHASE_1 = {
    ReviewStatus.PRELIMINARY_INQUIRY,
    ReviewStatus.PRE_NOTIFICATION,
    ReviewStatus.REFERRAL,
}
# Two sources' notices of one act (the FTC's press release and the Federal Register's notice
# of the same consent order) are one event when they fall this close together.
SAME_ACT_WITHIN = datetime.timedelta(days=7)

# The review fields an import keeps current, unless an editor changed them.
KEPT_FIELDS = ("status", "url")


@dataclass
class ItemResult:
    created: bool = False
    changes: list[str] = field(default_factory=list)
    queued: list[str] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        if self.created:
            return "created"
        if self.changes:
            return "updated"
        return "queued" if self.queued else "unchanged"


class Ambiguous(Exception):
    """The record's parties or proceeding cannot be told for sure; the message says why."""

    def __init__(self, message: str, candidates: list[Review]):
        self.candidates = candidates
        super().__init__(message)


class Applier:
    def __init__(self):
        self.index = PartyIndex()
        # Names and slugs in use, read once: a new party or deal gets a free one without asking.
        self.taken = {
            "party-name": set(),
            Party: set(),
            Deal: set(Deal.objects.values_list("slug", flat=True)),
        }
        for party in Party.objects.only("pk", "name", "slug", "aliases"):
            self.index.add_party(party)
            self.taken["party-name"].add(party.name)
            self.taken[Party].add(party.slug)
        self._regulators: dict[str, Regulator] = {}
        self._added: list[tuple[int, tuple[str, ...]]] = []
        self._provenance: list[
            tuple
        ] = []  # what the current item made, written in one insert at its end

    # --- run bookkeeping -------------------------------------------------------------

    def item_committed(self) -> None:
        self._added.clear()

    def item_rolled_back(self) -> None:
        """Parties made by a rolled-back item are not in the database: forget them."""
        for party_id, names in self._added:
            self.index.forget(party_id, *names)
        self._added.clear()
        self._provenance.clear()
        self._regulators.clear()  # one made by the item is gone too

    def _free(self, wanted: str, kind, numbered) -> str:
        """`wanted`, or its first numbered form not taken yet (names and slugs are unique)."""
        candidate, n = wanted, 1
        while candidate in self.taken[kind]:
            n += 1
            candidate = numbered(n)
        self.taken[kind].add(candidate)
        return candidate

    def _free_slug(self, model, text: str) -> str:
        base = slugify(text)[:90] or "item"
        return self._free(base, model, lambda n: f"{base}-{n}")

    def regulator(self, slug: str, source: str) -> Regulator:
        """The regulator `slug`, made as `source` describes it if the tracker has none yet."""
        if slug not in self._regulators:
            declared = source_named(source).regulators
            if slug not in declared:
                raise ValueError(f"regulator: {source} does not speak for {slug!r}")
            self._regulators[slug], _ = Regulator.objects.get_or_create(
                slug=slug, defaults=declared[slug]
            )
        return self._regulators[slug]

    def apply(self, record: CaseRecord | NoticeRecord, *, review: Review | None = None):
        """Write a parsed record of any kind (onto `review`, when an editor named it)."""
        if isinstance(record, CaseRecord):
            return self.apply_case(record, review=review)
        return self.apply_notice(record, review=review)

    # --- a register's cases ------------------------------------------------------------

    def apply_case(
        self, record: CaseRecord, *, force_new: bool = False, review: Review | None = None
    ) -> ItemResult:
        result = self._apply_case(record, force_new=force_new, review=review)
        provenance.remember_new(record.source, self._provenance)
        self._provenance.clear()
        return result

    def _apply_case(
        self, record: CaseRecord, *, force_new: bool, review: Review | None
    ) -> ItemResult:
        result = ItemResult()
        regulator = self.regulator(record.regulator, record.source)
        link = provenance.find(Review, record.source, record.source_id)
        stale = False
        if review is None and link is not None:
            review = Review.objects.filter(pk=link.object_id).first()
            if review is None:
                link = None  # the proceeding was deleted: start again
                stale = True
        if review is None:
            review = self._adoptable(record, regulator)
        if review is None:
            try:
                deal, review = self._deal(record, result, force_new=force_new)
            except Ambiguous as exc:
                self._queue(
                    result,
                    record,
                    ProposalKind.AMBIGUOUS_MATCH,
                    str(exc),
                    candidates=exc.candidates,
                )
                return result
        entered: list[str] = []  # the timeline entries a new proceeding was made with
        if review is None:
            review = self._backfill(record, regulator, deal, result, entered)
            if stale:
                provenance.remember(
                    review, record.source, record.source_id, record.url, self._values(review)
                )
            else:
                self._provenance.append(
                    (review, record.source_id, record.url, self._values(review))
                )
        else:
            if link is None:
                result.changes.append(f"adopted {review}")
            review = self._update(record, review, link, result)
        known = set() if result.created else self._known_entries(record)
        self._timetable(record, review, result, known=known, fresh=result.created)
        self._published_deadline(record, review, result, fresh=result.created)
        if result.created:
            result.changes += entered
        else:
            self._documents(record, review, result, known=known)
        return result

    def _adoptable(self, record: CaseRecord, regulator: Regulator) -> Review | None:
        """A proceeding an editor entered before, without a registry link: the same case page,
        or the same case number at the same regulator."""
        same_page = Review.objects.filter(
            regulator=regulator, url__in=[record.url, record.url + "/"]
        ).order_by("pk")
        same_case = (
            Review.objects.filter(regulator=regulator, reference__iexact=record.reference).order_by(
                "pk"
            )
            if record.reference
            else Review.objects.none()
        )
        for review in [*same_page, *same_case]:
            if not provenance.is_tracked(review):
                return review
        return None

    def _deal(
        self, record: CaseRecord, result: ItemResult, *, force_new: bool
    ) -> tuple[Deal, Review | None]:
        """The deal the record is about, found by its parties or made with them, and the
        untracked proceeding of the regulator on it that the record adopts, if any. An unclear
        party stops everything before anything is made."""
        matches = [self.index.match(side.names) for side in record.sides]
        for side, found in zip(record.sides, matches, strict=True):
            if found.ambiguous and not force_new:
                names = ", ".join(
                    Party.objects.filter(pk__in=found.candidates).values_list("name", flat=True)
                )
                raise Ambiguous(f"'{' / '.join(side.names)}' may be any of: {names}", [])
        regulator = self.regulator(record.regulator, record.source)
        # Only when every party is known can a deal of theirs exist.
        if not force_new and all(found.party_id is not None for found in matches):
            query = Deal.objects.all()
            for pid in {found.party_id for found in matches if found.party_id is not None}:
                query = query.filter(deal_parties__party_id=pid)
            deals = list(query.distinct().order_by("pk"))
            if len(deals) == 1:
                return deals[0], self._untracked_on_deal(record, regulator, deals[0])
            if len(deals) > 1:
                raise Ambiguous(
                    f"{record.title}: {len(deals)} deals have these parties ({', '.join(d.title for d in deals)})",
                    list(Review.objects.filter(regulator=regulator, deals__in=deals).distinct()),
                )
        unknown = [
            (n, side)
            for n, (side, found) in enumerate(zip(record.sides, matches, strict=True), start=1)
            if found.party_id is None
        ]
        new = self._new_parties(record, unknown, result)
        party_ids = [
            found.party_id if found.party_id is not None else next(new).pk for found in matches
        ]
        return self._new_deal(record, party_ids, result), None

    def _untracked_on_deal(
        self, record: CaseRecord, regulator: Regulator, deal: Deal
    ) -> Review | None:
        """The one proceeding of this regulator on this deal without a registry link; two are ambiguous."""
        # A proceeding already pointing at another page of the same register is another case.
        register = record.url.rsplit("/", 1)[0] + "/"
        untracked = [
            r
            for r in Review.objects.filter(regulator=regulator, deals=deal).order_by("pk")
            if not (r.url.startswith(register) and r.url.rstrip("/") != record.url)
            and not provenance.is_tracked(r)
        ]
        if len(untracked) > 1:
            raise Ambiguous(
                f"{record.title}: {len(untracked)} {regulator.short_name} proceedings on {deal}",
                untracked,
            )
        return untracked[0] if untracked else None

    def _new_parties(
        self, record: CaseRecord, sides: list[tuple[int, PartySide]], result: ItemResult
    ) -> Iterator[Party]:
        """A party made for each (numbered) side, in order, in one insert and one for their history."""
        parties = [
            Party(
                name=self._free(
                    side.names[0][:200],
                    "party-name",
                    lambda n, name=side.names[0]: f"{name[:190]} ({n})",
                ),
                slug=self._free_slug(Party, side.names[0]),
                aliases=", ".join(side.names[1:]),
            )
            for _, side in sides
        ]
        if parties:
            bulk_create_with_history(parties, Party)
        for party, (number, side) in zip(parties, sides, strict=True):
            self.index.add_party(party)
            self._provenance.append((party, f"{record.source_id}#party-{number}", record.url))
            self._added.append((party.pk, (party.name, *side.names[1:])))
            result.changes.append(f"new party {party.name}")
        return iter(parties)

    def _new_deal(self, record: CaseRecord, party_ids: list[int], result: ItemResult) -> Deal:
        status = {
            ReviewStatus.PROHIBITED: DealStatus.BLOCKED,
            ReviewStatus.ABANDONED: DealStatus.ABANDONED,
        }.get(
            cast(ReviewStatus, record.status),
            DealStatus.PENDING if record.status not in CLOSED_STATUSES else DealStatus.ANNOUNCED,
        )
        deal = Deal.objects.create(
            title=record.deal_title[:200],
            slug=self._free_slug(Deal, record.deal_title),
            deal_type=record.deal_type,
            status=status,
            sector=record.sector[:100],
            **({"currency": record.currency} if record.currency else {}),
        )
        roles = _roles(record.deal_type, len(party_ids))
        DealParty.objects.bulk_create(
            [
                DealParty(deal=deal, party_id=pid, role=role)
                for pid, role in zip(dict.fromkeys(party_ids), roles, strict=False)
            ]
        )
        self._provenance.append((deal, record.source_id, record.url))
        result.changes.append(f"new deal {deal.title}")
        return deal

    def _backfill(
        self,
        record: CaseRecord,
        regulator: Regulator,
        deal: Deal,
        result: ItemResult,
        entered: list[str],
    ) -> Review:
        """A proceeding seen for the first time, with its past replayed as history and the
        register's dated entries on its timeline, all in one insert (the entries' changes go to
        `entered`). A case's past seen for the first time is on its timeline, but not news for
        digests or feeds (recorded_as_history)."""
        review = Review(
            deal=deal,
            regulator=regulator,
            title=record.title[:200],
            reference=record.reference[:100],
            url=record.url,
            review_type=ReviewType.MERGER_CONTROL,
            status=ReviewStatus.MONITORING,
        )
        result.created = True
        opened = (
            record.opened_on
            or min((d.occurred_on for d in record.documents), default=None)
            or record.closed_on
        )
        if opened is None:
            raise ValueError("opened_on: missing, and no dated entry to open the case on")
        first = record.status if record.status in BEFORE_PHASE_1 else record.opens_in
        past = [self._step(first, opened, record)] if first else []
        if self._went_to_phase_2(record):
            past.append(
                self._step(ReviewStatus.PHASE_2, max(record.phase_2_on or opened, opened), record)
            )
        if record.status in CLOSED_STATUSES:
            past.append(self._step(record.status, max(record.closed_on or opened, opened), record))
        create_with_past(
            review,
            past,
            recorded_as_history=True,
            entries=lambda events: self._entries(
                record, review, entered, known=set(), existing=list(events), fresh=True
            ),
        )
        if record.status is None:
            self._unknown_outcome(record, review, result)
        return review

    @staticmethod
    def _went_to_phase_2(record: CaseRecord) -> bool:
        return record.status == ReviewStatus.PHASE_2 or record.reached_phase_2

    def _step(self, to_status: str, on: datetime.date, record: CaseRecord) -> Move:
        """A status change the case page records, sourced to it."""
        closing = to_status in CLOSED_STATUSES
        return Move(
            to_status=to_status,
            occurred_on=on,
            source_url=record.url,
            source_title=f"{record.title} ({self.regulator(record.regulator, record.source).short_name} case page)",
            source_type=SourceType.REGULATOR,
            stage=ReviewStatus(to_status).label
            if not closing
            else record.registry_outcome.replace("-", " ").capitalize(),
            outcome=record.outcome if closing else None,
            outcome_wording=record.outcome_wording if closing else None,
        )

    def _move(
        self, review: Review, to_status: str, on: datetime.date, record: CaseRecord
    ) -> Review:
        """The review moved by the transition service, notices included, as it is after the move."""
        return transition_review(
            review_id=review.pk, **asdict(self._step(to_status, on, record))
        ).review

    def _unknown_outcome(self, record: CaseRecord, review: Review, result: ItemResult) -> None:
        self._queue(
            result,
            record,
            ProposalKind.UNKNOWN_OUTCOME,
            f"{record.title}: closed with an outcome type this tracker cannot place "
            f"({record.registry_outcome or 'none'})",
            review=review,
            field="status",
            current=review.status,
            proposed=record.registry_outcome or "(none)",
        )

    def _update(self, record: CaseRecord, review: Review, link, result: ItemResult) -> Review:
        """A proceeding already tracked (or just adopted): registry changes go in through the
        services with notices; an editor's change since the last import is queued instead."""
        imported = dict(link.imported_values) if link is not None else {}
        if record.status is None:
            if review.status not in CLOSED_STATUSES:
                self._unknown_outcome(record, review, result)
        elif record.status != review.status:
            if imported.get("status") != review.status:
                self._contradiction(record, review, "status", review.status, record.status, result)
            else:
                try:
                    if (
                        self._went_to_phase_2(record)
                        and review.status == ReviewStatus.PHASE_1
                        and record.status != ReviewStatus.PHASE_2
                    ):
                        review = self._move(
                            review,
                            ReviewStatus.PHASE_2,
                            record.phase_2_on or timezone.localdate(),
                            record,
                        )
                    on = (
                        (record.closed_on or timezone.localdate())
                        if record.status in CLOSED_STATUSES
                        else (record.phase_2_on or timezone.localdate())
                    )
                    review = self._move(
                        review, record.status, min(on, timezone.localdate()), record
                    )
                    result.changes.append(f"status {imported.get('status')} -> {record.status}")
                except TransitionNotAllowed as exc:
                    self._contradiction(
                        record,
                        review,
                        "status",
                        review.status,
                        record.status,
                        result,
                        note=str(exc),
                    )
        if review.url != record.url:
            if imported.get("url") == review.url:
                review.url = record.url
                review.save(update_fields=["url", "updated_at"])
                result.changes.append("url")
            else:
                self._contradiction(record, review, "url", review.url, record.url, result)
        # Remembered only where the tracker and the register agree now: a value an editor keeps
        # against the register stays theirs, and stays in the queue.
        registry = {"status": record.status, "url": record.url}
        values = {k: v for k, v in self._values(review).items() if registry[k] == v}
        if link is None or link.imported_values != values:
            provenance.remember(review, record.source, record.source_id, record.url, values)
        return review

    def _contradiction(
        self, record, review, field_name, current, proposed, result, note: str = ""
    ) -> None:
        self._queue(
            result,
            record,
            ProposalKind.CONTRADICTS_EDITOR,
            f"{review}: the register says {field_name} {proposed!r}, the tracker has {current!r}"
            + (f" ({note})" if note else ""),
            review=review,
            field=field_name,
            current=current,
            proposed=proposed,
        )

    @staticmethod
    def _values(review: Review) -> dict:
        return {name: getattr(review, name) for name in KEPT_FIELDS}

    def _published_deadline(
        self, record: CaseRecord, review: Review, result: ItemResult, *, fresh: bool
    ) -> None:
        """The deadline the register publishes, kept beside ours; on a proceeding made in this
        item (`fresh`) its event is part of the past, like the others."""
        if record.published_deadline is None or not review.is_open:
            return
        current = deadline_periods.current_period(review)
        if current is None or current.published_due_on == record.published_deadline:
            return
        deadlines.record_published_deadline(
            review_id=review.pk,
            published_due_on=record.published_deadline,
            source_url=record.url,
            recorded_as_history=fresh,
        )
        result.changes.append(f"published deadline {record.published_deadline}")
        if current.due_on and current.due_on != record.published_deadline:
            self._queue(
                result,
                record,
                ProposalKind.DEADLINE_DISAGREES,
                f"{review}: {review.regulator.short_name} publishes the deadline as {record.published_deadline}, "
                f"counted here as {current.due_on}",
                review=review,
                field="next_deadline",
                current=current.due_on.isoformat(),
                proposed=record.published_deadline.isoformat(),
            )

    @staticmethod
    def _known_entries(record: CaseRecord) -> set[str]:
        """The keys of the record's dated entries imported before."""
        return set(
            provenance.Provenance.objects.filter(
                source=record.source,
                source_id__startswith=f"{record.source_id}#",
                content_type__model="event",
            ).values_list("source_id", flat=True)
        )

    @staticmethod
    def _entry_key(record: CaseRecord, doc: Document) -> str:
        return f"{record.source_id}#{doc.occurred_on.isoformat()}#{doc.url}#{doc.title}"[:300]

    def _timetable(
        self,
        record: CaseRecord,
        review: Review,
        result: ItemResult,
        *,
        known: set[str],
        fresh: bool,
    ) -> None:
        """The register's timetable notices, in date order, through the deadline service (a
        clock stop, its restart, an extension), so that our count is checked against the
        deadline the regulator publishes. A notice the service cannot take (the case is
        decided, or the act does not fit its rules) stays on the timeline as a statement."""
        acts = sorted((d for d in record.documents if d.clock_action), key=lambda d: d.occurred_on)
        if not acts:
            return
        review.refresh_from_db()  # clock acts change no status: whether it is open holds for all
        for doc in acts:
            key = self._entry_key(record, doc)
            if key in known or self._clock_act_recorded(review, doc):
                continue
            known.add(key)
            try:
                event = self._clock_act(review, doc, fresh=fresh)
                result.changes.append(f"clock {doc.clock_action} {doc.occurred_on}")
            except ValidationError as exc:
                result.changes.append(
                    f"timetable notice {doc.occurred_on} kept as a statement: {'; '.join(exc.messages)}"
                )
                event = None
            if event is None:
                event = record_event(self._statement(review, doc, fresh=fresh))
            self._provenance.append((event, key, doc.url))
        review.refresh_from_db()

    @staticmethod
    def _clock_act_recorded(review: Review, doc: Document) -> bool:
        """An editor recorded the act already (the same stop, restart or extension)."""
        if doc.clock_action == CLOCK_STOP:
            return ClockStop.objects.filter(review=review, stopped_on=doc.occurred_on).exists()
        if doc.clock_action == CLOCK_RESTART:
            return ClockStop.objects.filter(review=review, restarted_on=doc.occurred_on).exists()
        return DeadlineExtension.objects.filter(
            review=review, granted_on=doc.occurred_on, length=doc.clock_length
        ).exists()

    @staticmethod
    def _clock_act(review: Review, doc: Document, *, fresh: bool) -> Event | None:
        if not review.is_open:
            raise ValidationError("the case is decided; its clock no longer runs")
        # A register lists a case's whole timetable: an act of an earlier phase (a phase 1
        # extension on a case now in phase 2) is not the running period's.
        current = deadline_periods.current_period(review)
        if current and current.clock_started_on and doc.occurred_on < current.clock_started_on:
            raise ValidationError("the act belongs to an earlier phase's period")
        if doc.clock_action == CLOCK_STOP:
            change = deadlines.stop_clock(
                review_id=review.pk,
                stopped_on=doc.occurred_on,
                reason=doc.clock_reason,
                source_url=doc.url,
                recorded_as_history=fresh,
            )
        elif doc.clock_action == CLOCK_RESTART:
            stopped = (
                ClockStop.objects.filter(review=review, restarted_on__isnull=True)
                .order_by("-stopped_on")
                .first()
            )
            if stopped is None:
                raise ValidationError("no stopped clock to restart")
            change = deadlines.restart_clock(
                clock_stop_id=stopped.pk,
                restarted_on=doc.occurred_on,
                source_url=doc.url,
                recorded_as_history=fresh,
            )
        else:
            change = deadlines.extend_deadline(
                review_id=review.pk,
                length=doc.clock_length,
                granted_on=doc.occurred_on,
                reason=doc.clock_reason,
                source_url=doc.url,
                recorded_as_history=fresh,
            )
        return change.event

    def _documents(
        self, record: CaseRecord, review: Review, result: ItemResult, *, known: set[str]
    ) -> None:
        """The register's dated entries on a proceeding made before (see `_entries`)."""
        new = self._entries(
            record,
            review,
            result.changes,
            known=known,
            existing=list(Event.objects.filter(review=review)),
        )
        if new:
            # One insert for the events and one for their history, not two per event; each
            # one that is news reaches the subscribers who follow its kind after commit.
            record_events(new)

    def _entries(
        self,
        record: CaseRecord,
        review: Review,
        changes: list[str],
        *,
        known: set[str],
        existing: list[Event],
        fresh: bool = False,
    ) -> list[Event]:
        """One sourced event (unsaved) per dated entry not `known` (imported before); an event of
        that day with its source or title among `existing` (an editor's, or the status change the
        entry announced) is the same fact, adopted, not repeated. `fresh`: entries of a proceeding
        seen for the first time, its past."""
        adopted, new = [], []
        for doc in record.documents:
            key = self._entry_key(record, doc)
            if doc.clock_action or key in known:
                continue  # timetable notices go through the deadline service (`_timetable`)
            known.add(key)
            same = next(
                (
                    e
                    for e in existing
                    if e.occurred_on == doc.occurred_on
                    and (e.source_url == doc.url or e.title == doc.title)
                ),
                None,
            )
            if same is not None:
                adopted.append((same, key, doc.url))
                continue
            event = self._statement(review, doc, fresh=fresh)
            existing.append(event)
            new.append((event, key, doc.url))
            changes.append(f"event {doc.occurred_on} {doc.title[:60]}")
        self._provenance.extend(
            adopted + new
        )  # written at the item's end, when the events have ids
        return [event for event, _, _ in new]

    @staticmethod
    def _statement(review: Review, doc: Document, *, fresh: bool) -> Event:
        """The register's dated entry as a sourced event (unsaved)."""
        return Event(
            review=review,
            kind=EventKind.DECISION if doc.is_decision else EventKind.STATEMENT,
            occurred_on=doc.occurred_on,
            title=doc.title,
            body=doc.body,
            source_url=doc.url[:500],
            source_title=doc.title,
            source_type=SourceType.REGULATOR,
            source_read_on=timezone.localdate(),
            recorded_as_history=fresh,
        )

    # --- dated acts: notices, press releases, docket entries ------------------------------

    def apply_notice(self, record: NoticeRecord, *, review: Review | None = None) -> ItemResult:
        result = ItemResult()
        if provenance.find(Event, record.source, record.source_id) is not None:
            return result
        if review is None:
            try:
                review = self._notice_review(record, result)
            except Ambiguous as exc:
                self._queue(
                    result,
                    record,
                    ProposalKind.AMBIGUOUS_MATCH,
                    str(exc),
                    candidates=exc.candidates,
                )
                return result
        if review is None:
            self._queue(
                result,
                record,
                ProposalKind.UNMATCHED,
                f"{record.kind.replace('_', ' ')} with no known proceeding: {record.title[:200]}",
            )
            return result
        act = {"act": record.kind}
        same = self._same_act(record, review) or self._same_document(record, review)
        if same is not None:
            provenance.remember(same, record.source, record.source_id, record.url[:500], act)
            result.changes.append(f"same act as event {same.occurred_on} on {review}")
            return result
        # An act older than the proceeding's last status change is overtaken by it: recorded,
        # it moves nothing (an old complaint does not send an appeal back to litigation).
        overtaken = review.status_changed_at is not None and (
            timezone.localdate(review.status_changed_at) > record.published_on
        )
        if record.moves_to and record.moves_to != review.status and not overtaken:
            event = self._notice_move(record, review, result)
        else:
            event = None
        if event is None:
            event = record_event(
                Event(
                    review=review,
                    kind=record.event_kind,
                    occurred_on=record.published_on,
                    title=record.title[:300],
                    body=_notice_body(record),
                    source_url=record.url[:500],
                    source_title=(record.source_title or record.title)[:300],
                    source_type=record.source_type,
                    source_read_on=timezone.localdate(),
                ),
                history=record.history,
            )
            result.changes.append(f"event {record.published_on} on {review}")
        provenance.remember(event, record.source, record.source_id, record.url[:500], act)
        return result

    def _notice_move(
        self, record: NoticeRecord, review: Review, result: ItemResult
    ) -> Event | None:
        """The act moves its proceeding (a complaint filed, a second request): through the
        transition service, notices included; a move the lifecycle refuses goes to an editor
        and the act stays on the timeline as it is."""
        try:
            moved = transition_review(
                review_id=review.pk,
                to_status=record.moves_to,
                occurred_on=min(record.published_on, timezone.localdate()),
                title=record.title[:300],
                note=record.abstract,
                source_url=record.url[:500],
                source_title=(record.source_title or record.title)[:300],
                source_type=record.source_type,
            )
        except (TransitionNotAllowed, ValidationError) as exc:
            self._contradiction(
                record, review, "status", review.status, record.moves_to, result, note=str(exc)
            )
            return None
        result.changes.append(f"status {review.status} -> {record.moves_to}")
        return moved.event

    @staticmethod
    def _same_document(record: NoticeRecord, review: Review) -> Event | None:
        """An event of that day on the proceeding citing the same document (an editor's)."""
        if not record.url:
            return None
        return (
            Event.objects.filter(
                review=review, occurred_on=record.published_on, source_url=record.url[:500]
            )
            .order_by("pk")
            .first()
        )

    @staticmethod
    def _same_act(record: NoticeRecord, review: Review) -> Event | None:
        """The event another source recorded for this act on this proceeding, if any."""
        recorded = provenance.Provenance.objects.filter(
            content_type__model="event",
            imported_values__act=record.kind,
        ).exclude(source=record.source)
        return (
            Event.objects.filter(
                review=review,
                pk__in=recorded.values("object_id"),
                occurred_on__range=(
                    record.published_on - SAME_ACT_WITHIN,
                    record.published_on + SAME_ACT_WITHIN,
                ),
            )
            .order_by("occurred_on", "pk")
            .first()
        )

    def _notice_review(self, record: NoticeRecord, result: ItemResult) -> Review | None:
        """The proceeding the act is about: by case reference or docket number first (in its
        court, when the record names one), then by the deal's parties."""
        if record.references:
            named = self._by_reference(record)
            if named is not None:
                return named
        if not record.sides or not record.regulator:
            return None
        regulator = self.regulator(record.regulator, record.source)
        matches = [self.index.match(side.names) for side in record.sides]
        if any(m.party_id is None for m in matches):
            return None  # an act never creates parties: its deal must be known
        query = Deal.objects.all()
        for pid in {m.party_id for m in matches if m.party_id is not None}:
            query = query.filter(deal_parties__party_id=pid)
        deals = list(query.distinct().order_by("pk"))
        if not deals:
            return None
        if len(deals) > 1:
            raise Ambiguous(f"{record.title}: {len(deals)} deals have these parties", [])
        reviews = list(Review.objects.filter(regulator=regulator, deals=deals[0]).order_by("pk"))
        if len(reviews) > 1:
            raise Ambiguous(
                f"{record.title}: {len(reviews)} {regulator.short_name} proceedings on {deals[0]}",
                reviews,
            )
        if reviews:
            return reviews[0]
        if not record.may_open:
            return None
        review = Review.objects.create(
            deal=deals[0],
            regulator=regulator,
            url=record.url[:500],
            review_type=record.review_type,
        )
        provenance.remember_new(record.source, [(review, record.source_id, record.url)])
        result.created = True
        return review

    @staticmethod
    def _by_reference(record: NoticeRecord) -> Review | None:
        named = Q()
        for reference in record.references:
            by_docket = Q(docket_number__iexact=reference)
            if record.court:
                by_docket &= Q(court__slug=record.court)
            named |= Q(reference__iexact=reference) | by_docket
        query = Review.objects.filter(named)
        if record.regulator and not record.court:
            query = query.filter(regulator__slug=record.regulator)
        reviews = list(query.order_by("pk")[:3])
        if len(reviews) > 1:
            raise Ambiguous(
                f"{record.title}: {len(reviews)} proceedings have the reference "
                f"{', '.join(record.references)}",
                reviews,
            )
        return reviews[0] if reviews else None

    def _queue(
        self,
        result: ItemResult,
        record,
        kind: str,
        summary: str,
        *,
        review=None,
        field="",
        current="",
        proposed="",
        candidates=(),
    ) -> None:
        if propose(
            source=record.source,
            source_id=record.source_id,
            source_url=record.url,
            kind=kind,
            summary=summary,
            record=record.as_json(),
            review=review,
            field=field,
            current=current,
            proposed=proposed,
            candidates=candidates,
        ):
            result.queued.append(summary)


def _notice_body(record: NoticeRecord) -> str:
    lines = [record.abstract] if record.abstract else []
    lines += [f"{doc.title}: {doc.url}" for doc in record.documents if doc.url]
    return "\n".join(lines)


def _roles(deal_type: str, count: int) -> list[PartyRole]:
    if deal_type in ("partnership", "joint_venture"):
        return [PartyRole.PARTNER] * count
    return [PartyRole.ACQUIRER] + [PartyRole.TARGET] * (count - 1)
