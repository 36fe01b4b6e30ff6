"""The crisis directory file, and what a person in each region is shown."""

from __future__ import annotations

import json
from datetime import date

import pytest

from service.domain import crisis
from service.domain.crisis import (
    DirectoryError,
    directory_for,
    directory_regions,
    load_directory,
    region_for,
    resources_for,
)
from service.schemas.crisis import ResourceSchema
from tests.api.helpers import make_group

REGIONS = ("US", "CA", "GB", "IE", "AU", "NZ", "INTL")
RESOURCE_KEYS = {"id", "name", "kind", "region", "contacts", "hours", "url", "source", "checked_on"}


@pytest.fixture(scope="module")
def entries():
    return load_directory()


def _values(entries, channel):
    return {c["value"] for e in entries for c in e["contacts"] if c["channel"] == channel}


def test_every_entry_has_the_resource_shape(entries):
    for entry in entries:
        assert set(entry) == RESOURCE_KEYS, entry["id"]
        assert entry["source"].startswith("https://")
        assert date.fromisoformat(entry["checked_on"]) <= date(2026, 11, 22)
    for region in REGIONS:
        for entry in directory_for(region):
            assert ResourceSchema().validate(entry) == {}, entry["id"]


@pytest.mark.parametrize("region", REGIONS)
def test_each_region_of_the_issue_has_a_crisis_line(entries, region):
    kinds = {e["kind"] for e in entries if e["region"] == region}
    assert "crisis" in kinds


@pytest.mark.parametrize("region", ("US", "CA", "GB", "IE", "AU", "NZ"))
def test_each_country_has_a_non_crisis_line(entries, region):
    assert any(e["kind"] == "warmline" for e in entries if e["region"] == region)


def test_the_lines_named_in_the_brief_are_there(entries):
    by_region = {r: [e for e in entries if e["region"] == r] for r in REGIONS}
    assert "988" in _values(by_region["US"], "call")
    assert {"988", "741741"} <= _values(by_region["US"], "text")
    crisis_text_line = next(e for e in by_region["US"] if "741741" in _values([e], "text"))
    assert crisis_text_line["contacts"][0]["note"] == "Text HOME"
    assert any("warmline.org" in v for v in _values(by_region["US"], "web"))
    assert "988" in _values(by_region["CA"], "call") and "988" in _values(by_region["CA"], "text")
    assert "116 123" in _values(by_region["GB"], "call") and "85258" in _values(by_region["GB"], "text")
    assert "116 123" in _values(by_region["IE"], "call") and "50808" in _values(by_region["IE"], "text")
    assert {"13 11 14", "1300 22 4636", "13 92 76"} <= _values(by_region["AU"], "call")
    assert "0477 13 11 14" in _values(by_region["AU"], "text")
    assert {"1737", "0800 543 354"} <= _values(by_region["NZ"], "call")
    assert "https://findahelpline.com/" in _values(by_region["INTL"], "web")
    beyond_blue = next(e for e in by_region["AU"] if "1300 22 4636" in _values([e], "call"))
    assert beyond_blue["kind"] == "warmline"


def _write(tmp_path, document) -> object:
    path = tmp_path / "directory.json"
    path.write_text(json.dumps(document))
    return path


def _valid_document(entries):
    return {"about": "test", "resources": [dict(e) for e in entries[:2]]}


@pytest.mark.parametrize(
    "change",
    [
        {"kind": "hotline"},
        {"region": "us"},
        {"region": "USA"},
        {"contacts": []},
        {"contacts": [{"channel": "fax", "value": "1", "note": None}]},
        {"source": "not a url"},
        {"checked_on": "22/11/2026"},
        {"hours": ""},
        {"colour": "blue"},
        {"contacts": [{"channel": "call", "value": "1", "note": None, "regions": ["usa"]}]},
    ],
)
def test_a_wrong_entry_is_refused_by_name(tmp_path, entries, change):
    document = _valid_document(entries)
    document["resources"][0].update(change)
    with pytest.raises(DirectoryError, match=next(iter(change))):
        load_directory(_write(tmp_path, document))


def test_a_missing_field_or_a_repeated_id_is_refused(tmp_path, entries):
    document = _valid_document(entries)
    del document["resources"][0]["hours"]
    with pytest.raises(DirectoryError, match="hours"):
        load_directory(_write(tmp_path, document))
    document = _valid_document(entries)
    document["resources"][1]["id"] = document["resources"][0]["id"]
    with pytest.raises(DirectoryError, match="own id"):
        load_directory(_write(tmp_path, document))


