"""The `convscope` command: `serve` the app (and, offline, render animations)."""

import argparse
import os
import sys
from collections.abc import Sequence

from .config import Settings, SettingsError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="convscope",
        description="ConvScope: convolution and pooling, step by step, with PyTorch's numbers.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = commands.add_parser(
        "serve",
        help="start the web app and REST API",
        description="Start the web app. Every setting can also come from a CONVSCOPE_* environment variable.",
    )
    serve.add_argument("--host", help="address to listen on (CONVSCOPE_HOST, default 127.0.0.1; 0.0.0.0 for a class)")
    serve.add_argument("--port", type=int, help="port (CONVSCOPE_PORT, default 8000)")
    serve.add_argument("--workers", type=int, help="worker processes (CONVSCOPE_WORKERS, default 1)")
    serve.set_defaults(handler=serve_command)
    return parser


def serve_command(args: argparse.Namespace) -> int:
    import uvicorn

    for name in ("host", "port", "workers"):
        value = getattr(args, name)
        if value is not None:
            os.environ[f"CONVSCOPE_{name.upper()}"] = str(value)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"convscope: {exc}", file=sys.stderr)
        return 2
    uvicorn.run(
        "app.main:app",
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_level=settings.log_level,
        proxy_headers=True,
        timeout_graceful_shutdown=30,
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
