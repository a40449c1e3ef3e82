"""The unit of work: one transaction, the repositories inside it, and the outbox.

    with SqlUnitOfWork(session_factory) as uow:
        order = uow.purchase_orders.get(company_id, order_id)
        order.approve()
        uow.commit()    # the order and its DocumentApproved outbox row, atomically

Leaving the block without `commit()` (or on an exception) rolls everything back. A
unit of work may commit several times; after a rollback or a failed commit it forgets
the aggregates it loaded, which must then be loaded again.
"""

from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from sqlalchemy.orm import Session, sessionmaker

from ledgerlink.domain.aggregate import Aggregate
from ledgerlink.store.clock import Clock, utc_now
from ledgerlink.store.engine import READ_ONLY
from ledgerlink.store.outbox import OutboxRepository, write_events
from ledgerlink.store.repositories.aggregates import AggregateRepository
from ledgerlink.store.repositories.attachments import AttachmentRepository
from ledgerlink.store.repositories.companies import CompanyRepository
from ledgerlink.store.repositories.console_sessions import ConsoleSessionRepository
from ledgerlink.store.repositories.credits import RefundRepository, StoreCreditRepository
from ledgerlink.store.repositories.items import ItemRepository
from ledgerlink.store.repositories.parties import CustomerRepository, SupplierRepository
from ledgerlink.store.repositories.payments import PaymentRepository
from ledgerlink.store.repositories.purchasing import BillRepository, PurchaseOrderRepository
from ledgerlink.store.repositories.reference import (
    AccountRepository,
    TaxRateRepository,
    TrackingCategoryRepository,
)
from ledgerlink.store.repositories.sales import CreditNoteRepository, SalesInvoiceRepository
from ledgerlink.store.repositories.sign_ins import SignInFailureRepository
from ledgerlink.store.repositories.stock import StockTakeRepository
from ledgerlink.store.repositories.supplier_credits import SupplierCreditRepository
from ledgerlink.store.repositories.tokens import TokenRepository, TokenSource, random_token
from ledgerlink.store.repositories.users import UserRepository
from ledgerlink.store.repositories.xero_links import XeroLinkRepository


class SqlUnitOfWork:
    """Repositories sharing one session; `commit()` also writes the outbox rows."""

    companies: CompanyRepository
    users: UserRepository
    sign_in_failures: SignInFailureRepository
    console_sessions: ConsoleSessionRepository
    tokens: TokenRepository
    suppliers: SupplierRepository
    customers: CustomerRepository
    accounts: AccountRepository
    tax_rates: TaxRateRepository
    tracking_categories: TrackingCategoryRepository
    items: ItemRepository
    stock_takes: StockTakeRepository
    purchase_orders: PurchaseOrderRepository
    bills: BillRepository
    sales_invoices: SalesInvoiceRepository
    credit_notes: CreditNoteRepository
    payments: PaymentRepository
    refunds: RefundRepository
    store_credits: StoreCreditRepository
    supplier_credits: SupplierCreditRepository
    xero_links: XeroLinkRepository
    outbox: OutboxRepository
    files: AttachmentRepository

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        *,
        clock: Clock = utc_now,
        token_source: TokenSource = random_token,
        files_dir: Path | None = None,
    ) -> None:
        self._session_factory = session_factory
        self._files_dir = files_dir
        self._clock = clock
        self._token_source = token_source
        self._session: Session | None = None
        self._read_only = False
        self._before_commit: list[Callable[[Session], None]] = []

    @property
    def session(self) -> Session:
        """The open session (for queries no repository offers yet)."""
        if self._session is None:
            raise RuntimeError("use the unit of work inside a `with` block")
        return self._session

    def __enter__(self) -> Self:
        session = self._session_factory()
        self._session = session
        self._read_only = False
        self.companies = CompanyRepository(session, self._clock)
        self.users = UserRepository(session, self._clock)
        self.sign_in_failures = SignInFailureRepository(session)
        self.console_sessions = ConsoleSessionRepository(session)
        self.tokens = TokenRepository(session, self._clock, self._token_source)
        self.suppliers = SupplierRepository(session)
        self.customers = CustomerRepository(session)
        self.accounts = AccountRepository(session)
        self.tax_rates = TaxRateRepository(session)
        self.tracking_categories = TrackingCategoryRepository(session)
        self.items = ItemRepository(session)
        self.stock_takes = StockTakeRepository(session)
        self.purchase_orders = PurchaseOrderRepository(session)
        self.bills = BillRepository(session)
        self.sales_invoices = SalesInvoiceRepository(session)
        self.credit_notes = CreditNoteRepository(session)
        self.payments = PaymentRepository(session)
        self.refunds = RefundRepository(session)
        self.store_credits = StoreCreditRepository(session)
        self.supplier_credits = SupplierCreditRepository(session)
        self.xero_links = XeroLinkRepository(session, self._clock)
        self.outbox = OutboxRepository(session)
        self.files = AttachmentRepository(session, self._clock, self._files_dir)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        session = self.session
        try:
            session.rollback()
        finally:
            session.close()
            self._session = None

    def read_only(self) -> Self:
        """Make this unit of work a reader; call it before its first query.

        On SQLite its transaction then takes no write lock: a worker reading what it is
        about to send (a thousand documents can take a second to load) no longer holds up
        every writer meanwhile, the webhook endpoint's included. `commit()` refuses.
        """
        self.session.connection(execution_options={READ_ONLY: True})
        self._read_only = True
        return self

    def fresh_read(self) -> Self:
        """End a reader's snapshot: its next query sees what was committed since."""
        self.session.rollback()
        return self.read_only()

    @property
    def is_reader(self) -> bool:
        """Whether ``read_only()`` made this unit of work a reader."""
        return self._read_only

    def before_commit(self, check: Callable[[Session], None]) -> Self:
        """Run ``check`` in every transaction this unit of work commits, last before the
        commit itself: it may write (in the same transaction) or raise, and then nothing of
        the transaction is written (e.g. a worker's lease that must still be its own)."""
        self._before_commit.append(check)
        return self

    def _aggregate_repositories(self) -> tuple[AggregateRepository[Any], ...]:
        return (
            self.suppliers,
            self.customers,
            self.items,
            self.stock_takes,
            self.purchase_orders,
            self.bills,
            self.sales_invoices,
            self.credit_notes,
            self.payments,
            self.refunds,
            self.store_credits,
            self.supplier_credits,
        )

    def seen(self) -> Iterator[Aggregate]:
        """Every aggregate loaded or added in this unit of work."""
        for repository in self._aggregate_repositories():
            yield from repository.seen()

    def commit(self) -> None:
        """Save changed aggregates, write their events to the outbox, commit it all.

        Raises:
            ConcurrentUpdate: an aggregate was saved by someone else since it was
                loaded; nothing of this unit of work is written.
        """
        session = self.session
        if self._read_only:
            raise RuntimeError("a read-only unit of work cannot commit: open one that writes")
        try:
            for repository in self._aggregate_repositories():
                repository.save_changes()
            events = [event for aggregate in self.seen() for event in aggregate.pull_events()]
            write_events(session, events, self._clock())
            for check in self._before_commit:
                check(session)
            session.commit()
        except BaseException:
            self.rollback()
            raise
        self.files.after_commit()

    def rollback(self) -> None:
        """Throw away everything done since the last commit.

        The aggregates loaded or added so far are forgotten too: changes made to them
        afterwards are not saved. Load them again to go on.
        """
        self.session.rollback()
        self.files.after_rollback()
        for repository in self._aggregate_repositories():
            repository.forget()
