"""What the document routes share: turning a request body into domain fields."""

import enum
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from ledgerlink.api.crud import Resource
from ledgerlink.api.deps import CompanyAccess
from ledgerlink.api.document_checks import check_document
from ledgerlink.api.references import check_document_references
from ledgerlink.api.schemas.documents import DocumentPublic, document_public
from ledgerlink.domain.document import Document
from ledgerlink.domain.errors import InvalidValue
from ledgerlink.domain.lines import make_lines, with_tax_rates
from ledgerlink.domain.parties import Address
from ledgerlink.store.repositories.aggregates import AggregateRepository
from ledgerlink.store.uow import SqlUnitOfWork


def document_fields(
    body: BaseModel, company_id: Any, uow: SqlUnitOfWork, kind: Any = None
) -> dict[str, Any]:
    """The fields of `body` that were sent, with lines carrying their tax rates, once
    every record they refer to is known to be the company's (`kind`: a credit note's)."""
    fields = body.model_dump(exclude_unset=True)
    if "lines" in fields:
        rates = uow.tax_rates.rates(company_id)
        fields["lines"] = with_tax_rates(make_lines(fields["lines"]), rates)
    check_document_references(uow, company_id, fields, fields.get("kind", kind))
    if fields.get("delivery_address") is not None:
        fields["delivery_address"] = Address(**fields["delivery_address"])
    shipping_tax = fields.get("shipping_tax_type")
    if shipping_tax is not None:
        rates = uow.tax_rates.rates(company_id)
        if shipping_tax not in rates:
            known = ", ".join(sorted(rates)) or "none imported"
            raise InvalidValue(
                "shipping_tax_type", f"unknown tax type {shipping_tax!r}; known tax types: {known}"
            )
        fields["shipping_tax_rate"] = rates[shipping_tax]
    elif "shipping_tax_type" in fields:
        fields["shipping_tax_rate"] = None
    return fields


def new_document(
    kind: type[Document], access: CompanyAccess, body: BaseModel, uow: SqlUnitOfWork
) -> Any:
    """A new draft of `kind` from `body`, with the company's rounding and, unless the
    body says, its line amount type."""
    company = uow.companies.get(access.company_id)
    fields = document_fields(body, access.company_id, uow)
    if company is not None:
        fields.setdefault("line_amount_type", company.settings.line_amount_type)
    unit_dp = company.settings.rounding if company is not None else 2
    return kind(company_id=access.company_id, unit_dp=unit_dp, **fields)


def edit_document(document: Document, body: BaseModel, uow: SqlUnitOfWork) -> None:
    kind = getattr(document, "kind", None)
    document.edit(**document_fields(body, document.company_id, uow, kind))


def document_resource(
    kind: type[Document],
    *,
    path: str,
    repository: Callable[[SqlUnitOfWork], AggregateRepository[Any]],
    public: type[DocumentPublic],
    create_body: type[BaseModel],
    update_body: type[BaseModel],
    statuses: type[enum.Enum],
) -> Resource[Any]:
    """The list/get/create/update resource of one document kind."""

    def create(access: CompanyAccess, body: Any, uow: SqlUnitOfWork) -> Any:
        return new_document(kind, access, body, uow)

    return Resource(
        path=path,
        label=kind.LABEL,
        repository=repository,
        public=public,
        create_body=create_body,
        update_body=update_body,
        create=create,
        update=edit_document,
        to_public=lambda document: document_public(public, document),
        statuses=tuple(str(s.value) for s in statuses),
        not_nullable=frozenset({"line_amount_type"}),
        check=check_document,
    )
