"""Colours of a rendered frame: the Okabe–Ito palette, so colour-blind students see every role.

The same roles as the web UI: blue marks the kernel window, orange the output cell being
computed, bluish green the max-pooling winner; padding is a hatched light grey. GIF frames
hold at most 256 colours, so `gif_palette` lists every colour a frame can contain (solid
fills plus the anti-aliasing ramps of text on each fill) and frames are mapped onto it.
"""

from dataclasses import dataclass, fields

RGB = tuple[int, int, int]

WINDOW_BLUE: RGB = (0x00, 0x72, 0xB2)
OUTPUT_ORANGE: RGB = (0xE6, 0x9F, 0x00)
WINNER_GREEN: RGB = (0x00, 0x9E, 0x73)
INK_ON_ACCENT: RGB = (0x11, 0x11, 0x11)  # text on the orange and green fills, in both themes

RAMP_STEPS = 12


def mix(a: RGB, b: RGB, t: float) -> RGB:
    """`a` moved a fraction `t` towards `b`."""
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))


@dataclass(frozen=True)
class Theme:
    background: RGB
    text: RGB
    muted: RGB  # labels, kernel weights, the caption's header
    grid: RGB  # cell borders
    cell: RGB  # a real input cell
    padding: RGB
    hatch: RGB  # the diagonal lines that mark padding
    window: RGB  # border of a kernel tap
    window_fill: RGB  # a real cell under the kernel
    window_padding: RGB  # a padding cell under the kernel
    pending: RGB  # an output cell not computed yet
    done: RGB  # an output cell already computed
    current: RGB  # the output cell being computed
    winner: RGB  # max pooling's chosen cell

    def colours(self) -> list[RGB]:
        return [getattr(self, f.name) for f in fields(self)]


def _theme(background: RGB, text: RGB, muted: RGB, grid: RGB, cell: RGB, padding: RGB, hatch: RGB) -> Theme:
    return Theme(
        background=background,
        text=text,
        muted=muted,
        grid=grid,
        cell=cell,
        padding=padding,
        hatch=hatch,
        window=WINDOW_BLUE,
        window_fill=mix(cell, WINDOW_BLUE, 0.28),
        window_padding=mix(padding, WINDOW_BLUE, 0.28),
        pending=background,
        done=mix(cell, OUTPUT_ORANGE, 0.22),
        current=OUTPUT_ORANGE,
        winner=WINNER_GREEN,
    )


THEMES: dict[str, Theme] = {
    "light": _theme(
        background=(0xFF, 0xFF, 0xFF),
        text=(0x1A, 0x1A, 0x1A),
        muted=(0x5F, 0x5F, 0x5F),
        grid=(0x9E, 0x9E, 0x9E),
        cell=(0xFF, 0xFF, 0xFF),
        padding=(0xE3, 0xE3, 0xE3),
        hatch=(0xB8, 0xB8, 0xB8),
    ),
    "dark": _theme(
        background=(0x12, 0x12, 0x12),
        text=(0xEE, 0xEE, 0xEE),
        muted=(0xA8, 0xA8, 0xA8),
        grid=(0x5A, 0x5A, 0x5A),
        cell=(0x22, 0x22, 0x22),
        padding=(0x36, 0x36, 0x36),
        hatch=(0x55, 0x55, 0x55),
    ),
}


def text_pairs(theme: Theme) -> list[tuple[RGB, RGB]]:
    """Every (ink, fill) pair text is drawn with, so its anti-aliased edges survive in a GIF."""
    fills = (theme.background, theme.cell, theme.padding, theme.window_fill, theme.window_padding, theme.done)
    pairs = [(ink, fill) for ink in (theme.text, theme.muted) for fill in fills]
    pairs += [(INK_ON_ACCENT, theme.current), (INK_ON_ACCENT, theme.winner)]
    return pairs


def gif_palette(theme: Theme) -> list[RGB]:
    """At most 256 distinct colours: the theme's solids first, then the text ramps."""
    colours: dict[RGB, None] = dict.fromkeys([*theme.colours(), INK_ON_ACCENT])
    for ink, fill in text_pairs(theme):
        for step in range(1, RAMP_STEPS):
            colours.setdefault(mix(fill, ink, step / RAMP_STEPS))
    palette = list(colours)
    if len(palette) > 256:
        raise ValueError(f"a theme palette needs {len(palette)} colours; a GIF holds 256")
    return palette
