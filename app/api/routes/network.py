"""POST /api/v1/network (a layer stack, layer by layer) and POST /api/v1/receptive-field."""

from fastapi import APIRouter

from ...config import Settings
from ...layers import network
from .. import offload
from ..deps import SettingsDep
from ..encoding import FastJSONResponse
from ..errors import ERROR_RESPONSES
from ..json_route import JSONRoute
from ..network_schemas import NetworkRequest, NetworkResponse, ReceptiveFieldRequest, ReceptiveFieldResponse

router = APIRouter(prefix="/api/v1", tags=["network"], route_class=JSONRoute, responses=ERROR_RESPONSES)


def work(body: NetworkRequest) -> int:
    """Heavy when numbers are computed: a stack may do twice one layer's multiply-add limit."""
    computes = body.input is not None or (body.preset is not None and body.input_shape is None)
    return offload.HEAVY if computes else 0


@router.post("/network", response_model=NetworkResponse)
async def network_endpoint(body: NetworkRequest, settings: SettingsDep) -> FastJSONResponse:
    """Run a stack of layers: shapes, parameters, receptive fields, feature maps and PyTorch code."""
    return await offload.run(respond, body, settings, work=work(body))


def respond(body: NetworkRequest, settings: Settings) -> FastJSONResponse:
    return FastJSONResponse(network.describe(*network.compute(body, settings.limits), body))


@router.post("/receptive-field", response_model=ReceptiveFieldResponse)
async def receptive_field_endpoint(body: ReceptiveFieldRequest, settings: SettingsDep) -> FastJSONResponse:
    """The exact input rows and columns one unit reads, through padding, stride and dilation."""
    return await offload.run(receptive_field, body, settings, work=0)


def receptive_field(body: ReceptiveFieldRequest, settings: Settings) -> FastJSONResponse:
    return FastJSONResponse(network.receptive_field(body, settings.limits))
