"""The console's routes, one module per page."""

from ledgerlink.web.routes import (
    connect,
    differences,
    documents,
    home,
    imports,
    problems,
    settings,
    sign_in,
    users,
)

ROUTERS = (
    sign_in.router,
    home.router,
    documents.router,
    problems.router,
    differences.router,
    connect.router,
    imports.router,
    settings.router,
    users.router,
)
