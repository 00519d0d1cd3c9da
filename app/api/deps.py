"""Shared dependencies: the settings the app was started with."""

from typing import Annotated

from fastapi import Depends, Request

from ..config import Settings


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]
"""What a route asks for to read the app's settings (one spelling instead of one per route)."""
