"""Property-based fuzzing of the API's own OpenAPI: thousands of generated requests.

Every operation of /api/v1/openapi.json is called by schemathesis with an admin's
token on a company that holds one record of each kind, so ids in paths and bodies
often name real records. No answer may be a server error. The seed is fixed, so a
run is repeatable; `make fuzz` runs a larger budget with a random seed.
LEDGERLINK_FUZZ_DATABASE=postgres runs it on a fresh schema of the PostgreSQL database
named by LEDGERLINK_TEST_POSTGRES_URL (`make fuzz` runs it on both when that is set).
"""

import os
from collections.abc import Iterator

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from ledgerlink.bootstrap import Container
from ledgerlink.config import Settings
from ledgerlink.store.migrate import upgrade
from ledgerlink.store.records import Role
from tests.integration.api.conftest import Tenant, make_tenant
from tests.integration.conftest import _fresh_postgres_schema, _postgres_admin_url

EXAMPLES = int(os.environ.get("LEDGERLINK_FUZZ_EXAMPLES", "12"))
DERANDOMIZE = os.environ.get("LEDGERLINK_FUZZ_RANDOM", "") == ""
DATABASE = os.environ.get("LEDGERLINK_FUZZ_DATABASE", "sqlite")


def _fuzz_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if DATABASE == "postgres":
        yield from _fresh_postgres_schema(_postgres_admin_url())
        return
    yield f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'ledgerlink.db'}"


@pytest.fixture(scope="module")
def fuzz_container(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Container]:
    for url in _fuzz_database(tmp_path_factory):
        upgrade(url)
        built = Container(Settings(database_url=url))
        yield built
        built.close()


@pytest.fixture(scope="module")
def fuzz_admin(fuzz_container: Container) -> Tenant:
    admin = make_tenant(fuzz_container, "Acme Ltd", "admin@acme.test", Role.ADMIN)
    with TestClient(fuzz_container.api()) as client:
        supplier = client.post(
            admin.url("/suppliers"), json={"name": "Seed"}, headers=admin.headers
        )
        assert supplier.status_code == 201, supplier.text
    return admin


@pytest.fixture(scope="module")
def api_schema(fuzz_container: Container, fuzz_admin: Tenant) -> schemathesis.BaseSchema:
    app = fuzz_container.api()
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    return schema


def _operation_ids() -> list[tuple[str, str]]:
    from ledgerlink.api.app import create_app

    spec = create_app(lambda: None).openapi()  # type: ignore[arg-type,return-value]
    return [(method.upper(), path) for path, ops in spec["paths"].items() for method in ops]


OPERATIONS = _operation_ids()


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_no_operation_answers_a_server_error(
    api_schema: schemathesis.BaseSchema, fuzz_admin: Tenant, method: str, path: str
) -> None:
    operation = api_schema[path][method]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=DERANDOMIZE,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def call(case: schemathesis.Case) -> None:
        case.headers = {**(case.headers or {}), **fuzz_admin.headers}
        if case.path_parameters and "company_id" in case.path_parameters:
            case.path_parameters["company_id"] = fuzz_admin.company_id
        response = case.call()
        assert response.status_code < 500, (
            f"{case.method} {case.formatted_path} answered {response.status_code}: "
            f"{response.text[:500]}\nreproduce: {case.as_curl_command()}"
        )

    call()
