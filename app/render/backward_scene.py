"""The input gradient's gather view as a picture: the zero-stuffed, padded output gradient, the
flipped kernel sliding over it with stride 1, the padded input's gradient filling in.

It is a plain convolution, so it reuses `conv_scene`; the cells that are not output-gradient
values (the stride's inserted zeros and the padding) are marked as padding, as for the
transposed convolution's direct view.
"""

from dataclasses import replace

import numpy as np

from ..core.backward import ConvBackward, gather_view
from ..core.limits import Limits
from .scene import Scene, conv_scene


def gather_scene(result: ConvBackward, limits: Limits = Limits(), lang: str = "en") -> Scene:
    view = gather_view(result, limits)
    top, _, left, _ = view.padding
    _, hp, wp = view.conv.padded.shape
    real = []
    for size, before, stride, length in (
        (hp, top, result.forward.stride[0], view.dilated.shape[1]),
        (wp, left, result.forward.stride[1], view.dilated.shape[2]),
    ):
        at = np.arange(size) - before  # index into the zero-inserted output gradient
        real.append((at >= 0) & (at < length) & (at % stride == 0))
    padding = ~(real[0][:, None] & real[1][None, :])
    return replace(
        conv_scene(view.conv, lang),
        kind="conv2d_backward",
        padding=padding,
        padding_note="note_gradient",
    )
