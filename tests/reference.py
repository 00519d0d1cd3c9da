"""Naive, loop-by-loop reference implementations, written from the definitions.

They share no code with the engine, so agreeing with them means something.
"""

import math

import numpy as np


def source(q: int, n: int, mode: str) -> int | None:
    """Which real index a (possibly out-of-range) position copies, per padding mode."""
    if 0 <= q < n:
        return q
    if mode == "zeros":
        return None
    if mode == "replicate":
        return min(max(q, 0), n - 1)
    if mode == "circular":
        return q % n
    period = 2 * (n - 1)  # reflect: mirror without repeating the edge
    q = abs(q) % period if period else 0
    return q if q < n else period - q


def conv2d(x, w, b, stride, dilation, sides, mode="zeros", groups=1, flip=False):
    """x C×H×W, w F×(C/g)×kh×kw, sides (top, bottom, left, right) -> F×Ho×Wo."""
    _, height, width = x.shape
    filters, cpg, kh, kw = w.shape
    if flip:
        w = w[:, :, ::-1, ::-1]
    top, bottom, left, right = sides
    out_h = (height + top + bottom - dilation[0] * (kh - 1) - 1) // stride[0] + 1
    out_w = (width + left + right - dilation[1] * (kw - 1) - 1) // stride[1] + 1
    out = np.zeros((filters, out_h, out_w))
    for f in range(filters):
        group = f // (filters // groups)
        for i in range(out_h):
            for j in range(out_w):
                total = b[f]
                for c in range(cpg):
                    for u in range(kh):
                        for v in range(kw):
                            r = source(i * stride[0] + u * dilation[0] - top, height, mode)
                            s = source(j * stride[1] + v * dilation[1] - left, width, mode)
                            if r is not None and s is not None:
                                total += x[group * cpg + c, r, s] * w[f, c, u, v]
                out[f, i, j] = total
    return out


def pool_size(n: int, k: int, s: int, p: int, d: int, ceil_mode: bool) -> int:
    numerator = n + 2 * p - d * (k - 1) - 1
    size = (math.ceil(numerator / s) if ceil_mode else math.floor(numerator / s)) + 1
    if ceil_mode and (size - 1) * s >= n + p:
        size -= 1
    return size


def pool2d(x, mode, k, s, p, d=(1, 1), ceil_mode=False, count_include_pad=True):
    """Max or avg pooling by the definition; -inf for a max window of padding only."""
    channels, height, width = x.shape
    out_h = pool_size(height, k[0], s[0], p[0], d[0], ceil_mode)
    out_w = pool_size(width, k[1], s[1], p[1], d[1], ceil_mode)
    out = np.zeros((channels, out_h, out_w))
    for c in range(channels):
        for i in range(out_h):
            for j in range(out_w):
                cells = []
                for u in range(k[0]):
                    for v in range(k[1]):
                        r, q = i * s[0] + u * d[0] - p[0], j * s[1] + v * d[1] - p[1]
                        if 0 <= r < height and 0 <= q < width:
                            cells.append(x[c, r, q])
                if mode == "max":
                    out[c, i, j] = max(cells, default=-math.inf)
                    continue
                h0, w0 = i * s[0] - p[0], j * s[1] - p[1]
                h1, w1 = min(h0 + k[0], height + p[0]), min(w0 + k[1], width + p[1])
                if count_include_pad:
                    divisor = (h1 - h0) * (w1 - w0)
                else:
                    divisor = (min(h1, height) - max(h0, 0)) * (min(w1, width) - max(w0, 0))
                out[c, i, j] = sum(cells) / divisor
    return out
