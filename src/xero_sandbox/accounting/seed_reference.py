"""Reference data every organisation starts with: the organisation, currencies, chart of
accounts, tax rates and tracking categories (a New Zealand company, GST 15%)."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from xero_sandbox.accounting.accounts import ACCOUNT_CLASS_BY_TYPE
from xero_sandbox.accounting.ids import short_code, stable_id
from xero_sandbox.accounting.ledger import Ledger, Record

BASE_CURRENCY = "NZD"

_CURRENCIES = {
    "NZD": "New Zealand Dollar",
    "AUD": "Australian Dollar",
    "USD": "United States Dollar",
    "GBP": "British Pound",
}

# (code, name, type, tax type, extras) — the demo company's chart.
_FULL_CHART: list[tuple[str, str, str, str, dict[str, Any]]] = [
    (
        "090",
        "Business Bank Account",
        "BANK",
        "NONE",
        {"BankAccountNumber": "0302-0123456-00", "BankAccountType": "BANK"},
    ),
    (
        "091",
        "Business Savings Account",
        "BANK",
        "NONE",
        {"BankAccountNumber": "0302-0123456-01", "BankAccountType": "BANK"},
    ),
    (
        "092",
        "Company Credit Card",
        "BANK",
        "NONE",
        {"BankAccountNumber": "4111-XXXX-XXXX-1111", "BankAccountType": "CREDITCARD"},
    ),
    (
        "093",
        "USD Trading Account",
        "BANK",
        "NONE",
        {"BankAccountNumber": "0302-0123456-93", "BankAccountType": "BANK", "CurrencyCode": "USD"},
    ),
    ("200", "Sales", "SALES", "OUTPUT2", {"Description": "Income from any normal sales."}),
    ("260", "Other Revenue", "REVENUE", "OUTPUT2", {}),
    ("265", "Consulting Income (old)", "REVENUE", "OUTPUT2", {"Status": "ARCHIVED"}),
    ("270", "Interest Income", "OTHERINCOME", "NONE", {}),
    ("300", "Purchases", "DIRECTCOSTS", "INPUT2", {"Description": "Goods bought for resale."}),
    ("310", "Cost of Goods Sold", "DIRECTCOSTS", "INPUT2", {}),
    ("400", "Advertising", "OVERHEADS", "INPUT2", {}),
    ("404", "Bank Fees", "OVERHEADS", "NONE", {}),
    ("408", "Cleaning", "OVERHEADS", "INPUT2", {}),
    ("412", "Consulting & Accounting", "EXPENSE", "INPUT2", {}),
    ("416", "Depreciation", "DEPRECIATN", "NONE", {}),
    ("420", "Entertainment", "OVERHEADS", "INPUT2", {}),
    ("425", "Freight & Courier", "EXPENSE", "INPUT2", {}),
    ("429", "General Expenses", "OVERHEADS", "INPUT2", {}),
    ("433", "Insurance", "OVERHEADS", "INPUT2", {}),
    ("437", "Interest Expense", "OVERHEADS", "NONE", {}),
    ("441", "Legal Expenses", "OVERHEADS", "INPUT2", {}),
    ("445", "Light, Power, Heating", "OVERHEADS", "INPUT2", {}),
    ("449", "Motor Vehicle Expenses", "OVERHEADS", "INPUT2", {}),
    ("453", "Office Expenses", "OVERHEADS", "INPUT2", {}),
    ("455", "Marketing (old)", "OVERHEADS", "INPUT2", {"Status": "ARCHIVED"}),
    ("461", "Printing & Stationery", "OVERHEADS", "INPUT2", {}),
    ("469", "Rent", "OVERHEADS", "INPUT2", {}),
    ("473", "Repairs and Maintenance", "OVERHEADS", "INPUT2", {}),
    ("477", "Wages and Salaries", "OVERHEADS", "NONE", {}),
    ("485", "Subscriptions", "OVERHEADS", "INPUT2", {}),
    ("489", "Telephone & Internet", "OVERHEADS", "INPUT2", {}),
    ("493", "Travel - National", "OVERHEADS", "INPUT2", {}),
    ("494", "Travel - International", "OVERHEADS", "NONE", {}),
    ("497", "Bank Revaluations", "OVERHEADS", "NONE", {"SystemAccount": "BANKCURRENCYGAIN"}),
    (
        "498",
        "Unrealised Currency Gains",
        "OVERHEADS",
        "NONE",
        {"SystemAccount": "UNREALISEDCURRENCYGAIN"},
    ),
    (
        "499",
        "Realised Currency Gains",
        "OVERHEADS",
        "NONE",
        {"SystemAccount": "REALISEDCURRENCYGAIN"},
    ),
    ("505", "Income Tax Expense", "OVERHEADS", "NONE", {}),
    ("610", "Accounts Receivable", "CURRENT", "NONE", {"SystemAccount": "DEBTORS"}),
    ("620", "Prepayments", "PREPAYMENT", "NONE", {}),
    ("630", "Inventory", "INVENTORY", "NONE", {}),
    ("710", "Office Equipment", "FIXED", "INPUT2", {}),
    ("711", "Less Accumulated Depreciation on Office Equipment", "FIXED", "NONE", {}),
    ("720", "Computer Equipment", "FIXED", "INPUT2", {}),
    ("750", "Long-term Investments", "NONCURRENT", "NONE", {}),
    ("800", "Accounts Payable", "CURRLIAB", "NONE", {"SystemAccount": "CREDITORS"}),
    ("801", "Unpaid Expense Claims", "CURRLIAB", "NONE", {"SystemAccount": "UNPAIDEXPCLM"}),
    ("820", "GST", "CURRLIAB", "NONE", {"SystemAccount": "GST"}),
    ("825", "PAYE Payable", "PAYG", "NONE", {}),
    ("830", "Income Tax", "CURRLIAB", "NONE", {}),
    ("840", "Historical Adjustment", "CURRLIAB", "NONE", {"SystemAccount": "HISTORICAL"}),
    ("850", "Suspense", "CURRLIAB", "NONE", {}),
    ("860", "Rounding", "CURRLIAB", "NONE", {"SystemAccount": "ROUNDING"}),
    ("877", "Tracking Transfers", "CURRLIAB", "NONE", {"SystemAccount": "TRACKINGTRANSFERS"}),
    ("900", "Loan", "TERMLIAB", "NONE", {}),
    ("910", "Other Non-current Liabilities", "LIABILITY", "NONE", {}),
    ("960", "Retained Earnings", "EQUITY", "NONE", {"SystemAccount": "RETAINEDEARNINGS"}),
    ("970", "Owner A Funds Introduced", "EQUITY", "NONE", {}),
    ("980", "Owner A Drawings", "EQUITY", "NONE", {}),
]

_MINIMAL_CODES = frozenset(
    {"090", "200", "260", "300", "400", "429", "610", "630", "800", "820", "860", "960"}
)

_ALL = {
    "CanApplyToAssets": True,
    "CanApplyToEquity": True,
    "CanApplyToExpenses": True,
    "CanApplyToLiabilities": True,
    "CanApplyToRevenue": True,
}

# (tax type, name, report tax type, status, components [(name, rate, compound)], applies to)
_TAX_RATES: list[tuple[str, str, str, str, list[tuple[str, str, bool]], dict[str, bool]]] = [
    (
        "INPUT2",
        "15% GST on Expenses",
        "INPUT",
        "ACTIVE",
        [("GST", "15", False)],
        {**_ALL, "CanApplyToRevenue": False},
    ),
    (
        "OUTPUT2",
        "15% GST on Income",
        "OUTPUT",
        "ACTIVE",
        [("GST", "15", False)],
        {**_ALL, "CanApplyToExpenses": False},
    ),
    ("NONE", "No GST", "NONE", "ACTIVE", [("GST", "0", False)], dict(_ALL)),
    (
        "ZERORATED",
        "Zero Rated",
        "EXEMPTOUTPUT",
        "ACTIVE",
        [("GST", "0", False)],
        {**_ALL, "CanApplyToExpenses": False},
    ),
    (
        "GSTONIMPORTS",
        "GST on Imports",
        "GSTONIMPORTS",
        "ACTIVE",
        [("GST", "0", False)],
        {**_ALL, "CanApplyToRevenue": False},
    ),
    # A compound rate: the levy first, then GST on the amount plus the levy.
    (
        "TAX001",
        "Freight Levy 5% + GST (compound)",
        "INPUT",
        "ACTIVE",
        [("Freight Levy", "5", False), ("GST", "15", True)],
        dict(_ALL),
    ),
    ("TAX002", "12.5% GST (pre-2010)", "OUTPUT", "ARCHIVED", [("GST", "12.5", False)], dict(_ALL)),
]
_MINIMAL_TAX_TYPES = frozenset({"INPUT2", "OUTPUT2", "NONE", "ZERORATED"})

# (name, status, options [(name, status)])
_TRACKING: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "Region",
        "ACTIVE",
        [
            ("North", "ACTIVE"),
            ("South", "ACTIVE"),
            ("Eastside", "ACTIVE"),
            ("West Coast", "ARCHIVED"),
        ],
    ),
    ("Department", "ACTIVE", [("Sales", "ACTIVE"), ("Operations", "ACTIVE"), ("Admin", "ACTIVE")]),
    ("Project (2019)", "ARCHIVED", [("Fit-out", "ACTIVE"), ("Launch", "ACTIVE")]),
]


def organisation_record(name: str, tenant_id: str, now: datetime, demo: bool) -> Record:
    """The `Organisation` as Xero reports it."""
    return {
        "OrganisationID": tenant_id,
        "APIKey": "",
        "Name": name,
        "LegalName": name.replace(" (Sandbox)", "") + " Limited",
        "PaysTax": True,
        "Version": "NZ",
        "OrganisationType": "COMPANY",
        "BaseCurrency": BASE_CURRENCY,
        "CountryCode": "NZ",
        "IsDemoCompany": demo,
        "OrganisationStatus": "ACTIVE",
        "TaxNumber": "101-234-567",
        "FinancialYearEndDay": 31,
        "FinancialYearEndMonth": 3,
        "SalesTaxBasis": "INVOICE",
        "SalesTaxPeriod": "TWOMONTHS",
        "DefaultSalesTax": "Tax Exclusive",
        "DefaultPurchasesTax": "Tax Exclusive",
        "CreatedDateUTC": now,
        "Timezone": "NEWZEALANDSTANDARDTIME",
        "OrganisationEntityType": "COMPANY",
        "ShortCode": short_code(tenant_id),
        "Class": "DEMO" if demo else "STANDARD",
        "Edition": "BUSINESS",
        "LineOfBusiness": "Office supplies wholesale",
        "Addresses": [
            {
                "AddressType": "STREET",
                "AddressLine1": "23 Main Street",
                "City": "Wellington",
                "PostalCode": "6011",
                "Country": "New Zealand",
            }
        ],
        "Phones": [{"PhoneType": "OFFICE", "PhoneNumber": "4 123 4567", "PhoneAreaCode": "04"}],
        "ExternalLinks": [],
    }


def _account(
    tenant_id: str, now: datetime, row: tuple[str, str, str, str, dict[str, Any]]
) -> Record:
    code, name, type_, tax_type, extras = row
    record: Record = {
        "AccountID": stable_id(tenant_id, f"account:{code}"),
        "Code": code,
        "Name": name,
        "Status": "ACTIVE",
        "Type": type_,
        "TaxType": tax_type,
        "Description": "",
        "Class": ACCOUNT_CLASS_BY_TYPE[type_],
        "EnablePaymentsToAccount": False,
        "ShowInExpenseClaims": ACCOUNT_CLASS_BY_TYPE[type_] == "EXPENSE",
        "ReportingCode": "",
        "ReportingCodeName": "",
        "HasAttachments": False,
        "UpdatedDateUTC": now,
        "AddToWatchlist": False,
    }
    if type_ == "BANK":
        record["CurrencyCode"] = BASE_CURRENCY
        record["EnablePaymentsToAccount"] = True
    record.update(extras)
    return record


def tax_rate_record(
    row: tuple[str, str, str, str, list[tuple[str, str, bool]], dict[str, bool]],
) -> Record:
    """A `TaxRate` with its components and its effective (compounded) rate."""
    tax_type, name, report_type, status, components, applies = row
    simple = sum((Decimal(rate) for _, rate, compound in components if not compound), Decimal(0))
    effective = simple
    for _, rate, compound in components:
        if compound:
            effective += (Decimal(100) + simple) * Decimal(rate) / Decimal(100)
    return {
        "Name": name,
        "TaxType": tax_type,
        "ReportTaxType": report_type,
        "Status": status,
        "TaxComponents": [
            {"Name": n, "Rate": Decimal(rate), "IsCompound": compound, "IsNonRecoverable": False}
            for n, rate, compound in components
        ],
        **applies,
        "DisplayTaxRate": effective,
        "EffectiveRate": effective,
    }


def _tracking(tenant_id: str, row: tuple[str, str, list[tuple[str, str]]]) -> Record:
    name, status, options = row
    category_id = stable_id(tenant_id, f"tracking:{name}")
    return {
        "TrackingCategoryID": category_id,
        "Name": name,
        "Status": status,
        "Options": [
            {
                "TrackingOptionID": stable_id(tenant_id, f"tracking:{name}:{option}"),
                "Name": option,
                "Status": option_status,
                "TrackingCategoryID": category_id,
            }
            for option, option_status in options
        ],
    }


def seed_reference(ledger: Ledger, now: datetime, full: bool) -> None:
    """Fill a ledger's currencies, accounts, tax rates (and, when full, tracking)."""
    codes = set(_CURRENCIES) if full else {BASE_CURRENCY}
    ledger.currencies = [
        {"Code": c, "Description": d} for c, d in _CURRENCIES.items() if c in codes
    ]
    for row in _FULL_CHART:
        if full or row[0] in _MINIMAL_CODES:
            ledger.add("Accounts", _account(ledger.tenant_id, now, row))
    for tax_row in _TAX_RATES:
        if full or tax_row[0] in _MINIMAL_TAX_TYPES:
            ledger.add("TaxRates", tax_rate_record(tax_row))
    if full:
        for tracking_row in _TRACKING:
            ledger.add("TrackingCategories", _tracking(ledger.tenant_id, tracking_row))


def seed_empty(name: str, now: datetime, tenant_id: str) -> Ledger:
    """A bare organisation: minimal chart of accounts and tax rates, no activity."""
    ledger = Ledger(
        tenant_id=tenant_id,
        name=name,
        short_code=short_code(tenant_id),
        organisation=organisation_record(name, tenant_id, now, demo=False),
    )
    seed_reference(ledger, now, full=False)
    return ledger
