"""A small, typed, async client for the Xero API.

It refreshes OAuth 2.0 tokens single-flight, keeps to Xero's rate limits, retries with
jittered backoff and one ``Idempotency-Key`` per logical write, batches writes with
per-element results, and reads paged collections with tolerant, exact parsing.

Connecting and calling, in short::

    oauth = OAuth2Client(client_id, client_secret, redirect_uri, http)
    request = oauth.authorization_request()          # send the user to request.url
    tokens = await oauth.exchange_code(code, request.code_verifier)
    (connection, *_) = await oauth.connections(tokens.access_token)
    source = OAuthTokenSource(InMemoryTokenStore(tokens), oauth)
    client = XeroClient(connection.tenant_id, source, InMemoryRateLimiter(), http)
    results = await client.create_invoices(bills, idempotency_key="export-42")
    saved = {r.index: r.id for r in results if r.ok}
"""

from ._auth import REFRESH_MARGIN, OAuthTokenSource, TokenSource, XeroAuth
from ._batch import MAX_BATCH_BYTES, MAX_BATCH_ELEMENTS, BatchResult
from ._client import XeroClient
from ._clock import Clock, Jitter, Sleep, SystemClock
from ._errors import (
    AuthError,
    ConnectionRevoked,
    ElementErrors,
    FatalError,
    Forbidden,
    InvalidRequest,
    NotConnected,
    NotFound,
    OAuthError,
    PagingError,
    RateLimit,
    RateLimited,
    RequestInProgress,
    RetriableError,
    ServerError,
    Unauthorized,
    ValidationFailed,
    XeroConnectionError,
    XeroError,
    XeroTimeout,
)
from ._files_api import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS_PER_RECORD, RecordCollection
from ._limits import (
    MAX_INLINE_WAIT_SECONDS,
    InMemoryRateLimiter,
    LimitObservation,
    NoRateLimiter,
    RateLimiter,
    XeroLimits,
)
from ._models import (
    Account,
    AccountStatus,
    AccountType,
    Address,
    Allocation,
    Attachment,
    BankTransaction,
    BatchPayment,
    Contact,
    ContactPerson,
    ContactStatus,
    CreditNote,
    CreditNoteType,
    HistoryRecord,
    Invoice,
    InvoiceStatus,
    InvoiceType,
    Item,
    ItemPrice,
    LineAmountTypes,
    LineItem,
    LineItemTracking,
    Organisation,
    Overpayment,
    Payment,
    PaymentStatus,
    Phone,
    Prepayment,
    PurchaseOrder,
    PurchaseOrderStatus,
    TaxComponent,
    TaxRate,
    TrackingCategory,
    TrackingOption,
    ValidationMessage,
    XeroModel,
)
from ._oauth import (
    DEFAULT_SCOPES,
    AuthorizationRequest,
    Connection,
    OAuth2Client,
    XeroEndpoints,
    pkce_challenge,
)
from ._paging import MAX_PAGE_SIZE, Paginator
from ._retry import MAX_IDEMPOTENCY_KEY_LENGTH, RetryPolicy, chunk_key
from ._tokens import InMemoryTokenStore, TokenSet, TokenStore
from ._wire import dumps as dump_json
from ._wire import loads as load_json
from ._wire import parse_date, parse_datetime

__all__ = [
    "DEFAULT_SCOPES",
    "MAX_ATTACHMENTS_PER_RECORD",
    "MAX_ATTACHMENT_BYTES",
    "MAX_BATCH_BYTES",
    "MAX_BATCH_ELEMENTS",
    "MAX_IDEMPOTENCY_KEY_LENGTH",
    "MAX_INLINE_WAIT_SECONDS",
    "MAX_PAGE_SIZE",
    "REFRESH_MARGIN",
    "Account",
    "AccountStatus",
    "AccountType",
    "Address",
    "Allocation",
    "Attachment",
    "AuthError",
    "AuthorizationRequest",
    "BankTransaction",
    "BatchPayment",
    "BatchResult",
    "Clock",
    "Connection",
    "ConnectionRevoked",
    "Contact",
    "ContactPerson",
    "ContactStatus",
    "CreditNote",
    "CreditNoteType",
    "ElementErrors",
    "FatalError",
    "Forbidden",
    "HistoryRecord",
    "InMemoryRateLimiter",
    "InMemoryTokenStore",
    "InvalidRequest",
    "Invoice",
    "InvoiceStatus",
    "InvoiceType",
    "Item",
    "ItemPrice",
    "Jitter",
    "LimitObservation",
    "LineAmountTypes",
    "LineItem",
    "LineItemTracking",
    "NoRateLimiter",
    "NotConnected",
    "NotFound",
    "OAuth2Client",
    "OAuthError",
    "OAuthTokenSource",
    "Organisation",
    "Overpayment",
    "Paginator",
    "PagingError",
    "Payment",
    "PaymentStatus",
    "Phone",
    "Prepayment",
    "PurchaseOrder",
    "PurchaseOrderStatus",
    "RateLimit",
    "RateLimited",
    "RateLimiter",
    "RecordCollection",
    "RequestInProgress",
    "RetriableError",
    "RetryPolicy",
    "ServerError",
    "Sleep",
    "SystemClock",
    "TaxComponent",
    "TaxRate",
    "TokenSet",
    "TokenSource",
    "TokenStore",
    "TrackingCategory",
    "TrackingOption",
    "Unauthorized",
    "ValidationFailed",
    "ValidationMessage",
    "XeroAuth",
    "XeroClient",
    "XeroConnectionError",
    "XeroEndpoints",
    "XeroError",
    "XeroLimits",
    "XeroModel",
    "XeroTimeout",
    "chunk_key",
    "dump_json",
    "load_json",
    "parse_date",
    "parse_datetime",
    "pkce_challenge",
]
