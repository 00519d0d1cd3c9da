"""The `convscope` command: `serve` the app (and, offline, render animations)."""

import argparse
import os
import secrets
import sys
import textwrap
from collections.abc import Sequence

from .config import Settings, SettingsError
from .render.captions import LANGS


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
    add_render_parser(commands)
    return parser


def serve_command(args: argparse.Namespace) -> int:
    import uvicorn

    for name in ("host", "port", "workers"):
        value = getattr(args, name)
        if value is not None:
            os.environ[f"CONVSCOPE_{name.upper()}"] = str(value)
    # One BLAS thread per worker: requests already run side by side (workers, the PNG threads),
    # and more BLAS threads than cores made an image request slower, not faster.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"convscope: {exc}", file=sys.stderr)
        return 2
    if not settings.secret:
        # One random secret for every worker of this server (they inherit the environment): completion codes
        # then verify on any worker, but not after a restart.
        os.environ["CONVSCOPE_SECRET"] = secrets.token_urlsafe(32)
        print(
            "convscope: warning: CONVSCOPE_SECRET is not set; completion codes are signed with a random secret "
            "made at start-up and will not verify after a restart",
            file=sys.stderr,
        )
    uvicorn.run(
        "app.main:app",
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_level=settings.log_level,
        proxy_headers=True,
        root_path=settings.root_path,
        http="app.protocol:GuardedH11Protocol",  # closes connections whose headers or body stall
        timeout_keep_alive=settings.keep_alive_timeout,
        limit_concurrency=settings.limit_concurrency,
        server_header=False,  # no `server: uvicorn` banner
        timeout_graceful_shutdown=30,
        # uvicorn kills a worker that misses a 5 s ping, dropping its requests; a busy classroom laptop can be that
        # slow without anything being wrong, so only a worker silent for half a minute counts as hung.
        timeout_worker_healthcheck=30,
    )
    return 0


RENDER_EPILOG = """\
matrices:
  inline       rows separated by ';', numbers by ','    --input "1,2,3;4,5,6;7,8,9"
  CSV file     one row per line                          --input @grid.csv
  JSON file    nested lists; C×H×W for several channels  --input @rgb.json
  image        grayscale 0..255, shrunk to --max-side     --image photo.png
  preset       a kernel by name:
%(presets)s

the output's extension picks the format: .gif, .webp, .apng (or .png: an animated PNG);
with --still the file is a single PNG. Limits come from CONVSCOPE_MAX_ANIMATION_* variables.

examples:
  convscope render --input "1,2,3;4,5,6;7,8,9" --kernel "1,0;0,-1" --stride 2 --padding 1 -o conv.gif
  convscope render --input @grid.csv --kernel sobel_x --padding same --theme dark -o edges.webp
  convscope render --image cat.png --max-side 12 --kernel box_blur --still final -o blurred.png
  convscope render --input @grid.csv --pool max --kernel-size 2 -o maxpool.gif
  convscope render --input @grid.csv --kernel @k.json --dilation 2 --still 3 -o step3.png
  convscope render --input "1,2;3,4" --kernel "1,1;1,1" --transpose --stride 2 -o upsample.gif
"""


