"""The ASGI app: routers, static files, error mapping and middleware, wired once.

`app` is built from the environment's settings; tests build their own with `create_app`.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware
from starlette.types import ASGIApp

from . import __version__
from .api import offload
from .api.body_limit import BodyLimitMiddleware
from .api.errors import install_error_handlers
from .api.routes import (
    animation,
    backward,
    conv,
    docs,
    images,
    lessons,
    meta,
    network,
    pages,
    pool,
    practice,
    transpose,
)
from .api.security import SecurityHeadersMiddleware
from .config import Settings
from .drain import wait_until_sent
from .paths import STATIC

# Text answers (JSON, HTML, JS, CSS) above a kilobyte go gzipped: a classroom's Wi-Fi is shared by thirty.
# Level 1: most of the gain for a fraction of the CPU (the Image lab's base64 maps barely compress further).
# JSON Lines streams stay as they are, so every frame leaves as soon as it is computed.
GZIP_MINIMUM_BYTES = 1000
DRAIN_SECONDS = 10  # at shutdown, at most this long for the kernel to send what responses wrote (app/drain.py)
GZIP_LEVEL = 1
GZIP_EXCLUDED = (*DEFAULT_EXCLUDED_CONTENT_TYPES, "application/jsonl", "image/apng")


class ConvScope(FastAPI):
    """FastAPI with the security headers outermost, so that even the 500 answer carries them.

    Starlette sends that answer from its ServerErrorMiddleware, outside every middleware added with add_middleware.
    """

    def build_middleware_stack(self) -> ASGIApp:
        frame_ancestors = self.state.settings.frame_ancestors
        return SecurityHeadersMiddleware(super().build_middleware_stack(), frame_ancestors=frame_ancestors)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        await wait_until_sent(settings.port, DRAIN_SECONDS)  # the last bytes of streams reach their readers

    app = ConvScope(
        lifespan=lifespan,
        title="ConvScope",
        version=__version__,
        summary="Convolution and pooling, step by step, with PyTorch's numbers.",
        docs_url=None,  # served by routes/docs.py from vendored Swagger UI: offline, under the strict CSP
        redoc_url=None,
    )
    app.state.settings = settings
    offload.configure(settings.heavy_requests)
    install_error_handlers(app)
    for module in (meta, conv, pool, backward, transpose, network, animation, images, pages, lessons, docs, practice):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(
        BodyLimitMiddleware, max_body_bytes=settings.max_body_bytes, max_upload_bytes=settings.max_upload_bytes
    )
    app.add_middleware(
        GZipMiddleware,
        minimum_size=GZIP_MINIMUM_BYTES,
        compresslevel=GZIP_LEVEL,
        exclude_content_types=GZIP_EXCLUDED,
    )
    if settings.cors_origins:  # added last, so outside the body limit: an allowed origin can read a 413 too
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["*"],
        )
    return app


app = create_app()
