"""The one error base: a broken rule with the field it is about, and the engine's own kind of it.

No web framework here: the API maps every `RuleError` to its JSON shape with one handler
(app/api/errors.py), using `status` for the HTTP status.
"""


class RuleError(ValueError):
    """A broken rule, told as a sentence a student can act on.

    `field` names the request field at fault and `rule` is a short stable identifier,
    so that callers can map it onto their own error format. `params` carries the sentence's
    numbers and names as data, so a page can say the same in its own language. `status` is
    the HTTP status a web layer answers with (422 unless a subclass says otherwise).
    """

    status: int = 422

    def __init__(self, field: str, rule: str, message: str, params: dict | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.rule = rule
        self.message = message
        self.params = params


class EngineError(RuleError):
    """The exception the engine raises for a configuration PyTorch would refuse."""
