"""What a picture shows, independent of pixels: grids, and for each step the window and its arithmetic.

A `Scene` is built from an engine result (conv or pool) so the renderer draws exactly the
frames the JSON API returns: same order (row-major over map, row, column), same taps
(origin + dilation × index, in padded coordinates), same values.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

import numpy as np

from ..core.conv import ConvResult, conv_frames
from ..core.pool import PoolResult, pool_frames
from ..core.transpose import TransposeResult
from .captions import text
from .numbers import factor, format_number

DETAILED_MAX_LINES = 6  # more rows of products than this and the caption sums them up
DETAILED_MAX_TERMS = 7  # products on one caption line
CHUNK = 256  # steps built from vectorised frames at a time


@dataclass(frozen=True)
class Step:
    """One kernel position. Coordinates are in the padded grid; `out` is (map, row, col)."""

    index: int
    out: tuple[int, int, int]
    channels: tuple[int, ...]  # input channels the window reads
    rows: tuple[int, ...]  # tap rows
    cols: tuple[int, ...]  # tap columns
    weights: np.ndarray | None  # len(channels)×kh×kw kernel values at the taps (conv)
    winner: tuple[int, int, int] | None  # (channel, row, col) max pooling picked
    value: float  # what the output cell shows
    caption: tuple[str, ...]


@dataclass(frozen=True)
class Scene:
    """`grids` C×Hp×Wp input values (NaN: no value), `padding` Hp×Wp True where a cell is padding,
    `output` M×Ho×Wo values the output maps end with, `kind` the layer ("conv2d", "pool2d",
    "conv_transpose2d"), `padding_note` the caption key of what the input label adds when there is
    padding, `lang` the language of every word drawn (a key of `captions.CATALOGUE`)."""

    kind: str
    grids: np.ndarray
    padding: np.ndarray
    output: np.ndarray
    caption_lines: int
    steps_of: Callable[[int, int], Iterator[Step]]
    padding_note: str = "note_padded"  # a caption key
    lang: str = "en"

    @property
    def step_count(self) -> int:
        return self.output.size

    def steps(self, start: int, stop: int) -> Iterator[Step]:
        for begin in range(start, stop, CHUNK):
            yield from self.steps_of(begin, min(stop, begin + CHUNK))


def _header(lang: str, index: int, total: int, out: tuple[int, int, int], maps: int, map_name: str) -> str:
    key = f"where_{map_name}" if maps > 1 else "where"
    where = text(lang, key, row=out[1], col=out[2], map=out[0])
    return text(lang, "step", n=index + 1, total=total, where=where)


def conv_scene(result: ConvResult, lang: str = "en") -> Scene:
    filters, cpg, kh, kw = result.weight.shape
    _, hp, wp = result.padded.shape
    top, bottom, left, right = result.padding
    rows, cols = np.arange(hp), np.arange(wp)
    padding = ((rows < top) | (rows >= hp - bottom))[:, None] | ((cols < left) | (cols >= wp - right))[None, :]
    detailed = cpg * kh <= DETAILED_MAX_LINES and kw <= DETAILED_MAX_TERMS
    total = result.frame_count
    per_group = filters // result.groups

    def caption(index: int, out: tuple, window: np.ndarray, weights: np.ndarray, f: dict, n: int) -> tuple:
        lines = [_header(lang, index, total, out, filters, "filter")]
        if detailed:
            for c in range(cpg):
                for r in range(kh):
                    terms = " + ".join(f"{factor(x)}·{factor(w)}" for x, w in zip(window[c, r], weights[c, r]))
                    lines.append(("   " if c == r == 0 else "+ ") + terms)
        else:
            value = format_number(f["products_sum"][n])
            lines.append(text(lang, "products_sum", count=cpg * kh * kw, value=value))
        tail = f"= {format_number(f['value'][n])}"
        bias = float(f["bias"][n])
        if bias:
            tail = text(lang, "bias", bias=factor(bias)) + tail
        if result.activation != "none":
            tail += f";  {result.activation}({format_number(f['value'][n])}) = {format_number(f['activated'][n])}"
        lines.append(tail)
        return tuple(lines)

    def steps_of(start: int, stop: int) -> Iterator[Step]:
        f = conv_frames(result, start, stop)
        f["products_sum"] = f["channel_sums"].sum(axis=1)
        for n in range(stop - start):
            out = tuple(int(v) for v in f["out"][n])
            group = out[0] // per_group
            weights = result.weight[out[0]]
            r0, c0 = (int(v) for v in f["origin"][n])
            yield Step(
                index=start + n,
                out=out,
                channels=tuple(range(group * cpg, (group + 1) * cpg)),
                rows=tuple(r0 + result.dilation[0] * k for k in range(kh)),
                cols=tuple(c0 + result.dilation[1] * k for k in range(kw)),
                weights=weights,
                winner=None,
                value=float(f["activated"][n]),
                caption=caption(start + n, out, f["window"][n], weights, f, n),
            )

    return Scene(
        kind="conv2d",
        grids=result.padded,
        padding=padding,
        output=result.output,
        caption_lines=2 + (cpg * kh if detailed else 1),
        steps_of=steps_of,
        lang=lang,
    )


def pool_scene(result: PoolResult, lang: str = "en") -> Scene:
    channels = result.output.shape[0]
    kh, kw = result.kernel
    padding = np.isnan(result.padded[0])
    ph, pw = result.padding
    total = result.frame_count
    detailed = kh * kw <= 12

    def caption(index: int, out: tuple, window: np.ndarray, f: dict, n: int) -> tuple:
        real = [format_number(v) for v in window.ravel() if not np.isnan(v)]
        value = format_number(float(f["value"][n]))
        if result.mode == "max":
            body = f"max({', '.join(real)})" if detailed else text(lang, "max_of", count=len(real))
        else:
            divisor = format_number(float(f["divisor"][n]))
            summed = text(lang, "sum_over", sum=format_number(f["sum"][n]), divisor=divisor)
            body = f"({' + '.join(real)}) / {divisor}" if detailed else summed
        return (_header(lang, index, total, out, channels, "channel"), f"{body} = {value}")

    def steps_of(start: int, stop: int) -> Iterator[Step]:
        f = pool_frames(result, start, stop)
        for n in range(stop - start):
            out = tuple(int(v) for v in f["out"][n])
            r0, c0 = (int(v) for v in f["origin"][n])
            winner = None
            if f["argmax"] is not None and f["argmax"][n][0] >= 0:
                winner = (out[0], int(f["argmax"][n][0]) + ph, int(f["argmax"][n][1]) + pw)
            yield Step(
                index=start + n,
                out=out,
                channels=(out[0],),
                rows=tuple(r0 + result.dilation[0] * k for k in range(kh)),
                cols=tuple(c0 + result.dilation[1] * k for k in range(kw)),
                weights=None,
                winner=winner,
                value=float(f["value"][n]),
                caption=caption(start + n, out, f["window"][n], f, n),
            )

    return Scene(
        kind="pool2d",
        grids=result.padded,
        padding=padding,
        output=result.output,
        caption_lines=2,
        steps_of=steps_of,
        lang=lang,
    )


def transpose_scene(result: TransposeResult, lang: str = "en") -> Scene:
    """The direct view of a transposed convolution: a stride-1 convolution over the stretched input.

    Every cell that is not an input value (the zeros inserted between cells and the padding
    around them) is marked as padding, so the picture shows where the input spread out.
    """
    _, hp, wp = result.direct.padded.shape
    real = []
    for axis, size, stride in ((result.height, hp, result.stride[0]), (result.width, wp, result.stride[1])):
        at = np.arange(size) - axis.pad_before  # index into the zero-inserted input
        real.append((at >= 0) & (at < axis.inserted) & (at % stride == 0))
    padding = ~(real[0][:, None] & real[1][None, :])
    return replace(
        conv_scene(result.direct, lang), kind="conv_transpose2d", padding=padding, padding_note="note_inserted"
    )
