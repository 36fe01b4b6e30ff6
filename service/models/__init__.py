"""The persistence layer: every table of Hearth."""

from service.models.attendance import Attendance
from service.models.audit import ACTOR_KINDS, AuditEntry, SessionRemoval
from service.models.facilitators import Facilitator
from service.models.groups import FACILITATOR_ROLES, GROUP_STATUSES, MODES, Group, GroupFacilitator
from service.models.idempotency import IdempotencyRecord
from service.models.organizations import ApiKey, Organization
from service.models.registrations import REGISTRATION_STATUSES, Registration
from service.models.sessions import SESSION_STATUSES, CircleSession
from service.models.types import utcnow
from service.models.webhooks import WEBHOOK_EVENT_TYPES, WebhookEndpoint

__all__ = [
    "ACTOR_KINDS",
    "FACILITATOR_ROLES",
    "GROUP_STATUSES",
    "MODES",
    "REGISTRATION_STATUSES",
    "SESSION_STATUSES",
    "WEBHOOK_EVENT_TYPES",
    "ApiKey",
    "Attendance",
    "AuditEntry",
    "CircleSession",
    "Facilitator",
    "Group",
    "GroupFacilitator",
    "IdempotencyRecord",
    "Organization",
    "Registration",
    "SessionRemoval",
    "WebhookEndpoint",
    "utcnow",
]
