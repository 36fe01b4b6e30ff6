"""Crisis lines and warmlines: the directory, the organization's own, and what a person sees."""

from __future__ import annotations

import copy
import functools
import json
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import marshmallow as ma

from service.domain.lookup import get_owned
from service.extensions import db
from service.models import CrisisResource, Group, Organization, Registration
from service.schemas.crisis import DirectoryFileSchema

DIRECTORY_PATH = Path(__file__).resolve().parent.parent / "data" / "crisis_resources.json"
FALLBACK_REGION = "INTL"
# The emergency number of each region the directory covers (its `intl-emergency` entry lists them
# for people; this is for telling a facilitator the one number to call).
EMERGENCY_NUMBERS = {"US": "911", "CA": "911", "GB": "999", "IE": "112", "AU": "000", "NZ": "111"}
# Within each block, crisis lines come before warmlines.
_KIND_ORDER = {"crisis": 0, "warmline": 1}
# ISO 3166 reserves UK for the United Kingdom, whose code is GB; people and systems write UK.
_REGION_ALIASES = {"UK": "GB"}


class DirectoryError(ValueError):
    """The directory file is not valid; the message names what is wrong."""


def load_directory(path: Path = DIRECTORY_PATH) -> list[dict[str, Any]]:
    """The directory's entries, each a Resource dict; raises DirectoryError when the file is wrong."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DirectoryError(f"{path.name} cannot be read: {error}") from error
    try:
        DirectoryFileSchema().load(document)
    except ma.ValidationError as error:
        raise DirectoryError(f"{path.name} is not valid: {error.messages}") from error
    return document["resources"]


@functools.cache
def _directory() -> tuple[dict[str, Any], ...]:
    return tuple(load_directory())


def directory_entries(region: str, country: str | None = None) -> list[dict[str, Any]]:
    """The directory's resources for exactly this region, as a person in `country` sees them.

    A contact may name the countries it is for: where one of an entry's contacts names the
    person's country only those are kept (a person in GB is shown 999, not 911 and 000);
    anyone else is shown them all. Each is a copy the caller may change.
    """
    return [_as_seen_from(entry, country) for entry in _directory() if entry["region"] == region]


def normalize_region(region: str | None) -> str | None:
    """A region as the directory spells it: upper case, UK read as GB; None when empty."""
    code = (region or "").strip().upper()
    if not code:
        return None
    country, dash, subdivision = code.partition("-")
    return _REGION_ALIASES.get(country, country) + dash + subdivision


def region_for(registration: Registration | None, group: Group | None) -> str | None:
    """The person's region: their registration's, else the group's; never guessed from an address."""
    for holder in (registration, group):
        if holder is not None and holder.region:
            return normalize_region(holder.region)
    return None


def emergency_number(organization_id: uuid.UUID, region: str | None) -> str | None:
    """The emergency number for a region (its country's; the organization's default region without one)."""
    return country_emergency_number(region or _default_region(organization_id))


def country_emergency_number(region: str | None) -> str | None:
    """The emergency number of the country a region is in, when the directory knows it."""
    country = (normalize_region(region) or "").split("-", 1)[0]
    return EMERGENCY_NUMBERS.get(country)


def resources_for(organization_id: uuid.UUID, region: str | None) -> list[dict[str, Any]]:
    """What a person in `region` sees: their own region's lines, then national, then international.

    The organization's own come first in each: a subdivision (US-CA) gets the organization's
    entries for it, then the organization's and the directory's for its country, then the
    organization's INTL entries and the directory's. Without a region the organization's
    default region is used; without that, or for a region the directory does not cover, the
    international entries still follow.
    """
    local, country = _local_regions(person_region(organization_id, region))
    return _arranged(local, country, _own_by_region(organization_id, [*local, FALLBACK_REGION]))


def person_region(organization_id: uuid.UUID, region: str | None) -> str | None:
    """The region whose lines a person is shown: theirs, else the organization's default."""
    return normalize_region(region) or normalize_region(_default_region(organization_id))


def directory_for(region: str | None) -> list[dict[str, Any]]:
    """What a person in `region` sees from the directory alone, where no organization is known."""
    local, country = _local_regions(normalize_region(region))
    return _arranged(local, country, {})


