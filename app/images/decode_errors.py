"""The error for an upload we will not decode (no web framework here; the API's one RuleError handler maps it)."""

from ..core.errors import RuleError


class ImageRejected(RuleError):
    """An upload we will not decode: 413 (too large), 415 (not an image we take) or 422 (broken), on `image`.

    The status comes first because every decoder refusal picks one; the rest is RuleError's field, rule,
    message and params, so the page renders it in its own language like any other error.
    """

    def __init__(self, status: int, rule: str, message: str, field: str = "image", params: dict | None = None) -> None:
        super().__init__(field, rule, message, params)
        self.status = status
