"""The signature on every delivery, so that a receiver knows it comes from us, unaltered and
recent:

    X-Cuilong-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, f"{t}.{body}")>

The timestamp is inside what is signed, so an old delivery captured on the way cannot be
replayed later with a fresh one; a receiver refuses a `t` older than its tolerance.
"""

import hashlib
import hmac

SIGNATURE_HEADER = "X-Cuilong-Signature"
EVENT_HEADER = "X-Cuilong-Event"
DELIVERY_HEADER = "X-Cuilong-Delivery"
TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, *, timestamp: int) -> str:
    """The signature header's value for `body` sent at `timestamp`."""
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def parse(header: str) -> tuple[int | None, list[str]]:
    """The timestamp and the v1 signatures of a header (several while a secret changes)."""
    timestamp, signatures = None, []
    for part in header.split(","):
        key, _sep, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1" and value:
            signatures.append(value)
    return timestamp, signatures


def verify(
    secret: str, body: bytes, header: str, *, now: float, tolerance: int = TOLERANCE_SECONDS
) -> bool:
    """Whether `header` signs `body` with `secret` at a time within `tolerance` of `now`."""
    timestamp, signatures = parse(header or "")
    if timestamp is None or abs(now - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body)
    return any(hmac.compare_digest(expected, candidate) for candidate in signatures)
