"""Persistence: SQLAlchemy 2 Core tables, repositories, the unit of work and the outbox.

SQLite by default (``sqlite:///var/ledgerlink.db``), PostgreSQL through psycopg 3.
The domain knows nothing of this package: repositories convert rows to and from
domain objects explicitly.

Entry points:

- ``ledgerlink.store.migrate.upgrade(database_url)``: Alembic migrations, run in code.
- ``ledgerlink.store.engine.make_engine(database_url)`` and ``make_session_factory(engine)``.
- ``ledgerlink.store.uow.SqlUnitOfWork(session_factory, clock=...)``: a ``with`` block
  whose repositories are attributes (``companies``, ``users``, ``tokens``, ``suppliers``,
  ``customers``, ``accounts``, ``tax_rates``, ``tracking_categories``, ``items``,
  ``purchase_orders``, ``bills``, ``sales_invoices``, ``credit_notes``, ``payments``,
  ``refunds``, ``store_credits``, ``xero_links``, ``outbox``); ``commit()`` saves changed
  aggregates under their version guard and writes one outbox row per domain event.
- ``ledgerlink.store.errors``: ``ConcurrentUpdate``, ``DuplicateRecord``,
  ``UnknownReference``, ``InvalidDatabaseUrl``.

Every read and write of company data is scoped by ``company_id``: a record of another
company is simply not found.
"""
