"""The REST API (the mobile client's API): FastAPI routers over the same services as the UI."""

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from ag_app.api.params import NUMBER_ERROR
from ag_app.domain.errors import DomainError
from ag_app.i18n import message

API_PREFIX = "/api/v1"


def _validation_message(exc: RequestValidationError) -> str:
    """A Russian sentence naming the first invalid field of a request body or query."""
    first = exc.errors()[0] if exc.errors() else {}
    field = ".".join(str(part) for part in first.get("loc", ()) if part not in ("body", "query", "path"))
    if first.get("type") == NUMBER_ERROR:
        return message("number.field_invalid", field=field or "запрос", **first.get("ctx", {}))
    return f"Некорректный запрос: поле «{field or 'запрос'}» заполнено неверно."


def create_api() -> FastAPI:
    """The FastAPI application mounted into Reflex through ``api_transformer``."""
    from ag_app.api import routes

    api = FastAPI(
        title="Активный гражданин — API",
        version="1",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )

    @api.exception_handler(DomainError)
    async def _domain_error(_request: Request, exc: DomainError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=exc.status_code)

    @api.exception_handler(RequestValidationError)
    async def _invalid_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": _validation_message(exc)}, status_code=422)

    for router in routes.ROUTERS:
        api.include_router(router, prefix=API_PREFIX)
    return api