def test_an_unreadable_file_is_refused(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json")
    with pytest.raises(DirectoryError, match="cannot be read"):
        load_directory(path)


class _Holder:
    def __init__(self, region):
        self.region = region


@pytest.mark.parametrize(
    ("registration", "group", "expected"),
    [
        (_Holder("US-CA"), _Holder("GB"), "US-CA"),
        (_Holder(None), _Holder("GB"), "GB"),
        (None, _Holder("NZ"), "NZ"),
        (_Holder(""), _Holder(None), None),
        (_Holder(" uk "), None, "GB"),
        (_Holder("uk-sct"), None, "GB-SCT"),
        (None, None, None),
    ],
)
def test_region_is_the_registrations_else_the_groups(registration, group, expected):
    assert region_for(registration, group) == expected


def test_region_for_takes_real_rows(org):
    group = make_group(org.id, region="AU")
    assert region_for(None, group) == "AU"


def _ids(resources):
    return [r["id"] for r in resources]


def test_a_region_gets_its_lines_then_the_fallback(app, org):
    shown = resources_for(org.id, "GB")
    regions = [r["region"] for r in shown]
    assert regions == sorted(regions, key=lambda r: r == "INTL")
    assert set(regions) == {"GB", "INTL"}
    assert _ids(shown)[-2:] == ["intl-emergency", "intl-find-a-helpline"]
    gb = [r for r in shown if r["region"] == "GB"]
    assert [r["kind"] for r in gb] == sorted((r["kind"] for r in gb), key=["crisis", "warmline"].index)
    assert all(set(r) == RESOURCE_KEYS for r in shown)


def test_the_organizations_own_come_first(org, other_org):
    own = crisis.create_resource(
        org.id,
        name="Riverside warmline",
        kind="warmline",
        region="US",
        contacts=[{"channel": "call", "value": "555-0100", "note": None}],
        hours="Evenings",
        source="https://riverside.example.org/warmline",
    )
    county = crisis.create_resource(
        org.id,
        name="County crisis team",
        kind="crisis",
        region="US-CA",
        contacts=[{"channel": "call", "value": "555-0199", "note": None}],
        hours="24/7",
        source="Confirmed by phone",
    )
    everywhere = crisis.create_resource(
        org.id,
        name="Our on-call line",
        kind="crisis",
        region="INTL",
        contacts=[{"channel": "call", "value": "555-0111", "note": None}],
        hours="During sessions",
        source="Internal",
    )
    shown = _ids(resources_for(org.id, "US-CA"))
    assert shown[:3] == [str(county.id), str(own.id), "us-988-lifeline"]
    assert shown.index(str(everywhere.id)) == shown.index("intl-emergency") - 1
    assert str(county.id) not in _ids(resources_for(org.id, "US"))
    assert _ids(resources_for(org.id, "US"))[0] == str(own.id)
    assert not {str(own.id), str(everywhere.id)} & set(_ids(resources_for(other_org.id, "US")))


def test_without_a_region_the_organizations_default_is_used(org):
    # The org fixture's default region is US.
    assert _ids(resources_for(org.id, None))[0] == "us-988-lifeline"


def test_an_unknown_region_still_gets_the_international_lines(org):
    shown = resources_for(org.id, "FR")
    assert _ids(shown) == ["intl-emergency", "intl-find-a-helpline"]
    assert _ids(resources_for(org.id, "INTL")) == _ids(shown)
    assert _ids(resources_for(org.id, "us"))[0] == "us-988-lifeline"


def test_callers_cannot_change_the_directory(org):
    resources_for(org.id, "US")[0]["contacts"].clear()
    assert resources_for(org.id, "US")[0]["contacts"]


def _calls(resource):
    return [c["value"] for c in resource["contacts"] if c["channel"] == "call"]


def test_a_person_in_the_uk_is_shown_their_own_lines_first_and_only_their_emergency_number(org):
    shown = resources_for(org.id, "GB")
    assert _ids(shown)[0] == "gb-samaritans"
    assert [r["region"] for r in shown].index("INTL") == 4, "every GB line before any international one"
    emergency = next(r for r in shown if r["id"] == "intl-emergency")
    assert _calls(emergency) == ["999"]
    assert not {"911", "000", "112"} & {v for r in shown for v in _calls(r)}
    assert resources_for(org.id, "UK") == shown
    assert resources_for(org.id, " uk ") == shown


@pytest.mark.parametrize(
    ("region", "numbers"),
    [("US", ["911"]), ("CA", ["911"]), ("IE", ["999"]), ("AU", ["000"]), ("NZ", ["111"])],
)
def test_the_emergency_number_is_the_persons_own(org, region, numbers):
    emergency = next(r for r in resources_for(org.id, region) if r["id"] == "intl-emergency")
    assert _calls(emergency) == numbers
    assert all(set(c) == {"channel", "value", "note"} for c in emergency["contacts"])


def test_elsewhere_every_emergency_number_is_shown_the_widest_first(org):
    for region in ("FR", "INTL", None):
        emergency = directory_for(region)[0]
        assert emergency["id"] == "intl-emergency"
        assert _calls(emergency) == ["112", "911", "999", "000", "111"]


def test_the_directory_alone_orders_lines_as_for_a_person(org):
    for region in REGIONS:
        assert directory_for(region) == resources_for(org.id, region), "an organization without its own lines"
    assert _ids(directory_for("gb"))[:4] == [
        "gb-samaritans",
        "gb-shout",
        "gb-nhs-111-mental-health",
        "gb-mind-infoline",
    ]
    assert directory_regions() == ["US", "CA", "GB", "IE", "AU", "NZ"]


def test_the_organizations_own_lines_kept_under_uk_are_shown_in_gb(org):
    own = crisis.create_resource(
        org.id,
        name="Our UK line",
        kind="crisis",
        region="UK",
        contacts=[{"channel": "call", "value": "0800 000 0000", "note": None}],
        hours="24/7",
        source="Internal",
    )
    assert _ids(resources_for(org.id, "GB"))[0] == str(own.id)
    assert _ids(resources_for(org.id, "uk"))[0] == str(own.id)
    assert str(own.id) not in _ids(resources_for(org.id, "IE"))
