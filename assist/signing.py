"""HMAC-SHA256 signatures: the one place requests to and from other systems are signed and checked.

Outgoing webhooks sign the body; incoming intake requests sign "<timestamp>.<path>.<body>", so a captured
request cannot be replayed outside the time window (the scheme Stripe and Slack use) nor sent to another URL
(another ticket's follow-up route, or a new ticket's body to the follow-up route). The path is the URL's path,
percent-decoded, without the query: `/api/tickets/ZD-1/messages`.
"""

from __future__ import annotations

import hashlib
import hmac

from assist.errors import AssistError


class SignatureError(AssistError):
    """The request is unsigned, signed with another key, or too old."""


def signature(secret: str, payload: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()


def timestamped(timestamp: str, path: str, body: bytes) -> bytes:
    return f"{timestamp}.{path}.".encode() + body


def verify(
    secret: str, *, signed: str | None, timestamp: str | None, path: str, body: bytes, now: float, window_s: int
) -> None:
    """Raise SignatureError unless `signed` is the signature of timestamp.path.body and the timestamp is recent."""
    if not signed or not timestamp:
        raise SignatureError("Sign the request: X-Assist-Timestamp and X-Assist-Signature headers are required.")
    # Unix seconds: ten or so digits (a 400-digit "timestamp" overflowed the float comparison).
    if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
        raise SignatureError("X-Assist-Timestamp must be Unix seconds.")
    sent = int(timestamp)
    if abs(now - sent) > window_s:
        raise SignatureError(
            f"The request's timestamp is {abs(now - sent):.0f} s away from now (the limit is {window_s} s): "
            "sign each delivery when it is sent, and check the sender's clock."
        )
    if not hmac.compare_digest(signed.strip(), signature(secret, timestamped(timestamp, path, body))):
        raise SignatureError(
            "The signature does not match: sign timestamp + '.' + the URL path + '.' + body with the shared secret."
        )
