"""The persistence layer: every table of Hearth."""

from service.models.anonymous_ratings import AnonymousRating
from service.models.attendance import Attendance
from service.models.audit import ACTOR_KINDS, AuditEntry, Erasure, SessionRemoval
from service.models.crisis import CONTACT_CHANNELS, RESOURCE_KINDS, CrisisResource
from service.models.facilitators import Facilitator
from service.models.groups import FACILITATOR_ROLES, GROUP_STATUSES, Group, GroupFacilitator
from service.models.idempotency import IdempotencyRecord
from service.models.notes import NOTE_MAX_LENGTH, SessionNote
from service.models.oncall import (
    ATTEMPT_PURPOSES,
    ATTEMPT_STATUSES,
    ROUTE_KINDS,
    EscalationAttempt,
    OnCallStep,
)
from service.models.organizations import RETENTION_DEFAULTS, ApiKey, Organization
from service.models.outbox import DELIVERY_STATUSES, WebhookAttempt, WebhookDelivery, WebhookEvent
from service.models.registrations import REGISTRATION_STATUSES, Registration
from service.models.sessions import SESSION_STATUSES, CircleSession
from service.models.support import (
    ALERT_KINDS,
    INCIDENT_STATUSES,
    NOTIFICATION_STATUSES,
    SEVERITIES,
    SYSTEM,
    Incident,
    IncidentNote,
    SupportAlert,
)
from service.models.types import utcnow
from service.models.webhooks import (
    NOTICE_KINDS,
    NOTICE_STATUSES,
    WEBHOOK_EVENT_TYPES,
    EndpointNotice,
    WebhookEndpoint,
)

__all__ = [
    "ACTOR_KINDS",
    "ALERT_KINDS",
    "ATTEMPT_PURPOSES",
    "ATTEMPT_STATUSES",
    "CONTACT_CHANNELS",
    "DELIVERY_STATUSES",
    "FACILITATOR_ROLES",
    "GROUP_STATUSES",
    "INCIDENT_STATUSES",
    "NOTE_MAX_LENGTH",
    "NOTICE_KINDS",
    "NOTICE_STATUSES",
    "NOTIFICATION_STATUSES",
    "REGISTRATION_STATUSES",
    "RESOURCE_KINDS",
    "RETENTION_DEFAULTS",
    "ROUTE_KINDS",
    "SESSION_STATUSES",
    "SEVERITIES",
    "SYSTEM",
    "WEBHOOK_EVENT_TYPES",
    "AnonymousRating",
    "ApiKey",
    "Attendance",
    "AuditEntry",
    "CircleSession",
    "CrisisResource",
    "EndpointNotice",
    "Erasure",
    "EscalationAttempt",
    "Facilitator",
    "Group",
    "GroupFacilitator",
    "IdempotencyRecord",
    "Incident",
    "IncidentNote",
    "OnCallStep",
    "Organization",
    "Registration",
    "SessionNote",
    "SessionRemoval",
    "SupportAlert",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
    "utcnow",
]
