"""Every mapped class, imported once so that metadata and Alembic see the whole schema."""

from workflow.adjustment.models import (
    AdjustmentChange,
    AdjustmentDeadline,
    TargetAdjustment,
    YardstickVersion,
)
from workflow.audit.models import AuditEvent
from workflow.db import Base
from workflow.declaration.models import (
    Declaration,
    DeclarationPerson,
    FundItem,
    FundSource,
    Indicator,
)
from workflow.evaluation.models import EvaluationFundItem, EvaluationIndicator, SelfEvaluation
from workflow.exports.models import RenderedDocument
from workflow.holidays.models import CalendarDay, CalendarYear
from workflow.imports.models import DeclarationImport
from workflow.library.models import LibraryIndicator, LibraryIndicatorType
from workflow.lifecycle.votes import ApprovalVote
from workflow.milestones.models import Milestone
from workflow.monitoring.models import (
    MonitoringIndicator,
    MonitoringReport,
    MonitoringRound,
    MonitoringRoundUnit,
)
from workflow.notify.models import Notification, OutboundEmail, Reminder, StepEscalation
from workflow.org.models import (
    LoginFailure,
    LoginRecord,
    LoginSession,
    PasswordHistory,
    ReviewerUnit,
    Unit,
    User,
    UserRole,
)
from workflow.projects.models import Project

__all__ = [
    "AdjustmentChange",
    "AdjustmentDeadline",
    "TargetAdjustment",
    "YardstickVersion",
    "ApprovalVote",
    "AuditEvent",
    "Base",
    "CalendarDay",
    "CalendarYear",
    "Declaration",
    "DeclarationImport",
    "LibraryIndicator",
    "LibraryIndicatorType",
    "DeclarationPerson",
    "EvaluationFundItem",
    "EvaluationIndicator",
    "FundItem",
    "FundSource",
    "Indicator",
    "Milestone",
    "MonitoringIndicator",
    "MonitoringReport",
    "MonitoringRound",
    "MonitoringRoundUnit",
    "Notification",
    "OutboundEmail",
    "Reminder",
    "RenderedDocument",
    "LoginFailure",
    "LoginRecord",
    "LoginSession",
    "PasswordHistory",
    "Project",
    "ReviewerUnit",
    "SelfEvaluation",
    "StepEscalation",
    "Unit",
    "User",
    "UserRole",
]
