"""Refuse oversize request bodies before reading them (413), as JSON like every error."""

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import error_response

UPLOAD_PREFIX = "/api/v1/images/"
MULTIPART_SLACK = 64 * 1024  # room for the form's other fields around an upload


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than this server's limit of {limit:,} bytes")


class BodyLimitMiddleware:
    """Check Content-Length up front and count streamed bytes, so no body grows unbounded."""

    def __init__(self, app: ASGIApp, max_body_bytes: int, max_upload_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_upload_bytes = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_upload = scope["path"].startswith(UPLOAD_PREFIX)
        limit = self.max_upload_bytes + MULTIPART_SLACK if is_upload else self.max_body_bytes
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _refuse(scope, receive, send, limit)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, limited_receive, send)


async def _refuse(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    detail = BodyTooLarge(limit).detail
    response = error_response(413, [{"field": "body", "rule": "body_too_large", "message": detail}])
    response.headers["connection"] = "close"
    await response(scope, receive, send)
