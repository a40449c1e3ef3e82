"""The one place that builds engines, units of work and apps from `Settings`."""

import asyncio
from dataclasses import dataclass
from functools import cached_property

from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from ledgerlink.api.app import create_app
from ledgerlink.api.xero_parts import XeroParts
from ledgerlink.config import Settings, load_settings
from ledgerlink.store.clock import Clock, utc_now
from ledgerlink.store.crypto import resolve_secret_key
from ledgerlink.store.engine import make_engine, make_session_factory
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.engine import Worker, WorkerConfig
from ledgerlink.sync.exports import ExportRunner
from ledgerlink.sync.gateway import XeroGateway, box_of
from ledgerlink.sync.imports import ImportRunner
from ledgerlink.sync.imports.runner import Sleep
from ledgerlink.web import install as install_console


@dataclass
class Container:
    """What a process of ledgerlink runs on, built lazily from its settings."""

    settings: Settings
    clock: Clock = utc_now
    # How import jobs wait out Xero's rate limit.
    import_sleep: Sleep = asyncio.sleep
    # How a console sign-in waits after failed ones.
    sign_in_sleep: Sleep = asyncio.sleep

    def __post_init__(self) -> None:
        # Refuse to start rather than fail on the first Xero call: production needs its
        # own LEDGERLINK_SECRET_KEY to encrypt Xero tokens at rest.
        if self.settings.environment.strip().lower() == "production":
            box_of(self.settings)

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.settings.database_url)

    @cached_property
    def session_factory(self) -> sessionmaker[Session]:
        return make_session_factory(self.engine)

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(
            self.session_factory, clock=self.clock, files_dir=self.settings.attachments_dir
        )

    @cached_property
    def xero_gateway(self) -> XeroGateway:
        """Ready Xero clients per company (refuses production without a secret key)."""
        return XeroGateway(self.session_factory, self.settings, clock=self.clock)

    def api(self) -> FastAPI:
        parts = XeroParts(gateway=lambda: self.xero_gateway, import_runner=self.import_runner)
        settings = self.settings
        return create_app(
            self.uow,
            settings=settings,
            clock=self.clock,
            xero=parts,
            console=lambda app: install_console(
                app,
                secret_key=lambda: resolve_secret_key(
                    settings.environment, settings.secret_key, settings.var_dir
                ),
                secure_cookies=not is_development(settings),
                sleep=self.sign_in_sleep,
            ),
        )

    def import_runner(self) -> ImportRunner:
        """Imports from Xero; a worker calls `run_due_refreshes(now)` and `resume_due(now)`."""
        return ImportRunner(self.uow, self.xero_gateway, clock=self.clock, sleep=self.import_sleep)

    def export_runner(self) -> ExportRunner:
        """One-time exports to Xero; a worker calls `resume_due(now)`."""
        return ExportRunner(self.uow, self.xero_gateway, clock=self.clock, sleep=self.import_sleep)

    def worker(self, config: WorkerConfig | None = None) -> Worker:
        """The outbox worker, sending through the Xero gateway."""
        return Worker(self.uow, self.xero_gateway.client, config=config, clock=self.clock)

    def close(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()


def is_development(settings: Settings) -> bool:
    return settings.environment.strip().lower() == "development"


def build(settings: Settings | None = None) -> Container:
    return Container(settings or load_settings())
