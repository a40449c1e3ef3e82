"""The REST API: `create_app(uow_factory)` builds it; `bootstrap` supplies the parts."""

from fastapi import APIRouter, FastAPI

from ledgerlink.api import problems
from ledgerlink.api.deps import UowFactory
from ledgerlink.api.routes import companies, items, parties

API_PREFIX = "/api/v1"

ROUTERS = (companies.router, parties.router, items.router)


def create_app(uow_factory: UowFactory, *, title: str = "ledgerlink") -> FastAPI:
    """The FastAPI app; every route runs in a unit of work made by `uow_factory`."""
    app = FastAPI(
        title=title,
        summary="Purchasing and billing in step with Xero.",
        version="0.1.0",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    app.state.uow_factory = uow_factory
    problems.install(app)
    api = APIRouter(prefix=API_PREFIX)
    for router in ROUTERS:
        api.include_router(router)
    app.include_router(api)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
