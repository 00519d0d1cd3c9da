"""Settings from `CONVSCOPE_*` environment variables, validated once at start-up.

Every limit is explicit here so a teacher can raise or lower it without touching code;
a bad value stops the server with a message naming the variable.
"""

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace

from .core.limits import Limits

PREFIX = "CONVSCOPE_"
MIN_SECRET_CHARS = 16
LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")


class SettingsError(ValueError):
    """A setting that cannot be used; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    log_level: str = "info"
    root_path: str = ""  # the path prefix behind a reverse proxy (given to uvicorn by `convscope serve`)
    frame_ancestors: str = "'self'"  # CSP frame-ancestors: who may embed the pages
    cors_origins: tuple[str, ...] = ()  # empty: no cross-origin API access
    max_body_bytes: int = 2 * 1024 * 1024  # JSON request bodies, refused before reading
    max_upload_bytes: int = 10 * 1024 * 1024  # image uploads
    max_image_pixels: int = 25_000_000  # decoded pixels of an upload, checked from its header
    max_image_side: int = 512  # uploads are resized to fit
    max_stream_frames: int = 262_144  # frames in one JSON Lines trace
    max_animation_frames: int = 400  # frames in one rendered GIF/WebP/APNG
    max_animation_pixels: int = 4_000_000  # pixels of one rendered image
    max_animation_total_pixels: int = 60_000_000  # pixels drawn and encoded (first frame + changed rectangles)
    max_fit_steps: int = 500  # gradient-descent steps of one /conv2d/fit request
    secret: str = field(default="", repr=False)  # keys completion codes; empty: random per start-up (see cli.py)
    heavy_requests: int = 2  # per worker: requests above offload.HEAVY_WORK running at once; the rest queue
    header_timeout: int = 10  # seconds for a request's line and headers to arrive, else the connection is closed
    body_timeout: int = 60  # seconds for a request's body to arrive once its headers have
    keep_alive_timeout: int = 5  # seconds an idle kept-alive connection stays open
    limit_concurrency: int = 200  # per worker: connections and requests at once; above it uvicorn answers 503
    limits: Limits = field(default_factory=Limits)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        environ = os.environ if environ is None else environ
        values: dict = {}
        for f in fields(cls):
            if f.name == "limits":
                continue
            raw = environ.get(PREFIX + f.name.upper())
            if raw is not None:
                values[f.name] = _parse(f.name, raw, f.type)
        limit_values = {}
        for f in fields(Limits):
            raw = environ.get(PREFIX + f.name.upper())
            if raw is not None:
                limit_values[f.name] = _parse(f.name, raw, f.type)
        settings = cls(**values, limits=replace(Limits(), **limit_values))
        settings.check()
        return settings

    def check(self) -> None:
        if not 1 <= self.port <= 65535:
            raise SettingsError(f"{PREFIX}PORT must be between 1 and 65535; got {self.port}")
        if self.log_level not in LOG_LEVELS:
            raise SettingsError(f"{PREFIX}LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}; got {self.log_level!r}")
        if self.root_path and (not self.root_path.startswith("/") or self.root_path.endswith("/")):
            raise SettingsError(f"{PREFIX}ROOT_PATH must start with / and not end with one; got {self.root_path!r}")
        for origin in self.cors_origins:
            if origin != "*" and not re.fullmatch(r"https?://[^/\s]+", origin):
                raise SettingsError(
                    f"{PREFIX}CORS_ORIGINS is a comma-separated list of origins like https://course.example"
                    f" (scheme and host, no path or trailing /); got {origin!r}"
                )
        if any(c in self.frame_ancestors for c in ";,\r\n"):
            raise SettingsError(
                f"{PREFIX}FRAME_ANCESTORS is a space-separated source list; got {self.frame_ancestors!r}"
            )
        if self.secret and len(self.secret) < MIN_SECRET_CHARS:
            raise SettingsError(f"{PREFIX}SECRET must be at least {MIN_SECRET_CHARS} characters (a long random string)")
        for name in (
            "workers",
            "max_body_bytes",
            "max_upload_bytes",
            "max_image_pixels",
            "max_image_side",
            "max_stream_frames",
            "max_animation_frames",
            "max_animation_pixels",
            "max_animation_total_pixels",
            "heavy_requests",
            "header_timeout",
            "body_timeout",
            "keep_alive_timeout",
            "limit_concurrency",
            "max_fit_steps",
        ):
            if getattr(self, name) < 1:
                raise SettingsError(f"{PREFIX}{name.upper()} must be at least 1")
        for f in fields(Limits):
            if getattr(self.limits, f.name) < 1:
                raise SettingsError(f"{PREFIX}{f.name.upper()} must be at least 1")


def _parse(name: str, raw: str, kind: object) -> object:
    variable = PREFIX + name.upper()
    if kind in (int, "int"):
        try:
            return int(raw.replace("_", ""))
        except ValueError:
            raise SettingsError(f"{variable} must be a whole number; got {raw!r}") from None
    if kind in (tuple[str, ...], "tuple[str, ...]"):
        return tuple(origin.strip() for origin in raw.split(",") if origin.strip())
    return raw.strip()
