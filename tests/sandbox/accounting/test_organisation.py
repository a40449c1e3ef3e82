"""Organisation and currencies, as an integration first reads them."""

from datetime import UTC, datetime

from xero_sandbox.accounting import Ledger

from .builders import bill
from .conftest import XeroApi


async def test_organisation_is_the_demo_company_in_the_xero_envelope(
    api: XeroApi, ledger: Ledger
) -> None:
    response = await api.get("/Organisation")
    assert response.status_code == 200
    body = response.json()
    assert body["Status"] == "OK"
    assert body["DateTimeUTC"] == "/Date(1772443800000+0000)/"
    (organisation,) = body["Organisations"]
    assert organisation["Name"] == "Demo Company (Sandbox)"
    assert organisation["OrganisationID"] == ledger.tenant_id
    assert organisation["ShortCode"] == ledger.short_code
    assert organisation["BaseCurrency"] == "NZD"


async def test_currencies_list_the_enabled_ones(api: XeroApi) -> None:
    response = await api.get("/Currencies")
    codes = [currency["Code"] for currency in response.json()["Currencies"]]
    assert codes == ["NZD", "AUD", "USD", "GBP"]


async def test_an_empty_organisation_has_only_its_base_currency(api: XeroApi) -> None:
    ledger = Ledger.empty("Bare Ltd", datetime(2026, 1, 1, tzinfo=UTC))
    assert ledger.currencies == [{"Code": "NZD", "Description": "New Zealand Dollar"}]
    assert ledger.name == "Bare Ltd"
    assert {a["Code"] for a in ledger.accounts.values()} >= {"200", "300", "800", "860"}


async def test_subscribe_to_a_currency_then_use_it(api: XeroApi) -> None:
    refused = await api.put("/Invoices", bill(CurrencyCode="EUR"))
    assert refused.status_code == 400
    added = await api.put("/Currencies", {"Code": "EUR", "Description": "Euro"})
    assert added.json()["Currencies"] == [{"Code": "EUR", "Description": "Euro"}]
    assert (await api.put("/Invoices", bill(CurrencyCode="EUR"))).status_code == 200
    again = await api.put("/Currencies", {"Code": "EUR"})
    assert "already subscribed to currency EUR" in again.text
    filtered = await api.get("/Currencies", params={"where": 'Code=="EUR"'})
    assert [c["Code"] for c in filtered.json()["Currencies"]] == ["EUR"]
