"""The REST API (the mobile client's API): FastAPI routers over the same services as the UI."""

from fastapi import FastAPI

from ag_app.api.guard import API_PREFIX, ERROR_RESPONSES, install_error_handlers, reflex_transformer

__all__ = ["API_PREFIX", "create_api", "reflex_transformer"]


def create_api() -> FastAPI:
    """The FastAPI application; Reflex serves it through ``api_transformer=reflex_transformer(...)``.

    Every error answer is ``{"detail": "<русское сообщение>"}`` (see :mod:`ag_app.api.guard`), and the
    OpenAPI document describes it so for every operation.
    """
    from ag_app.api import routes

    api = FastAPI(
        title="Активный гражданин — API",
        version="1",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    install_error_handlers(api)
    for router in routes.ROUTERS:
        api.include_router(router, prefix=API_PREFIX, responses=ERROR_RESPONSES)
    return api
