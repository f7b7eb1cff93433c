"""The projects app's models, one module per part of the business (as pretix's base/models/);
the rest of the code, the migrations and the admin import them from here."""

from .base import (  # noqa: F401
    ADDRESS_MAX_LENGTH,
    MAX_AMOUNT,
    NARRATIVE_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    PROJECT_CODE_PATTERN,
    PROJECT_CODE_PREFIX,
    TEXT_MAX_LENGTH,
    SequenceCounter,
    StoredFile,
    amount_validators,
    end_not_before_start,
    random_upload_name,
    scale_validators,
)
from .billing import BillingMilestone, amount_of_percent, percent_of_amount  # noqa: F401
from .budget import Baseline, BudgetLine, BudgetSnapshotMixin, BudgetSubmission, CostCategory  # noqa: F401
from .change_control import ROUTE_REASONS, ChangeCost, ChangeRequest, ProjectException, route_reason_text  # noqa: F401
from .closing import SatisfactionSurvey  # noqa: F401
from .customers import Customer, CustomerContact  # noqa: F401
from .documents import DocumentCategory, ProjectDocument  # noqa: F401
from .intakes import AttachmentKind, Intake, IntakeAttachment, IntakeMessage  # noqa: F401
from .meetings import (  # noqa: F401
    MAX_DURATION_MINUTES,
    AgendaItem,
    AgendaSection,
    Meeting,
    MeetingAttendee,
    MeetingInvitation,
    MinutesDelivery,
    MinutesDocument,
    Outcome,
)
from .plan import Activity, Dependency, Milestone, Phase  # noqa: F401
from .projects import Project  # noqa: F401
from .quality import (  # noqa: F401
    ChecklistAnswer,
    ChecklistEvidence,
    ChecklistRun,
    ChecklistTemplate,
    ChecklistTemplateItem,
    ProjectTypeChecklist,
)
from .reference import LevelThreshold, ProjectType  # noqa: F401
from .registers import PROBABILITY_PERCENT, ActionItem, Decision, Lesson, ProjectIssue, Risk  # noqa: F401
from .resources import Absence, Assignment, Resource, new_calendar_token  # noqa: F401
from .safety import SafetyAction, SafetyIncident  # noqa: F401
from .timesheets import (  # noqa: F401
    DAY_LABELS,
    DAYS,
    HOURS_PER_DAY_MAX,
    CostRate,
    MonthLock,
    Timesheet,
    TimesheetLine,
    labour_cost,
    week_monday,
)
