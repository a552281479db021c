"""Signed webhook requests (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature)."""

from __future__ import annotations

import datetime
import json
from typing import TYPE_CHECKING

import urllib3
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from .choices import DeliveryKind
from .outcome import Outcome
from .payloads import event_data, event_type
from .urlguard import CheckedTarget, UnsafeURL, check_webhook_url

if TYPE_CHECKING:
    from .models import Delivery

USER_AGENT = "AntitrustTracker-Webhooks/1"
MAX_RESPONSE_BYTES = 4096


def _json(value) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, separators=(",", ":"), sort_keys=True)


def webhook_body(delivery: Delivery, sent_at: datetime.datetime) -> str:
    if delivery.kind == DeliveryKind.PING:
        payload = {"type": "ping", "data": {"endpoint_id": delivery.endpoint_id}}
    else:
        payload = {"type": event_type(delivery.event), "data": event_data(delivery.event)}
    payload["delivery_id"] = str(delivery.uuid)
    payload["timestamp"] = sent_at.isoformat()
    return _json(payload)


class WebhookBodies:
    """The webhook bodies of a batch: an event's `data` is worked out and put in JSON once,
    and each body is that text with its own delivery id and timestamp around it, the same
    text `webhook_body` gives (keys sorted: data, delivery_id, timestamp, type)."""

    def __init__(self):
        self._data: dict[int, tuple[str, str]] = {}

    def body(self, delivery: Delivery, sent_at: datetime.datetime) -> str:
        if delivery.kind == DeliveryKind.PING:
            return webhook_body(delivery, sent_at)
        if delivery.event_id not in self._data:
            self._data[delivery.event_id] = (
                _json(event_data(delivery.event)),
                _json(event_type(delivery.event)),
            )
        data, kind = self._data[delivery.event_id]
        return (
            f'{{"data":{data},"delivery_id":{_json(str(delivery.uuid))},'
            f'"timestamp":{_json(sent_at.isoformat())},"type":{kind}}}'
        )


def signed_headers(
    secret: str, msg_id: str, sent_at: datetime.datetime, body: str
) -> dict[str, str]:
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": Webhook(secret).sign(msg_id, sent_at.astimezone(datetime.UTC), body),
    }


class WebhookPools:
    """HTTP connections kept open across the webhooks of one batch, one per vetted
    address, so a batch to one receiver pays for one TCP (and TLS) handshake."""

    def __init__(self):
        self._pools: dict[tuple, urllib3.HTTPConnectionPool] = {}

    @staticmethod
    def _key(target: CheckedTarget) -> tuple:
        return (target.scheme, target.address, target.port, target.host)

    def get(self, target: CheckedTarget) -> urllib3.HTTPConnectionPool:
        pool = self._pools.get(self._key(target))
        if pool is None:
            pool = self._pools[self._key(target)] = _new_pool(target)
        return pool

    def drop(self, target: CheckedTarget) -> None:
        pool = self._pools.pop(self._key(target), None)
        if pool is not None:
            pool.close()

    def close(self) -> None:
        for pool in self._pools.values():
            pool.close()
        self._pools.clear()


def _new_pool(target: CheckedTarget) -> urllib3.HTTPConnectionPool:
    timeout = urllib3.Timeout(
        connect=settings.WEBHOOK_TIMEOUT_SECONDS, read=settings.WEBHOOK_TIMEOUT_SECONDS
    )
    # Connect to the vetted address, while TLS still checks the certificate for the name.
    if target.scheme == "https":
        return urllib3.HTTPSConnectionPool(
            target.address,
            target.port,
            server_hostname=target.host,
            assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED",
            timeout=timeout,
            retries=False,
            maxsize=1,
        )
    return urllib3.HTTPConnectionPool(
        target.address, target.port, timeout=timeout, retries=False, maxsize=1
    )


def send_webhook(delivery: Delivery, pools: WebhookPools, bodies: WebhookBodies):
    endpoint = delivery.endpoint
    try:
        # Checked again at send time: the name may resolve elsewhere than when it was saved.
        target = check_webhook_url(endpoint.url)
    except UnsafeURL as exc:
        return Outcome(ok=False, error=str(exc))

    sent_at = timezone.now().replace(microsecond=0)
    body = bodies.body(delivery, sent_at)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Host": target.host if target.port in (80, 443) else f"{target.host}:{target.port}",
        **signed_headers(endpoint.secret, delivery.webhook_id, sent_at, body),
    }
    pool = pools.get(target)
    try:
        response = pool.urlopen(
            "POST",
            target.path,
            body=body.encode(),
            headers=headers,
            redirect=False,
            retries=False,
            preload_content=False,
        )
        response.read(MAX_RESPONSE_BYTES, decode_content=False)
        if response.length_remaining == 0:
            response.release_conn()  # read to the end: the connection can carry the next webhook
        else:
            response.close()
            pools.drop(target)
    except urllib3.exceptions.HTTPError as exc:
        pools.drop(target)
        return Outcome(ok=False, error=f"{type(exc).__name__}: {exc}"[:500])

    status = response.status
    if 200 <= status < 300:
        return Outcome(ok=True, status_code=status)
    if 300 <= status < 400:
        return Outcome(
            ok=False, status_code=status, error=f"HTTP {status}: redirects are not followed."
        )
    # 410 Gone: the receiver says it will never take this; stop retrying.
    return Outcome(ok=False, status_code=status, error=f"HTTP {status}", retryable=status != 410)
