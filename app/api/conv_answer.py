"""POST /api/v1/conv2d's answer, and the Matrix lab's first layer answered in its page.

The route and the page build the answer here, once, so the page carries exactly what the route would send.
The page carries the request the lab's script sends for its default layer (the defaults in
static/js/state.js) with that answer; the script takes the answer only for that exact request (fetchLayer in
static/js/api.js). A default changed on one side only then costs a round trip, never a wrong number, and
tests/browser/test_matrix_lab.py pins the two sides together.
"""

import functools
import json

from ..config import Settings
from ..layers import conv
from .encoding import FastJSONResponse
from .paging import paged_response
from .schemas import Conv2dRequest

# The body the Matrix lab posts for its default layer (convBody in static/js/state.js, fetchLayer's first page).
FIRST_LAYER = {
    "input": [[[3, 1, 0, 2, 5], [4, 6, 1, 0, 2], [2, 1, 7, 3, 1], [0, 2, 4, 8, 6], [1, 5, 2, 3, 9]]],
    "kernel": [[[[1, 0, -1], [1, 0, -1], [1, 0, -1]]]],
    "bias": [0],
    "stride": 1,
    "padding": 0,
    "padding_mode": "zeros",
    "dilation": 1,
    "groups": 1,
    "flip_kernel": False,
    "activation": "none",
    "frame_start": 0,
    "frame_limit": 256,
}


def respond(body: Conv2dRequest, settings: Settings) -> FastJSONResponse:
    """The layer's description and the requested page of its frames, encoded once."""
    result = conv.compute(body, settings.limits)
    build = functools.partial(conv.page, result)
    return paged_response(
        conv.describe(result), result.frame_count, body, conv.values_per_frame(result), build, settings.limits
    )


def first_layer(settings: Settings) -> dict:
    """{asked, answer}: the Matrix lab's default request and the route's answer to it, for the page to carry."""
    answer = respond(Conv2dRequest.model_validate(FIRST_LAYER), settings)
    return {"asked": FIRST_LAYER, "answer": json.loads(answer.body)}
