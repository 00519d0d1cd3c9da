"""Named preset kernels, each with a one-line description of what it picks out."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Preset:
    name: str
    title: str
    description: str
    values: tuple[tuple[float, ...], ...]


def _gaussian_5x5() -> tuple[tuple[float, ...], ...]:
    row = (1, 4, 6, 4, 1)  # binomial weights approximate a Gaussian
    return tuple(tuple(a * b / 256 for b in row) for a in row)


PRESETS: tuple[Preset, ...] = (
    Preset(
        "identity",
        "Identity",
        "Copies the centre pixel: the output equals the input.",
        ((0, 0, 0), (0, 1, 0), (0, 0, 0)),
    ),
    Preset("box_blur", "Box blur", "Averages the 3×3 neighbourhood: smooths noise and edges.", ((1 / 9,) * 3,) * 3),
    Preset(
        "gaussian_3x3",
        "Gaussian blur 3×3",
        "Weighted average that favours the centre: a softer, more natural blur.",
        ((1 / 16, 2 / 16, 1 / 16), (2 / 16, 4 / 16, 2 / 16), (1 / 16, 2 / 16, 1 / 16)),
    ),
    Preset("gaussian_5x5", "Gaussian blur 5×5", "A wider Gaussian (binomial) blur.", _gaussian_5x5()),
    Preset(
        "sharpen",
        "Sharpen",
        "Adds the difference from the neighbours: edges look crisper.",
        ((0, -1, 0), (-1, 5, -1), (0, -1, 0)),
    ),
    Preset(
        "outline",
        "Outline",
        "Large where a pixel differs from all eight neighbours: draws outlines.",
        ((-1, -1, -1), (-1, 8, -1), (-1, -1, -1)),
    ),
    Preset(
        "sobel_x",
        "Sobel x",
        "Horizontal gradient: responds to vertical edges (positive where it gets brighter to the right).",
        ((-1, 0, 1), (-2, 0, 2), (-1, 0, 1)),
    ),
    Preset(
        "sobel_y",
        "Sobel y",
        "Vertical gradient: responds to horizontal edges (positive where it gets brighter downwards).",
        ((-1, -2, -1), (0, 0, 0), (1, 2, 1)),
    ),
    Preset("prewitt_x", "Prewitt x", "Like Sobel x with equal row weights.", ((-1, 0, 1), (-1, 0, 1), (-1, 0, 1))),
    Preset("prewitt_y", "Prewitt y", "Like Sobel y with equal column weights.", ((-1, -1, -1), (0, 0, 0), (1, 1, 1))),
    Preset(
        "laplacian",
        "Laplacian",
        "Second derivative: zero on flat areas and ramps, strong at edges.",
        ((0, 1, 0), (1, -4, 1), (0, 1, 0)),
    ),
    Preset(
        "emboss",
        "Emboss",
        "Gradient along a diagonal plus the pixel: a raised, stamped look.",
        ((-2, -1, 0), (-1, 1, 1), (0, 1, 2)),
    ),
    Preset(
        "horizontal_line",
        "Horizontal line",
        "Responds to thin horizontal lines.",
        ((-1, -1, -1), (2, 2, 2), (-1, -1, -1)),
    ),
    Preset(
        "vertical_line",
        "Vertical line",
        "Responds to thin vertical lines.",
        ((-1, 2, -1), (-1, 2, -1), (-1, 2, -1)),
    ),
)

PRESETS_BY_NAME = {preset.name: preset for preset in PRESETS}