def directory_regions() -> list[str]:
    """The countries the directory has lines for, in the file's order (INTL not among them)."""
    return list(dict.fromkeys(e["region"] for e in _directory() if e["region"] != FALLBACK_REGION))


def as_resource(resource: CrisisResource) -> dict[str, Any]:
    """An organization's resource in the Resource shape shared with the directory."""
    return {
        "id": str(resource.id),
        "name": resource.name,
        "kind": resource.kind,
        "region": resource.region,
        "contacts": [dict(contact) for contact in resource.contacts],
        "hours": resource.hours,
        "url": resource.url,
        "source": resource.source,
        "checked_on": resource.checked_on.isoformat(),
    }


def get_resource(organization_id: uuid.UUID, resource_id: uuid.UUID) -> CrisisResource:
    return get_owned(CrisisResource, organization_id, resource_id, "crisis resource")


def create_resource(
    organization_id: uuid.UUID,
    *,
    name: str,
    kind: str,
    region: str,
    contacts: list[dict[str, Any]],
    hours: str,
    source: str,
    url: str | None = None,
    checked_on: date | None = None,
) -> CrisisResource:
    """Add one of the organization's own lines; `checked_on` is today unless given."""
    resource = CrisisResource(
        organization_id=organization_id,
        name=name,
        kind=kind,
        region=region,
        contacts=[dict(contact) for contact in contacts],
        hours=hours,
        url=url,
        source=source,
        checked_on=checked_on or date.today(),
    )
    db.session.add(resource)
    db.session.commit()
    return resource


def update_resource(organization_id: uuid.UUID, resource_id: uuid.UUID, **changes: Any) -> CrisisResource:
    """Change the given fields and leave the rest as they are."""
    resource = get_resource(organization_id, resource_id)
    for field, value in changes.items():
        setattr(resource, field, [dict(c) for c in value] if field == "contacts" else value)
    db.session.commit()
    return resource


def delete_resource(organization_id: uuid.UUID, resource_id: uuid.UUID) -> None:
    db.session.delete(get_resource(organization_id, resource_id))
    db.session.commit()


def _local_regions(region: str | None) -> tuple[list[str], str | None]:
    """The regions whose own entries a person in `region` sees before INTL, and their country."""
    if not region or region == FALLBACK_REGION:
        return [], None
    country = region.split("-", 1)[0]
    return ([region] if region == country else [region, country]), country


def _arranged(
    local: list[str], country: str | None, own: dict[str, list[dict[str, Any]]]
) -> list[dict[str, Any]]:
    blocks = [own.get(r, []) for r in local]
    if country:
        blocks.append(directory_entries(country, country))
    blocks.append(own.get(FALLBACK_REGION, []))
    blocks.append(directory_entries(FALLBACK_REGION, country))
    return [entry for block in blocks for entry in sorted(block, key=lambda e: _KIND_ORDER[e["kind"]])]


def _as_seen_from(entry: dict[str, Any], country: str | None) -> dict[str, Any]:
    contacts = entry["contacts"]
    theirs = [c for c in contacts if country in c.get("regions", ())]
    shown = copy.deepcopy(entry)
    shown["contacts"] = [
        {key: value for key, value in contact.items() if key != "regions"} for contact in theirs or contacts
    ]
    return shown


def _default_region(organization_id: uuid.UUID) -> str | None:
    organization = db.session.get(Organization, organization_id)
    return organization.default_region if organization else None


def _own_by_region(organization_id: uuid.UUID, regions: list[str]) -> dict[str, list[dict[str, Any]]]:
    # An organization's own lines may be kept under an alias (UK): they are found as GB's.
    spellings = [spelling for region in regions for spelling in _spellings(region)]
    rows = db.session.execute(
        db.select(CrisisResource)
        .where(CrisisResource.organization_id == organization_id, CrisisResource.region.in_(spellings))
        .order_by(CrisisResource.created_at, CrisisResource.id)
    ).scalars()
    found: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        found.setdefault(normalize_region(row.region), []).append(as_resource(row))
    return found


def _spellings(region: str) -> list[str]:
    country, dash, subdivision = region.partition("-")
    return [
        region,
        *(alias + dash + subdivision for alias, real in _REGION_ALIASES.items() if real == country),
    ]
