"""The one exception the engine raises for a configuration PyTorch would refuse."""


class EngineError(ValueError):
    """A broken rule, told as a sentence a student can act on.

    `field` names the request field at fault and `rule` is a short stable identifier,
    so that callers can map it onto their own error format. `params` carries the sentence's
    numbers and names as data, so a page can say the same in its own language.
    """

    def __init__(self, field: str, rule: str, message: str, params: dict | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.rule = rule
        self.message = message
        self.params = params
