"""`/TrackingCategories` and their options.

Xero allows at most two active tracking categories, and four in all (archived included).
"""

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from xero_sandbox.accounting.batch import Plan, run_batch
from xero_sandbox.accounting.context import BadRequest, flag, ledger_of, now_of
from xero_sandbox.accounting.fields import Problems, choice, text
from xero_sandbox.accounting.ids import new_id
from xero_sandbox.accounting.ledger import Ledger, Record
from xero_sandbox.accounting.listing import where_and_order
from xero_sandbox.accounting.wire import bad_request, envelope, not_found

MAX_ACTIVE_CATEGORIES = 2
MAX_CATEGORIES = 4
MAX_OPTIONS = 100
STATUSES = ("ACTIVE", "ARCHIVED")


def _visible(category: Record, include_archived: bool) -> Record:
    if include_archived:
        return category
    return {**category, "Options": [o for o in category["Options"] if o["Status"] == "ACTIVE"]}


def plan_category(ledger: Ledger, element: dict[str, Any], category: Record | None) -> Plan:
    """Create (category is None) or rename/archive a tracking category."""
    problems = Problems()
    name = text(element, "Name", problems, max_length=100)
    status = choice(element, "Status", STATUSES, problems)
    others = [c for c in ledger.tracking_categories.values() if c is not category]
    if category is None and not name:
        problems.add("Name is required: give the tracking category a name of up to 100 characters")
    if name and any(c["Name"].lower() == name.lower() for c in others):
        problems.add(f"A tracking category named '{name}' already exists; choose another name")
    becomes_active = (category is None and status != "ARCHIVED") or (
        category is not None and status == "ACTIVE" and category["Status"] != "ACTIVE"
    )
    if becomes_active and sum(c["Status"] == "ACTIVE" for c in others) >= MAX_ACTIVE_CATEGORIES:
        problems.add(
            f"An organisation can have only {MAX_ACTIVE_CATEGORIES} active tracking categories; "
            "archive one before adding or restoring another"
        )
    if category is None and len(others) >= MAX_CATEGORIES:
        problems.add(
            f"An organisation can have only {MAX_CATEGORIES} tracking categories in total "
            "(archived included); delete one first"
        )
    problems.check()

    def save() -> Record:
        if category is None:
            return ledger.add(
                "TrackingCategories",
                {
                    "TrackingCategoryID": new_id(),
                    "Name": name,
                    "Status": status or "ACTIVE",
                    "Options": [],
                },
            )
        if name:
            category["Name"] = name
        if status:
            category["Status"] = status
        return category

    return save


def plan_option(category: Record, element: dict[str, Any], option: Record | None) -> Plan:
    """Create (option is None) or rename/archive one option of a category."""
    problems = Problems()
    name = text(element, "Name", problems, max_length=100)
    status = choice(element, "Status", STATUSES, problems)
    if option is None and not name:
        problems.add("Name is required: give the tracking option a name of up to 100 characters")
    others = [o for o in category["Options"] if o is not option]
    if name and any(o["Name"].lower() == name.lower() for o in others):
        problems.add(f"The option '{name}' already exists in '{category['Name']}'")
    if option is None and len(others) >= MAX_OPTIONS:
        problems.add(f"A tracking category can have at most {MAX_OPTIONS} options")
    problems.check()

    def save() -> Record:
        if option is None:
            created = {
                "TrackingOptionID": new_id(),
                "Name": name,
                "Status": status or "ACTIVE",
                "TrackingCategoryID": category["TrackingCategoryID"],
            }
            category["Options"].append(created)
            return created
        if name:
            option["Name"] = name
        if status:
            option["Status"] = status
        return option

    return save


def _category(request: Request) -> Record | None:
    return ledger_of(request).tracking_categories.get(
        request.path_params["TrackingCategoryID"].lower()
    )


def _option(category: Record, option_id: str) -> Record | None:
    return next(
        (o for o in category["Options"] if o["TrackingOptionID"] == option_id.lower()), None
    )


async def list_categories(request: Request) -> Response:
    ledger = ledger_of(request)
    include_archived = flag(request, "includeArchived", False)
    records = [
        _visible(c, include_archived)
        for c in ledger.tracking_categories.values()
        if c["Status"] == "ACTIVE" or (include_archived and c["Status"] == "ARCHIVED")
    ]
    try:
        records = where_and_order(request, records)
    except BadRequest as error:
        return bad_request(str(error))
    return envelope("TrackingCategories", records, now_of(request))


async def get_category(request: Request) -> Response:
    category = _category(request)
    if category is None or category["Status"] == "DELETED":
        return not_found()
    return envelope("TrackingCategories", [category], now_of(request))


async def create_category(request: Request) -> Response:
    ledger, now = ledger_of(request), now_of(request)
    return await run_batch(
        request, "TrackingCategories", lambda e: plan_category(ledger, e, None), now
    )


async def update_category(request: Request) -> Response:
    ledger, now = ledger_of(request), now_of(request)
    category = _category(request)
    if category is None:
        await request.body()
        return not_found()
    return await run_batch(
        request, "TrackingCategories", lambda e: plan_category(ledger, e, category), now
    )


async def delete_category(request: Request) -> Response:
    ledger = ledger_of(request)
    category = _category(request)
    if category is None:
        return not_found()
    del ledger.tracking_categories[category["TrackingCategoryID"]]
    return envelope("TrackingCategories", [{**category, "Status": "DELETED"}], now_of(request))


async def create_options(request: Request) -> Response:
    category = _category(request)
    if category is None:
        await request.body()
        return not_found()
    return await run_batch(
        request, "Options", lambda e: plan_option(category, e, None), now_of(request)
    )


async def update_option(request: Request) -> Response:
    category = _category(request)
    option = _option(category, request.path_params["TrackingOptionID"]) if category else None
    if category is None or option is None:
        await request.body()
        return not_found()
    return await run_batch(
        request, "Options", lambda e: plan_option(category, e, option), now_of(request)
    )


async def delete_option(request: Request) -> Response:
    category = _category(request)
    option = _option(category, request.path_params["TrackingOptionID"]) if category else None
    if category is None or option is None:
        return not_found()
    category["Options"].remove(option)
    return envelope("Options", [{**option, "Status": "DELETED"}], now_of(request))


def routes() -> list[Route]:
    base = "/TrackingCategories/{TrackingCategoryID}"
    return [
        Route("/TrackingCategories", list_categories, methods=["GET"]),
        Route("/TrackingCategories", create_category, methods=["PUT"]),
        Route(base, get_category, methods=["GET"]),
        Route(base, update_category, methods=["POST"]),
        Route(base, delete_category, methods=["DELETE"]),
        Route(base + "/Options", create_options, methods=["PUT"]),
        Route(base + "/Options/{TrackingOptionID}", update_option, methods=["POST"]),
        Route(base + "/Options/{TrackingOptionID}", delete_option, methods=["DELETE"]),
    ]
