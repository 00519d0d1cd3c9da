"""POST /api/v1/conv_transpose2d: the output, both views, and a page of frames of either view.

Validate (the request model), call the layer service (app/layers/transpose.py), return.
"""

from fastapi import APIRouter

from ...config import Settings
from ...layers import transpose
from .. import offload
from ..deps import SettingsDep
from ..encoding import FastJSONResponse
from ..errors import ERROR_RESPONSES
from ..json_route import JSONRoute
from ..network_schemas import ConvTranspose2dRequest, ConvTranspose2dResponse
from ..paging import paged_response

router = APIRouter(prefix="/api/v1", tags=["transposed convolution"], route_class=JSONRoute, responses=ERROR_RESPONSES)


def respond(body: ConvTranspose2dRequest, settings: Settings) -> FastJSONResponse:
    result = transpose.compute(body, settings.limits)
    total, per_frame, build = transpose.view(result, body.view)
    layer = transpose.describe(result) | {"view": body.view}
    return paged_response(layer, total, body, per_frame, build, settings.limits)


@router.post("/conv_transpose2d", response_model=ConvTranspose2dResponse)
async def conv_transpose2d_endpoint(body: ConvTranspose2dRequest, settings: SettingsDep) -> FastJSONResponse:
    """Transposed convolution (PyTorch's ConvTranspose2d) with scatter or direct-view frames."""
    return await offload.run(respond, body, settings, work=transpose.work(body))
