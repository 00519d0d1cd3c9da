"""The layer service: request → engine → description, written once per layer kind.

Each kind (`conv`, `pool`, `transpose`, `backward`; `network` for a stack) has one `compute` (a
validated request and the limits in, the engine's result out), one `describe` (the result as
JSON-ready numbers, without its frames), the page builder of its frames and a `work` estimate for
the thread pool (a stack has no frames; its route decides the pool). The web routes,
the animation routes, `convscope render` and the benchmarks all call these, so a layer is computed
and described the same way wherever it is asked for.

Why the service takes the API's pydantic request models (`app.api.schemas`, `network_schemas`,
`backward_schemas`): they *are* the rules of a valid layer (types, ranges, vocabularies, the
list-length caps), so the CLI and the benchmarks build the same request and meet the same rules
instead of a second, looser set of arguments. Those modules import only pydantic and `app.core`,
never FastAPI or Starlette. The direction is one way, module by module: app.core and the request
models ← app.layers ← app.api.routes, the CLI and the benchmarks; nothing here imports a route,
FastAPI or Starlette (tests/test_architecture.py). The request models still live in app/api, so
at the folder level this package reads upwards for them and nothing else.
"""
