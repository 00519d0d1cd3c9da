"""A route class for JSON endpoints: only `application/json` bodies, parsed by orjson, validated off the loop.

Refusing other content types (415) means no HTML form can post to the API (no CSRF through
simple requests). orjson also refuses NaN/Infinity literals and nesting deeper than 1,024
levels, so hostile JSON fails fast as a 422 instead of exhausting the stack.

A 2 MB body takes tens of milliseconds (seconds, before lists were bounded) to parse and
validate, so anything above a few kilobytes is parsed and validated in the thread pool, with
the server's limits as pydantic's validation context (lists are refused by their length
before any item is looked at); FastAPI then receives the validated model, which it does not
validate again.
"""

from collections.abc import Callable, Coroutine
from typing import Any

import orjson
from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError

from ..core.limits import Limits
from . import offload
from .errors import ApiError


class _OrjsonRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = orjson.loads(await self.body())
        return self._json


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


def json_budget(limits: Limits) -> dict[bytes, tuple[int, str]]:
    """How many objects, arrays and strings any valid request can hold, from the limits.

    Building Python objects is what parsing costs (a number is cheap; 699,000 `{}` took a third of a
    second, holding the interpreter lock); counting the bytes that open them takes a millisecond.
    Arrays: every row of an input (at most its cells) and of a kernel (filters × channels × side + 1).
    """
    kernel_rows = limits.max_filters * limits.max_channels * (limits.max_kernel_size + 1)
    return {
        b"{": (4 * limits.max_layers + 16, "JSON objects"),
        b"[": (limits.max_input_cells + kernel_rows + 4 * limits.max_layers + 1_024, "JSON arrays"),
        b'"': (2 * (24 * limits.max_layers + 256), "string quotes"),
    }


def check_json_budget(raw: bytes, limits: Limits) -> None:
    """Refuse a body by its bytes before parsing: more containers or strings than any request needs."""
    for token, (most, what) in json_budget(limits).items():
        count = raw.count(token)
        if count > most:
            raise ApiError(
                422,
                "body",
                "json_too_complex",
                f"the body holds {count:,} {what}; no request to this server needs more than {most:,}",
            )


def parse_body(raw: bytes, model: type[BaseModel], limits: Limits) -> BaseModel:
    """The request model from raw JSON bytes, or the RequestValidationError FastAPI itself would raise."""
    check_json_budget(raw, limits)
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        error = {"type": "json_invalid", "loc": ("body", exc.pos), "msg": "JSON decode error", "input": {}}
        raise RequestValidationError([error | {"ctx": {"error": exc.msg}}]) from None
    try:
        return model.model_validate(data, context={"limits": limits})
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False, include_context=True)
        raise RequestValidationError([e | {"loc": ("body", *e["loc"])} for e in errors]) from None


def _body_model(route: APIRoute) -> type[BaseModel] | None:
    annotation = route.body_field.field_info.annotation if route.body_field is not None else None
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


class JSONRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        model = _body_model(self)

        async def handle(request: Request) -> Response:
            if request.method in ("POST", "PUT", "PATCH") and not _is_json(request.headers.get("content-type", "")):
                raise ApiError(
                    415,
                    "content-type",
                    "application_json",
                    "send the body as JSON with the header Content-Type: application/json",
                )
            parsed = _OrjsonRequest(request.scope, request.receive)
            if model is not None:
                raw = await parsed.body()
                if raw:
                    limits = request.app.state.settings.limits
                    if len(raw) <= offload.INLINE_BODY_BYTES:
                        parsed._json = parse_body(raw, model, limits)
                    else:
                        parsed._json = await offload.run(parse_body, raw, model, limits, work=len(raw))
            return await handler(parsed)

        return handle
