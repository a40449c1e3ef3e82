"""Tax rates (simple, compound, restricted) and tracking categories with their limits."""

from decimal import Decimal

from xero_sandbox.accounting import Ledger

from .conftest import XeroApi


async def test_tax_rates_include_compound_and_restricted_rates(api: XeroApi) -> None:
    rates = {r["TaxType"]: r for r in (await api.get("/TaxRates")).json()["TaxRates"]}
    assert rates["INPUT2"]["EffectiveRate"] == 15
    assert rates["INPUT2"]["CanApplyToRevenue"] is False
    assert rates["OUTPUT2"]["CanApplyToExpenses"] is False
    compound = rates["TAX001"]
    assert [c["IsCompound"] for c in compound["TaxComponents"]] == [False, True]
    # 5% levy, then 15% GST on the amount plus the levy: 5 + 15 × 1.05 = 20.75.
    assert compound["EffectiveRate"] == 20.75
    assert rates["TAX002"]["Status"] == "ARCHIVED"


async def test_filter_tax_rates_by_type_and_where(api: XeroApi) -> None:
    one = await api.get("/TaxRates", params={"TaxType": "OUTPUT2"})
    assert [r["Name"] for r in one.json()["TaxRates"]] == ["15% GST on Income"]
    revenue = await api.get("/TaxRates", params={"where": "CanApplyToRevenue==true"})
    assert "INPUT2" not in {r["TaxType"] for r in revenue.json()["TaxRates"]}


async def test_create_a_tax_rate(api: XeroApi, ledger: Ledger) -> None:
    response = await api.put(
        "/TaxRates", {"Name": "Wine Levy", "TaxComponents": [{"Name": "Levy", "Rate": 9.5}]}
    )
    created = response.json()["TaxRates"][0]
    assert created["TaxType"] == "TAX003"
    assert ledger.tax_rates["TAX003"]["EffectiveRate"] == Decimal("9.5")


async def test_tracking_lists_active_categories_and_options_unless_archived_asked(
    api: XeroApi,
) -> None:
    active = (await api.get("/TrackingCategories")).json()["TrackingCategories"]
    assert [c["Name"] for c in active] == ["Region", "Department"]
    assert [o["Name"] for o in active[0]["Options"]] == ["North", "South", "Eastside"]
    everything = await api.get("/TrackingCategories", params={"includeArchived": "true"})
    categories = everything.json()["TrackingCategories"]
    assert [c["Name"] for c in categories] == ["Region", "Department", "Project (2019)"]
    assert "West Coast" in [o["Name"] for o in categories[0]["Options"]]


async def test_a_third_active_category_is_refused(api: XeroApi) -> None:
    response = await api.put("/TrackingCategories", {"Name": "Cost Centre"})
    assert response.status_code == 400
    (message,) = response.json()["Elements"][0]["ValidationErrors"]
    assert "only 2 active tracking categories" in message["Message"]


async def test_categories_are_limited_to_four_in_all(api: XeroApi) -> None:
    fourth = await api.put("/TrackingCategories", {"Name": "Old Jobs", "Status": "ARCHIVED"})
    assert fourth.status_code == 200
    fifth = await api.put("/TrackingCategories", {"Name": "Older Jobs", "Status": "ARCHIVED"})
    assert fifth.status_code == 400
    assert "4 tracking categories in total" in fifth.text


async def test_add_rename_and_archive_options(api: XeroApi, ledger: Ledger) -> None:
    region = next(c for c in ledger.tracking_categories.values() if c["Name"] == "Region")
    path = f"/TrackingCategories/{region['TrackingCategoryID']}/Options"
    added = await api.put(path, {"Name": "Central"})
    option = added.json()["Options"][0]
    renamed = await api.post(f"{path}/{option['TrackingOptionID']}", {"Name": "Middle"})
    assert renamed.json()["Options"][0]["Name"] == "Middle"
    await api.post(f"{path}/{option['TrackingOptionID']}", {"Status": "ARCHIVED"})
    listed = (await api.get(f"/TrackingCategories/{region['TrackingCategoryID']}")).json()
    names = {o["Name"]: o["Status"] for o in listed["TrackingCategories"][0]["Options"]}
    assert names["Middle"] == "ARCHIVED"
    duplicate = await api.put(path, {"Name": "north"})
    assert duplicate.status_code == 400
