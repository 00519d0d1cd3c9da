"""Property-based fuzzing of every operation in the OpenAPI schema (schemathesis): no 5xx, responses as documented.

Valid and invalid requests alike must never get a 5xx, and every answer must match the documented status codes,
content types and schemas. Pydantic's lax coercion (`0` for `false`) is accepted on purpose, so the check
"schema-violating request accepted" is not run; engine limits refuse some schema-valid requests with a 4xx on
purpose, so neither is "positive data accepted".

Bounded so CI stays fast: 25 derandomized examples per operation (the same cases every run) from the examples
and fuzzing phases. `CONVSCOPE_FUZZ_DEEP=1` adds schemathesis' coverage phase (boundary values of every field)
and 200 examples per operation: minutes, for a run before a release.
"""

import os

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.config import SchemathesisConfig

from app.config import Settings
from app.main import create_app

DEEP = os.environ.get("CONVSCOPE_FUZZ_DEEP") == "1"
CONFIG = SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": DEEP}}})
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(Settings()), config=CONFIG)


@schema.parametrize()
@settings(
    max_examples=200 if DEEP else 25,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_errors_and_responses_match_the_schema(case):
    case.call_and_validate(checks=CHECKS)
