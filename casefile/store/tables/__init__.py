"""The piccolo tables, one per module (STYLE.md habit 7). Money is integer cents everywhere:
piccolo's `Numeric` is a float on SQLite (STACK-NOTES.md)."""

from casefile.store.tables.api_token import ApiToken
from casefile.store.tables.audit_entry import AuditEntry
from casefile.store.tables.background_task import BackgroundTask
from casefile.store.tables.case import Case
from casefile.store.tables.claim import Claim
from casefile.store.tables.court import Court
from casefile.store.tables.deadline import DeadlineRecord
from casefile.store.tables.document import Document
from casefile.store.tables.dunning_action import DunningAction
from casefile.store.tables.event import Event
from casefile.store.tables.explanation import ExplanationText
from casefile.store.tables.feed_state import FeedState
from casefile.store.tables.feed_token import FeedToken
from casefile.store.tables.installation import Installation
from casefile.store.tables.invoice_reading import InvoiceReading
from casefile.store.tables.job_run import JobRun
from casefile.store.tables.login_throttle import LoginThrottle
from casefile.store.tables.mail_log import MailLog
from casefile.store.tables.party import Party
from casefile.store.tables.payment import Payment
from casefile.store.tables.payment_plan import PaymentPlan
from casefile.store.tables.payment_promise import PaymentPromise
from casefile.store.tables.piece import Piece
from casefile.store.tables.piece_text import PieceText
from casefile.store.tables.piece_version import PieceVersion
from casefile.store.tables.plan_instalment import PlanInstalment
from casefile.store.tables.reminder_prefs import ReminderPrefs
from casefile.store.tables.user_account import UserAccount
from casefile.store.tables.web_session import WebSession

# In dependency order (a table after the tables it references).
ALL_TABLES = (
    UserAccount,
    ApiToken,
    Court,
    Case,
    Party,
    Claim,
    Payment,
    Event,
    ExplanationText,
    DeadlineRecord,
    AuditEntry,
    Piece,
    PieceVersion,
    PieceText,
    Document,
    FeedToken,
    FeedState,
    PaymentPlan,
    PlanInstalment,
    WebSession,
    LoginThrottle,
    JobRun,
    ReminderPrefs,
    MailLog,
    InvoiceReading,
    DunningAction,
    PaymentPromise,
    BackgroundTask,
    Installation,
)

__all__ = [
    "ALL_TABLES",
    "ApiToken",
    "AuditEntry",
    "BackgroundTask",
    "Case",
    "Claim",
    "Court",
    "DeadlineRecord",
    "Document",
    "DunningAction",
    "Event",
    "ExplanationText",
    "FeedState",
    "FeedToken",
    "Installation",
    "InvoiceReading",
    "JobRun",
    "LoginThrottle",
    "MailLog",
    "Party",
    "Payment",
    "PaymentPlan",
    "PaymentPromise",
    "Piece",
    "PieceText",
    "PieceVersion",
    "PlanInstalment",
    "ReminderPrefs",
    "UserAccount",
    "WebSession",
]
