"""The error for an upload we will not decode (no web framework here; the API maps it)."""


class ImageRejected(ValueError):
    """An upload we will not decode; `status` is the HTTP status the web layer should use."""

    def __init__(self, status: int, rule: str, message: str, field: str = "image", params: dict | None = None) -> None:
        super().__init__(message)
        self.status, self.rule, self.message, self.field = status, rule, message, field
        self.params = params
