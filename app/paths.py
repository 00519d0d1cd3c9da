"""Where the app's files live: the checkout's root, with templates/ and static/ beside app/."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static"
