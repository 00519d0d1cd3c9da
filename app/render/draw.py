"""Draw frames with Pillow: the static picture once, then per step only what changes.

`Painter` keeps a "progress" image (the base plus every output cell computed so far); a
frame is a copy of it with the kernel window, the current output cell and the caption on
top. So a frame costs a copy and a few dozen cells, whatever the size of the grids.

For animations `deltas()` goes further: after the first whole frame it yields only the
rectangle that changed (last step's window and cell put back, this step's drawn), so
drawing, encoding and the pixel budget all scale with what moves, not with the canvas.
"""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from .captions import text as caption_text
from .layout import Box, Layout, make_layout
from .numbers import factor, format_number
from .palette import INK_ON_ACCENT, RGB, THEMES, Theme
from .scene import Scene, Step
from .text import caption_face, caption_font, fitted


@dataclass(frozen=True)
class RenderOptions:
    cell_px: int = 48
    show_numbers: bool = True
    theme: str = "light"
    caption: bool = True


CELL_CACHE = 4096  # drawn cells kept for reuse (a tap is drawn again at every step that reads it)


class Painter:
    def __init__(self, scene: Scene, options: RenderOptions, steps: Sequence[Step]) -> None:
        self.scene, self.options, self.steps = scene, options, steps
        self.theme: Theme = THEMES[options.theme]
        cell = options.cell_px
        self.cell = cell
        self.weights_shown = options.show_numbers and scene.kind != "pool2d" and cell >= 32
        self.value_size = round(cell * (0.37 if self.weights_shown else 0.42))
        self.weight_size = round(cell * 0.24)
        self.caption_face = caption_face(max(11, round(cell * 0.32)), scene.lang)
        self.label_font = caption_font(max(11, round(cell * 0.3)), scene.lang)
        lines = scene.caption_lines if options.caption else 0
        texts = [self._final_caption(), *(line for s in steps for line in s.caption)]
        width = max(map(advance_bound(self.caption_face), texts))
        self.layout: Layout = make_layout(
            cell, scene.grids.shape, scene.output.shape, lines, round(width) if options.caption else 0
        )
        self.tiles = self._tiles()
        self.cells: dict[tuple, Image.Image] = {}
        self.progress: Image.Image | None = None

    def size(self) -> tuple[int, int]:
        return self.layout.width, self.layout.height

    def deltas(self) -> Iterator[tuple[Box, list[tuple[Box, Image.Image]]]]:
        """Per step: the rectangle that changed and the pieces of the frame inside it that may have.

        The first frame comes whole; after it the pieces are last step's window, cell and caption
        (put back) and this step's (drawn), so the work per frame follows what moves.
        """
        self.progress = self._base()
        if self.steps:
            self._fill_done_before(self.steps[0].index)
        canvas = self.progress.copy()
        whole = (0, 0, *self.size())
        previous: list[Box] = []
        for n, step in enumerate(self.steps):
            for box in previous:
                canvas.paste(self.progress.crop(box), box[:2])
            self._draw_step(ImageDraw.Draw(canvas), canvas, step)
            drawn = self.step_boxes(step)
            if n == 0:
                yield whole, [(whole, canvas.copy())]
            else:
                boxes = [*previous, *drawn]
                yield union(boxes), [(box, canvas.crop(box)) for box in boxes]
            self._output_cell(self.progress, step.out, step.value, "done")
            previous = drawn

    def step_boxes(self, step: Step) -> list[Box]:
        """Every rectangle `_draw_step` paints: each channel's window span, the output cell, the caption strip."""
        layout = self.layout
        boxes = []
        for c in step.channels:
            first = layout.input_cell(c, step.rows[0], step.cols[0])
            last = layout.input_cell(c, step.rows[-1], step.cols[-1])
            boxes.append((first[0], first[1], last[2] + 1, last[3] + 1))  # a tile is cell + 1 wide: its far grid line
        left, top, right, bottom = layout.output_cell(*step.out)
        boxes.append((left, top, right + 1, bottom + 1))
        if self.options.caption:
            boxes.append(self.caption_box)
        return boxes

    @property
    def caption_box(self) -> Box:
        layout = self.layout
        right = min(layout.width, 2 * layout.margin + layout.caption_width)
        return layout.margin // 2, layout.caption_top, right, layout.height

    def encoded_pixels(self) -> int:
        """Pixels `deltas()` yields: the whole first frame plus every changed rectangle after it."""
        width, height = self.size()
        total = width * height if self.steps else 0
        previous = None
        for step in self.steps:
            drawn = self.step_boxes(step)
            if previous is not None:
                left, top, right, bottom = union([*previous, *drawn])
                total += (right - left) * (bottom - top)
            previous = drawn
        return total

    def frames(self) -> Iterator[Image.Image]:
        """One RGB image per step, in order; the output fills in as they go."""
        self.progress = self._base()
        if self.steps:
            self._fill_done_before(self.steps[0].index)
        for step in self.steps:
            frame = self.progress.copy()
            self._draw_step(ImageDraw.Draw(frame), frame, step)
            yield frame
            self._output_cell(self.progress, step.out, step.value, "done")

    def final(self) -> Image.Image:
        """Every output cell computed, no window: the layer's result."""
        image = self._base()
        self.progress = image
        self._fill_done_before(self.scene.step_count)
        if self.options.caption:
            self._caption(ImageDraw.Draw(image), (self._final_caption(),))
        return image

    def _final_caption(self) -> str:
        maps, out_h, out_w = self.scene.output.shape
        shape = f"{out_h} x {out_w}" if maps == 1 else f"{maps} x {out_h} x {out_w}"
        return caption_text(self.scene.lang, "final", count=self.scene.step_count, shape=shape)

    # -- static parts

    def _tiles(self) -> dict[str, Image.Image]:
        t, size = self.theme, (self.cell, self.cell)
        tiles = {name: Image.new("RGB", size, colour) for name, colour in self._fills().items()}
        for name, colour in (("padding", t.padding), ("window_padding", t.window_padding)):
            tiles[name] = self._hatched(colour)
        return tiles

    def _fills(self) -> dict[str, RGB]:
        t = self.theme
        return {
            "cell": t.cell,
            "window_fill": t.window_fill,
            "winner": t.winner,
            "pending": t.pending,
            "done": t.done,
            "current": t.current,
        }

    def _hatched(self, fill: RGB) -> Image.Image:
        tile = Image.new("RGB", (self.cell, self.cell), fill)
        draw = ImageDraw.Draw(tile)
        gap = max(5, self.cell // 6)
        for k in range(gap, 2 * self.cell, gap):
            draw.line((k, 0, 0, k), fill=self.theme.hatch, width=1)
        return tile

    def _base(self) -> Image.Image:
        t, layout, scene = self.theme, self.layout, self.scene
        image = Image.new("RGB", (layout.width, layout.height), t.background)
        draw = ImageDraw.Draw(image)
        channels, hp, wp = scene.grids.shape
        padded = bool(scene.padding.any())
        lang = scene.lang
        for c in range(channels):
            label = caption_text(lang, "input_channel", channel=c) if channels > 1 else caption_text(lang, "input")
            label += caption_text(lang, scene.padding_note) if padded else ""
            draw.text(layout.input_label(c), label, font=self.label_font, fill=t.muted)
            for r in range(hp):
                for col in range(wp):
                    kind = "padding" if scene.padding[r, col] else "cell"
                    ink = t.muted if kind == "padding" else t.text
                    self._cell(image, layout.input_cell(c, r, col), kind, scene.grids[c, r, col], ink)
        maps, out_h, out_w = scene.output.shape
        name = "pooled" if scene.kind == "pool2d" else "output"
        for m in range(maps):
            label = caption_text(lang, f"{name}_{'channel' if name == 'pooled' else 'filter'}", map=m)
            label = label if maps > 1 else caption_text(lang, name)
            draw.text(layout.output_label(m), label, font=self.label_font, fill=t.muted)
            for r in range(out_h):
                for col in range(out_w):
                    self._cell(image, layout.output_cell(m, r, col), "pending", np.nan, t.text)
        return image

    def _fill_done_before(self, stop: int) -> None:
        shape = self.scene.output.shape
        for index in range(stop):
            out = np.unravel_index(index, shape)
            self._output_cell(self.progress, out, float(self.scene.output[out]), "done")

    # -- per step

    def _draw_step(self, draw: ImageDraw.ImageDraw, image: Image.Image, step: Step) -> None:
        t, layout = self.theme, self.layout
        for k, c in enumerate(step.channels):
            for i, r in enumerate(step.rows):
                for j, col in enumerate(step.cols):
                    box = layout.input_cell(c, r, col)
                    on_padding = bool(self.scene.padding[r, col])
                    if step.winner == (c, r, col):
                        kind, ink = "winner", INK_ON_ACCENT
                    else:
                        kind, ink = ("window_padding" if on_padding else "window_fill"), t.text
                    weight = None if step.weights is None else float(step.weights[k, i, j])
                    self._cell(image, box, kind, self.scene.grids[c, r, col], ink, weight, tap=True)
            if _has_gaps(step):  # dilation: outline the whole span so the skipped cells read as skipped
                first = layout.input_cell(c, step.rows[0], step.cols[0])
                last = layout.input_cell(c, step.rows[-1], step.cols[-1])
                draw.rectangle((first[0], first[1], last[2], last[3]), outline=t.window, width=1)
        self._output_cell(image, step.out, step.value, "current")
        if self.options.caption:
            self._caption(draw, step.caption)

    def _output_cell(self, image: Image.Image, out: Sequence, value: float, kind: str) -> None:
        ink = INK_ON_ACCENT if kind == "current" else self.theme.text
        self._cell(image, self.layout.output_cell(*(int(v) for v in out)), kind, value, ink)

    def _cell(
        self, image: Image.Image, box: Box, kind: str, value: float, ink: RGB, weight: float | None = None, tap=False
    ) -> None:
        """Paste one cell, grid lines included; drawn once per look and then reused from a cache."""
        text = format_number(float(value)) if self.options.show_numbers else ""
        label = "·" + factor(weight) if weight is not None and self.weights_shown else ""
        key = (kind, text, ink, label, tap)
        tile = self.cells.get(key)
        if tile is None:
            tile = self._draw_cell(kind, text, ink, label, tap)
            if len(self.cells) >= CELL_CACHE:
                self.cells.clear()
            self.cells[key] = tile
        image.paste(tile, box[:2])

    def _draw_cell(self, kind: str, text: str, ink: RGB, label: str, tap: bool) -> Image.Image:
        cell = self.cell
        tile = Image.new("RGB", (cell + 1, cell + 1), self.theme.grid)
        tile.paste(self.tiles[kind], (0, 0))
        draw = ImageDraw.Draw(tile)
        draw.rectangle((0, 0, cell, cell), outline=self.theme.grid, width=1)
        if text:
            centre = (cell / 2, cell * (0.42 if self.weights_shown else 0.5))
            draw.text(centre, text, font=fitted(text, self.value_size, cell - 8), fill=ink, anchor="mm")
        if label:
            small = fitted(label, self.weight_size, cell - 8)
            draw.text((cell - 4, cell - 3), label, font=small, fill=self.theme.muted, anchor="rd")
        if tap:
            draw.rectangle((1, 1, cell - 1, cell - 1), outline=self.theme.window, width=max(2, cell // 14))
        return tile

    def _caption(self, draw: ImageDraw.ImageDraw, lines: Sequence[str]) -> None:
        layout = self.layout
        for n, line in enumerate(lines):
            y = layout.caption_top + n * layout.line_height
            ink = self.theme.muted if n == 0 else self.theme.text
            runs = self.caption_face.runs(line)
            if len(runs) == 1:
                draw.text((layout.margin, y), line, font=runs[0][1], fill=ink)
                continue
            # Words and arithmetic in two fonts on one baseline, each run where the one before ends.
            x, baseline = float(layout.margin), y + self.caption_face.ascent
            for run, face in runs:
                draw.text((x, baseline), run, font=face, fill=ink, anchor="ls")
                x += face.getlength(run)


def advance_bound(face) -> Callable[[str], float]:
    """A line's width as the sum of its characters' advances: never narrower than drawn (no kerning in the
    default font's basic layout), and cheap enough to run over every caption of a thousand steps.
    `face` is a font or a CaptionFace (each character measured in the face that draws it)."""
    widths: dict[str, float] = {}

    def width(line: str) -> float:
        total = 0.0
        for char in line:
            if char not in widths:
                widths[char] = face.getlength(char)
            total += widths[char]
        return total

    return width


def union(boxes: Sequence[Box]) -> Box:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _has_gaps(step: Step) -> bool:
    return step.rows[-1] - step.rows[0] >= len(step.rows) or step.cols[-1] - step.cols[0] >= len(step.cols)
