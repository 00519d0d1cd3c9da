"""A route class for JSON endpoints: only `application/json` bodies, parsed by orjson.

Refusing other content types (415) means no HTML form can post to the API (no CSRF through
simple requests). orjson also refuses NaN/Infinity literals and nesting deeper than 1,024
levels, so hostile JSON fails fast as a 422 instead of exhausting the stack.
"""

from collections.abc import Callable, Coroutine
from typing import Any

import orjson
from fastapi import Request, Response
from fastapi.routing import APIRoute

from .errors import ApiError


class _OrjsonRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = orjson.loads(await self.body())
        return self._json


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


class JSONRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            if request.method in ("POST", "PUT", "PATCH") and not _is_json(request.headers.get("content-type", "")):
                raise ApiError(
                    415,
                    "content-type",
                    "application_json",
                    "send the body as JSON with the header Content-Type: application/json",
                )
            return await handler(_OrjsonRequest(request.scope, request.receive))

        return handle
