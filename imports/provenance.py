"""Reading and writing where an imported object came from."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from .models import Provenance, SeenEntry


def find(model, source: str, source_id: str) -> Provenance | None:
    return Provenance.objects.filter(
        content_type=ContentType.objects.get_for_model(model), source=source, source_id=source_id
    ).first()


def is_tracked(obj) -> bool:
    return Provenance.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).exists()


def remember(obj, source: str, source_id: str, url: str, values: dict | None = None) -> Provenance:
    provenance, _ = Provenance.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(obj),
        source=source,
        source_id=source_id,
        defaults={
            "object_id": obj.pk,
            "url": url,
            "read_at": timezone.now(),
            "imported_values": values or {},
        },
    )
    return provenance


def remember_new(source: str, items: list[tuple]) -> None:
    """Provenance for objects read for the first time under these keys, in one insert: each item
    is (object, source id, url) or (object, source id, url, imported values)."""
    if not items:
        return
    now = timezone.now()
    Provenance.objects.bulk_create(
        [
            Provenance(
                content_type=ContentType.objects.get_for_model(obj),
                object_id=obj.pk,
                source=source,
                source_id=source_id,
                url=url[:500],
                read_at=now,
                imported_values=values[0] if values else {},
            )
            for obj, source_id, url, *values in items
        ]
    )


def seen_fingerprints(source: str) -> dict[str, str]:
    return dict(SeenEntry.objects.filter(source=source).values_list("source_id", "fingerprint"))


def mark_seen(source: str, source_id: str, fingerprint: str, *, seen_before: bool) -> None:
    now = timezone.now()
    if seen_before:
        SeenEntry.objects.filter(source=source, source_id=source_id).update(
            fingerprint=fingerprint, seen_at=now
        )
    else:
        SeenEntry.objects.create(
            source=source, source_id=source_id, fingerprint=fingerprint, seen_at=now
        )