def add_render_parser(commands: argparse._SubParsersAction) -> None:
    from .core.activations import ACTIVATIONS
    from .core.kernels import PRESETS
    from .core.padding import PADDING_MODES
    from .core.pool import POOL_MODES

    render = commands.add_parser(
        "render",
        help="draw a convolution or pooling step by step as a GIF, WebP, APNG or PNG (offline)",
        description="Draw a layer step by step, as the web app does: the padded input, the kernel window,\n"
        "the output filling in and the arithmetic of each step. Runs offline; no server needed.",
        epilog=RENDER_EPILOG
        % {
            "presets": textwrap.fill(
                ", ".join(p.name for p in PRESETS), 90, initial_indent=" " * 15, subsequent_indent=" " * 15
            )
        },
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    render.error = lambda message: _fail(f"render: {message} (see convscope render --help)")
    source = render.add_argument_group("input (one of)").add_mutually_exclusive_group(required=True)
    source.add_argument("--input", metavar="MATRIX", help="the input matrix: inline, @file.csv or @file.json")
    source.add_argument("--image", metavar="FILE", help="a picture, turned into grayscale numbers 0..255")
    render.add_argument("--max-side", type=int, default=32, help="shrink --image to at most this many cells a side")

    layer = render.add_argument_group("the layer (convolution unless --pool)")
    layer.add_argument("--kernel", metavar="MATRIX", help="the kernel: inline, @file, or a preset name")
    layer.add_argument("--pool", choices=POOL_MODES, help="pool instead of convolving")
    layer.add_argument(
        "--transpose", action="store_true", help="transposed convolution, drawn as zeros inserted, padded, convolved"
    )
    layer.add_argument("--output-padding", metavar="P", default="0", help="transposed: extra rows/columns at the end")
    layer.add_argument("--kernel-size", metavar="K", default="2", help="pooling window: 2 or 3,2 (default 2)")
    layer.add_argument("--stride", metavar="S", help="2 or 2,1 (default 1; pooling: the kernel size)")
    layer.add_argument("--padding", metavar="P", default="0", help="1, 1,2, 1,1,2,2 (top,bottom,left,right), same")
    layer.add_argument("--dilation", metavar="D", default="1", help="gap between taps: 2 or 2,1 (default 1)")
    layer.add_argument("--bias", metavar="B", default="0", help="one number, or one per filter: 0.5 or 1,-1")
    layer.add_argument("--padding-mode", choices=PADDING_MODES, default="zeros")
    layer.add_argument("--groups", type=int, default=1, help="grouped convolution (default 1)")
    layer.add_argument("--flip-kernel", action="store_true", help="flip the kernel: a true convolution")
    layer.add_argument("--activation", choices=tuple(ACTIVATIONS), default="none")
    layer.add_argument("--ceil-mode", action="store_true", help="pooling: keep a window that overhangs the edge")
    layer.add_argument("--exclude-padding", action="store_true", help="avg pooling: do not count padding cells")

    picture = render.add_argument_group("the picture")
    picture.add_argument("-o", "--output", required=True, metavar="FILE", help="where to write (- for stdout)")
    picture.add_argument("--format", choices=("gif", "webp", "apng"), help="override the extension's format")
    picture.add_argument("--still", metavar="N|final", help="one PNG: step N (0-based) or the final state")
    picture.add_argument("--frame-ms", type=int, default=500, help="milliseconds per step, 20..5000 (default 500)")
    picture.add_argument("--cell-px", type=int, default=48, help="cell size in pixels, 16..128 (default 48)")
    picture.add_argument("--theme", choices=("light", "dark"), default="light")
    picture.add_argument("--lang", choices=LANGS, default="en", help="language of the caption and labels")
    picture.add_argument("--no-numbers", action="store_true", help="leave the numbers out of the cells")
    picture.add_argument("--no-caption", action="store_true", help="leave the arithmetic out")
    picture.add_argument("--first-step", type=int, default=0, metavar="N", help="start the animation at step N")
    picture.add_argument("--steps", type=int, metavar="N", help="animate at most N steps")
    render.set_defaults(handler=render_command)


def _fail(message: str) -> None:
    print(f"convscope: {message}", file=sys.stderr)
    sys.exit(2)


def render_command(args: argparse.Namespace) -> int:
    from .core.errors import RuleError
    from .render.sources import SourceError
    from .render_command import run_render

    try:
        summary = run_render(args)
    except (RuleError, SourceError, OSError) as exc:
        print(f"convscope: {_one_line(exc)}", file=sys.stderr)
        return 2
    if summary:
        print(summary)
    return 0


# The engine names API fields; on the command line the same thing is an option.
OPTION_OF_FIELD = {"frame_limit": "--steps", "frame_start": "--first-step", "global": "--kernel-size"}


def _one_line(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.strerror or exc}: {exc.filename}"
    text = " ".join(str(exc).split())
    field = getattr(exc, "field", None)
    if not field:
        return text
    return f"{OPTION_OF_FIELD.get(field, '--' + field.replace('_', '-'))}: {text}"


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
