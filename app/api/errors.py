"""Every error leaves as one JSON shape: `detail`, `field`, `rule` and the full `errors` list.

Mapped once here, so routes just raise.
"""

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from ..core.errors import RuleError
from .encoding import FastJSONResponse


class ErrorItem(BaseModel):
    field: str
    rule: str
    message: str
    params: dict = Field(
        default_factory=dict, description="The message's numbers and names as data, for pages in other languages."
    )


class ErrorBody(BaseModel):
    """The one error shape, documented so OpenAPI clients (and the fuzz tests) know it."""

    detail: str
    field: str
    rule: str
    errors: list[ErrorItem]
    errors_truncated: int | None = Field(None, description="How many further problems were left out of `errors`.")


ERROR_RESPONSES = {
    413: {"model": ErrorBody, "description": "Body or upload too large"},
    415: {"model": ErrorBody, "description": "Unsupported content type"},
    422: {"model": ErrorBody, "description": "A field breaks a rule"},
}


class ApiError(RuleError):
    """A rule of the HTTP layer (body size, content type, paging...): the base's fields, led by the HTTP status."""

    def __init__(self, status: int, field: str, rule: str, message: str, params: dict | None = None) -> None:
        super().__init__(field, rule, message, params)
        self.status = status


MAX_ERROR_ITEMS = 10  # a reply lists this many problems at most; `errors_truncated` counts the rest
MAX_MESSAGE_CHARS = 300  # a message (and so `detail`) never grows with the input it complains about
MAX_FIELD_CHARS = 120


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def error_response(status: int, items: list[dict], headers: dict | None = None, unlisted: int = 0) -> FastJSONResponse:
    """The one error shape, bounded: at most MAX_ERROR_ITEMS items of bounded length, however bad the input.

    `unlisted` counts problems already dropped before `items` was built; the reply's `errors_truncated` adds them.
    """
    cut = max(len(items) - MAX_ERROR_ITEMS, 0) + unlisted
    items = [
        item | {"field": _clip(item["field"], MAX_FIELD_CHARS), "message": _clip(item["message"], MAX_MESSAGE_CHARS)}
        for item in items[:MAX_ERROR_ITEMS]
    ]
    first = items[0]
    message = first["message"] if first["field"] in ("", "body") else f"{first['field']}: {first['message']}"
    body = {"detail": message, "field": first["field"], "rule": first["rule"], "errors": items}
    if cut:
        body["errors_truncated"] = cut
    return FastJSONResponse(body, status_code=status, headers=headers)


def _item(field: str, rule: str, message: str, params: dict | None = None) -> dict:
    return {"field": field, "rule": rule, "message": message, "params": params or {}}


def _plain(ctx: dict | None) -> dict:
    """Pydantic's error context (limits such as ge, max_length) where it is plain data."""
    return {k: v for k, v in (ctx or {}).items() if isinstance(v, (int, float, str, bool))}


def _field(loc: tuple) -> str:
    """The request field a pydantic location points at, without union-branch labels."""
    parts = []
    for part in loc:
        if part in ("body", "query", "path"):
            continue
        if isinstance(part, int) or (str(part).isidentifier() and str(part) not in _TYPE_TAGS):
            parts.append(str(part))
    return ".".join(parts) or "body"


_TYPE_TAGS = {"int", "str", "float", "bool", "list", "dict", "none"}


def _validation_items(exc: RequestValidationError) -> list[dict]:
    """One item per field: a union type reports each branch, the first says enough."""
    items: dict[str, dict] = {}
    errors = exc.errors()
    for error in errors[:MAX_SCANNED_ERRORS]:
        if error.get("type") == "json_invalid":
            position = error.get("loc", ("body", 0))[-1]
            reason = error.get("ctx", {}).get("error", "")
            items["body"] = _item("body", "json_invalid", f"the body is not valid JSON ({reason} at byte {position})")
            continue
        field = _field(tuple(error.get("loc", ())))
        if error.get("type") == "limit" or items.get(field, {}).get("rule") == "limit":
            # A list too long for this server says so, whichever form of the field it was meant as.
            if items.get(field, {}).get("rule") != "limit":
                items[field] = _item(field, "limit", error.get("msg", "above this server's limit"))
            continue
        if field in items and field in UNION_FORMS:
            items[field] = _item(field, "union_form", f"{field} must be {UNION_FORMS[field]}")
        items.setdefault(
            field, _item(field, error.get("type", "invalid"), error.get("msg", "invalid"), _plain(error.get("ctx")))
        )
    return list(items.values())


MAX_SCANNED_ERRORS = 100  # union types report a few errors per field: enough to name ten fields


# Fields that take several forms: when every form fails, say which forms there are.
UNION_FORMS = {
    "padding": 'a non-negative integer, [ph, pw], [top, bottom, left, right], "same" or "valid"',
    "stride": "a positive integer or [height, width]",
    "dilation": "a positive integer or [height, width]",
    "kernel_size": "a positive integer or [height, width]",
    "output_padding": "a non-negative integer or [height, width]",
    "bias": "a number or a list with one number per filter",
}


async def _on_validation(request: Request, exc: RequestValidationError) -> FastJSONResponse:
    return error_response(422, _validation_items(exc), unlisted=max(len(exc.errors()) - MAX_SCANNED_ERRORS, 0))


async def _on_rule(request: Request, exc: RuleError) -> FastJSONResponse:
    """Every broken rule (the engine's, the HTTP layer's, ...): one item, at the error's own status."""
    return error_response(exc.status, [_item(exc.field, exc.rule, exc.message, exc.params)])


async def _on_http(request: Request, exc: HTTPException) -> FastJSONResponse:
    rule = {404: "not_found", 405: "method_not_allowed", 413: "body_too_large"}.get(exc.status_code, "http_error")
    field = "body" if exc.status_code == 413 else ""
    return error_response(exc.status_code, [_item(field, rule, str(exc.detail))], getattr(exc, "headers", None))


async def _on_unexpected(request: Request, exc: Exception) -> FastJSONResponse:
    # Never a stack trace to the client; the server log has it.
    return error_response(500, [_item("", "internal_error", "internal error")])


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(RuleError, _on_rule)
    app.add_exception_handler(HTTPException, _on_http)
    app.add_exception_handler(Exception, _on_unexpected)
