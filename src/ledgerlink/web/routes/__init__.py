"""The console's routes, one module per page."""

from ledgerlink.web.routes import documents, home, problems, sign_in

ROUTERS = (sign_in.router, home.router, documents.router, problems.router)
