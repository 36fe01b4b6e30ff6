"""The organization's on-call escalation policy: ordered routes, each with a time to acknowledge."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from service.domain.errors import Invalid
from service.extensions import db
from service.i18n import N_
from service.models import OnCallStep, WebhookEndpoint


@dataclass(frozen=True)
class Readiness:
    """Whether an incident raised now would reach anyone, and if not, why."""

    ready: bool
    routes: int
    problem: str | None

    def as_dict(self) -> dict[str, Any]:
        """With the problem in words for people, as the API and the console show it."""
        return {
            "ready": self.ready,
            "routes": self.routes,
            "problem": self.problem,
            "message": PROBLEMS.get(self.problem) if self.problem else None,
        }


# What a facilitator or the API is told when an incident could reach nobody.
PROBLEMS = {
    "no_route": N_("The organization has no on-call route: an escalation would reach nobody."),
    "routes_unusable": N_(
        "No on-call route can be used: the webhook endpoints are disabled and e-mail is not set up."
    ),
}


def steps_of(organization_id: uuid.UUID) -> list[OnCallStep]:
    """The policy's steps, first to last."""
    return list(
        db.session.execute(
            db.select(OnCallStep)
            .where(OnCallStep.organization_id == organization_id)
            .order_by(OnCallStep.position)
        ).scalars()
    )


def replace_policy(organization_id: uuid.UUID, steps: list[dict[str, Any]]) -> list[OnCallStep]:
    """Make `steps` (kind, endpoint_id or email, ack_seconds) the whole policy, in this order, and commit."""
    owned = set(
        db.session.execute(
            db.select(WebhookEndpoint.id).where(WebhookEndpoint.organization_id == organization_id)
        ).scalars()
    )
    problems = {
        str(index): {"endpoint_id": ["No such webhook endpoint."]}
        for index, step in enumerate(steps)
        if step["kind"] == "webhook" and step["endpoint_id"] not in owned
    }
    if problems:
        raise Invalid(
            "A step names a webhook endpoint this organization does not have.", fields={"steps": problems}
        )
    db.session.execute(db.delete(OnCallStep).where(OnCallStep.organization_id == organization_id))
    db.session.flush()
    made = [
        OnCallStep(
            organization_id=organization_id,
            position=index,
            kind=step["kind"],
            endpoint_id=step.get("endpoint_id") if step["kind"] == "webhook" else None,
            email=step.get("email") if step["kind"] == "email" else None,
            ack_seconds=step["ack_seconds"],
        )
        for index, step in enumerate(steps, start=1)
    ]
    db.session.add_all(made)
    db.session.commit()
    return made


def _usable(step: OnCallStep, smtp_configured: bool) -> bool:
    if step.kind == "email":
        return smtp_configured
    endpoint = db.session.get(WebhookEndpoint, step.endpoint_id)
    return endpoint is not None and endpoint.enabled


def readiness(organization_id: uuid.UUID, smtp_configured: bool) -> Readiness:
    """Whether the organization's policy has a route that can be tried now."""
    steps = steps_of(organization_id)
    usable = [step for step in steps if _usable(step, smtp_configured)]
    if not steps:
        return Readiness(False, 0, "no_route")
    if not usable:
        return Readiness(False, 0, "routes_unusable")
    return Readiness(True, len(usable), None)


def has_route(organization_id: uuid.UUID) -> bool:
    """Whether the policy has any step at all (whether it works is learnt by trying it)."""
    return (
        db.session.execute(
            db.select(OnCallStep.id).where(OnCallStep.organization_id == organization_id).limit(1)
        ).first()
        is not None
    )
