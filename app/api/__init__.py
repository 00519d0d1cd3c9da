"""The HTTP layer: request/response models, routers and error mapping. Thin by design."""
