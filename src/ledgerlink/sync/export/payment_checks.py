"""Checks before a payment is sent, against what Xero holds now: the payment account, the
organisation's lock dates, and each document paid (authorised there, same currency, owing
at least the amount). Problems read in Xero's words, each with the fix; a document still in
draft in Xero makes the payment wait instead."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from ledgerlink.domain.preflight import ReferenceData, ReferenceProblem
from ledgerlink.sync.export.payment_plan import PaymentJob
from ledgerlink.xero.outbound.checks import check_payment_account
from ledgerlink.xero.outbound.payments import PaymentAccount
from xero_client import Account, Invoice

NOT_AUTHORISED = "Payments can only be made against Authorised documents"
EXCEEDS_OUTSTANDING = "Payment amount exceeds the amount outstanding on this document"
#: Statuses in Xero a payment waits out (a person authorises the document there).
NOT_YET = frozenset({"DRAFT", "SUBMITTED"})


@dataclass
class Held:
    """What payments checked earlier in this pass take of each Xero document's amount due."""

    amounts: dict[str, Decimal] = field(default_factory=dict)

    def due(self, invoice: Invoice) -> Decimal:
        held = self.amounts.get((invoice.invoice_id or "").lower(), Decimal(0))
        return (invoice.amount_due or Decimal(0)) - held

    def hold(self, xero_id: str, amount: Decimal) -> None:
        key = xero_id.lower()
        self.amounts[key] = self.amounts.get(key, Decimal(0)) + amount


@dataclass(frozen=True)
class Verdict:
    """Why a payment cannot go now: problems (it fails) or a reason to wait."""

    problems: tuple[ReferenceProblem, ...] = ()
    waits_for: str | None = None


def _lock_problem(job: PaymentJob, reference: ReferenceData) -> ReferenceProblem | None:
    date = job.payment.date
    year_end, period = reference.end_of_year_lock_date, reference.period_lock_date
    if year_end is not None and date <= year_end:
        words, locked = "the end of the financial year lock date", year_end
    elif period is not None and date <= period:
        words, locked = "the period lock date", period
    else:
        return None
    return ReferenceProblem(
        "date",
        f"The payment date cannot be before {words}",
        f"date the payment after {locked.isoformat()}, or move the lock date in Xero",
    )


def check_payment(
    job: PaymentJob,
    invoices: Mapping[str, Invoice],
    accounts: Iterable[Account] | None,
    reference: ReferenceData,
    held: Held,
) -> Verdict:
    """Whether ``job`` can go now; on success its amounts are held on their documents.

    ``invoices`` are the documents paid as Xero holds them, by Xero id in lower case;
    ``accounts`` the chart of accounts read from Xero (None: not read, Xero judges).
    """
    payment = job.payment
    problems: list[ReferenceProblem] = []
    if accounts is not None:
        problems += check_payment_account(PaymentAccount(code=payment.bank_account_code), accounts)
    locked = _lock_problem(job, reference)
    if locked is not None:
        problems.append(locked)
    waits: list[str] = []
    taking: list[tuple[str, Decimal]] = []
    for target in job.unsent:
        assert target.xero_id is not None
        field_name = f"allocations[{target.index}]"
        label = target.kind.replace("_", " ")
        invoice = invoices.get(target.xero_id.lower())
        amount = payment.allocations[target.index].amount
        if invoice is None or invoice.status in ("DELETED", "VOIDED", None):
            status = invoice.status if invoice is not None else "not found"
            problems.append(
                ReferenceProblem(
                    f"{field_name}.document_id",
                    f"{NOT_AUTHORISED} (the {label} is {status} in Xero)",
                    f"the {label} was taken back in Xero: delete this payment here, or "
                    f"restore the {label} in Xero, then retry",
                )
            )
        elif invoice.status in NOT_YET:
            waits.append(f"{label} {target.document_id} ({invoice.status} in Xero)")
        elif invoice.currency_code and invoice.currency_code != payment.currency:
            problems.append(
                ReferenceProblem(
                    "currency",
                    f"The payment is in {payment.currency} but the {label} is in "
                    f"{invoice.currency_code} in Xero",
                    f"record the payment in {invoice.currency_code}, then retry",
                )
            )
        elif amount > held.due(invoice):
            problems.append(
                ReferenceProblem(
                    f"{field_name}.amount",
                    f"{EXCEEDS_OUTSTANDING} ({amount} paid, {held.due(invoice)} due in Xero)",
                    f"the {label} owes less in Xero than this payment: check its payments and "
                    "credit in Xero, then change this payment and retry",
                )
            )
        else:
            taking.append((target.xero_id, amount))
    if problems:
        return Verdict(problems=tuple(problems))
    if waits:
        return Verdict(
            waits_for=f"waits for {', '.join(waits)} to be authorised in Xero: payments go "
            "only to authorised documents"
        )
    for xero_id, amount in taking:
        held.hold(xero_id, amount)
    return Verdict()
