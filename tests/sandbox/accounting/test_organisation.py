"""Organisation and currencies, as an integration first reads them."""

from xero_sandbox.accounting import Ledger

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
    from datetime import UTC, datetime

    ledger = Ledger.empty("Bare Ltd", datetime(2026, 1, 1, tzinfo=UTC))
    assert ledger.currencies == [{"Code": "NZD", "Description": "New Zealand Dollar"}]
    assert ledger.name == "Bare Ltd"
    assert {a["Code"] for a in ledger.accounts.values()} >= {"200", "300", "800", "860"}
