"""Completion codes: the assignment, name, answers, score and time, signed with HMAC-SHA-256.

    CS1-<base64url(flag byte, payload, 16-byte tag)>

The payload is compact JSON (zlib-compressed when that is shorter: the flag byte says which); the tag is
the first 128 bits of HMAC-SHA-256 over a domain label and the flag and payload, keyed with the server's secret
(CONVSCOPE_SECRET). The payload travels inside the code, so checking one needs only the secret. Every
code is canonical base64url: changing any one character changes the bytes, and the tag refuses it.
"""

import base64
import binascii
import hashlib
import hmac
import json
import zlib
from dataclasses import dataclass

PREFIX = "CS1-"
TAG_BYTES = 16
DOMAIN = b"convscope/completion/v1\x00"
MAX_CODE_CHARS = 8192  # a 40-exercise assignment with 64-character answers fits
MAX_PAYLOAD_BYTES = 16_384


@dataclass(frozen=True)
class Completion:
    assignment: str  # the assignment token
    student: str
    answers: tuple[str, ...]
    score: int
    total: int
    finished_at: int  # Unix seconds, the server's clock when the code was made
    seconds: int  # time spent, as the student's page measured it

    def payload(self) -> dict:
        return {
            "a": self.assignment,
            "n": self.student,
            "r": list(self.answers),
            "s": self.score,
            "t": self.total,
            "f": self.finished_at,
            "d": self.seconds,
        }


def _tag(secret: bytes, data: bytes) -> bytes:
    return hmac.new(secret, DOMAIN + data, hashlib.sha256).digest()[:TAG_BYTES]


def issue(completion: Completion, secret: bytes) -> str:
    raw = json.dumps(completion.payload(), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    packed = zlib.compress(raw, 9)
    data = b"\x01" + packed if len(packed) < len(raw) else b"\x00" + raw
    return PREFIX + base64.urlsafe_b64encode(data + _tag(secret, data)).decode("ascii").rstrip("=")


class CodeError(ValueError):
    """Why a code is refused: `unreadable` (not a code at all) or `altered` (the tag does not match)."""

    def __init__(self, status: str, message: str) -> None:
        super().__init__(message)
        self.status = status


def verify(code: str, secret: bytes) -> Completion:
    """The completion a genuine code carries; `CodeError` for anything else."""
    code = code.strip()
    if not code.startswith(PREFIX) or len(code) > MAX_CODE_CHARS:
        raise CodeError("unreadable", "not a ConvScope completion code (they start with CS1-)")
    text = code[len(PREFIX) :]
    try:
        blob = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise CodeError("altered", "the code has characters a code never has: altered or cut short") from None
    if base64.urlsafe_b64encode(blob).decode("ascii").rstrip("=") != text or len(blob) <= TAG_BYTES + 1:
        raise CodeError("altered", "the code has been altered or cut short")
    data, tag = blob[:-TAG_BYTES], blob[-TAG_BYTES:]
    if not hmac.compare_digest(tag, _tag(secret, data)):
        raise CodeError(
            "altered", "the code does not match its signature: altered, or made by a server with another secret"
        )
    raw = data[1:]
    if data[0] == 1:
        inflater = zlib.decompressobj()
        raw = inflater.decompress(raw, MAX_PAYLOAD_BYTES)
        if inflater.unconsumed_tail:
            raise CodeError("altered", "the code's payload is too large")
    p = json.loads(raw.decode("utf-8"))
    return Completion(p["a"], p["n"], tuple(p["r"]), p["s"], p["t"], p["f"], p["d"])
