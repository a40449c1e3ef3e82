"""The interactive API docs and the home page, served without any outside host.

Swagger UI's files (Apache-2.0, see docs/third-party/) come from the pinned
`fastapi-offline` wheel, served by the app itself, so `/api/v1/docs` works on a
machine with no internet.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from ledgerlink.api.pages import html_page

ASSETS = ("fastapi_offline", "static")


def install(app: FastAPI, prefix: str, *, home: bool = True) -> None:
    """Add `{prefix}/docs` (Swagger UI with its files under `{prefix}/docs/assets`) and,
    with `home`, a page at `/` linking to them."""
    docs_url = f"{prefix}/docs"
    assets_url = f"{docs_url}/assets"
    openapi_url = app.openapi_url or f"{prefix}/openapi.json"
    app.mount(assets_url, StaticFiles(packages=[ASSETS]), name="docs-assets")

    @app.get(docs_url, include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{app.title} - API docs",
            swagger_js_url=f"{assets_url}/swagger-ui-bundle.js",
            swagger_css_url=f"{assets_url}/swagger-ui.css",
            swagger_favicon_url=f"{assets_url}/favicon.png",
            oauth2_redirect_url=None,
            swagger_ui_parameters=app.swagger_ui_parameters,
        )

    if not home:
        return

    @app.get("/", include_in_schema=False)
    def home_page() -> HTMLResponse:
        return HTMLResponse(
            html_page(
                app.title,
                [
                    f"{app.title} is running. Every route is under {prefix} and takes a bearer "
                    "API token (`ledgerlink up` prints one; `ledgerlink users add` makes more)."
                ],
                {
                    "API docs (every route and schema)": docs_url,
                    "OpenAPI document (JSON)": openapi_url,
                    "Health": "/healthz",
                },
            )
        )
