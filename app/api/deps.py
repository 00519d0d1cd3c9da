"""Shared dependencies: the settings and limits the app was started with."""

from fastapi import Request

from ..config import Settings
from ..core.limits import Limits


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_limits(request: Request) -> Limits:
    return request.app.state.settings.limits
