"""Club files: located errors, valid records kept, schema, round trips; the CLI (issue 12)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # no stubs shipped
import pytest
from hypothesis import given

import keyaccount.io as kio
from keyaccount.cli import main
from keyaccount.club import Ledger
from keyaccount.errors import DataFileError
from keyaccount.io import ClubFile, json_schema
from keyaccount.testing import club_ledgers

DATA = Path(__file__).resolve().parent.parent / "examples" / "data"
CLUB = DATA / "club.json"
AT = "2026-01-05T10:00:00+08:00"


def document(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "cards": [
            {"type": "issued", "at": AT, "card": "C-1", "member_id": "m1",
             "valid_until": "2027-01-05T00:00:00+08:00"},
            {"type": "lost", "at": "2026-02-01T09:00:00+08:00", "card": "C-1"},
            {"type": "replaced", "at": "2026-02-02T09:00:00+08:00", "card": "C-1",
             "new_card": "C-2"},
        ],
        "operations": [
            {"type": "earn", "id": "E-1", "at": AT, "card": "C-1",
             "spend": {"amount": "880.00", "currency": "CNY"}, "kind": "room"},
            {"type": "redeem", "id": "R-1", "at": "2026-03-01T09:00:00+08:00", "card": "C-2",
             "points": 500, "gift": "cup"},
        ],
    }  # fmt: skip
    data.update(changes)
    return data


def loads(data: dict[str, Any]) -> kio.LoadedClub:
    return kio.loads_club(json.dumps(data))


def test_the_example_file_loads_without_problems_and_matches_its_schema() -> None:
    loaded = kio.load_club(CLUB)
    assert loaded.ok
    assert len(loaded.ledger.operations) == 14
    jsonschema.validate(json.loads(CLUB.read_text(encoding="utf-8")), json_schema(ClubFile))


def test_every_bad_record_is_reported_at_its_path_and_the_valid_ones_are_kept() -> None:
    data = document()
    data["operations"] += [
        {"type": "earn", "id": "E-2", "at": AT, "card": "C-1", "spend": {"amount": 9.5},
         "kind": "room"},
        {"type": "redeem", "id": "R-2", "at": "2026-03-02T09:00:00+08:00", "card": "C-2",
         "points": 99999, "gift": "tv"},
        {"type": "redeem", "id": "R-3", "at": "2026-03-03T09:00:00+08:00", "card": "C-1",
         "points": 1, "gift": "pen"},
        {"type": "redeem", "id": "R-4", "at": "2026-03-03T09:00:00+08:00", "card": "X-1",
         "points": 1, "gift": "pen"},
        {"type": "earn", "id": "E-1", "at": AT, "card": "C-1",
         "spend": {"amount": "1.00", "currency": "CNY"}, "kind": "room"},
        {"type": "gift", "id": "G-1"},
    ]  # fmt: skip
    data["cards"].append({"type": "lost", "at": "2026-02-03T09:00:00+08:00", "card": "C-1"})
    loaded = loads(data)
    paths = {problem.path: problem.message for problem in loaded.problems}
    assert set(paths) == {
        "$.operations[2].spend.amount",
        "$.operations[3]",
        "$.operations[4]",
        "$.operations[5]",
        "$.operations[6]",
        "$.operations[7].type",
        "$.cards[3]",
    }
    assert "holds 380" in paths["$.operations[3]"]
    assert "replaced" in paths["$.operations[4]"]
    assert "'X-1'" in paths["$.operations[5]"]
    assert "other content" in paths["$.operations[6]"]
    assert [op.id for op in loaded.ledger.operations] == ["E-1", "R-1"]
    with pytest.raises(DataFileError, match="7 problems"):
        loaded.strict()


def test_a_bad_policy_makes_the_file_unreadable_naming_the_field() -> None:
    with pytest.raises(DataFileError, match=r"\$\.policy\.window_days"):
        loads(document(policy={"levels": [], "earn_rules": [], "window_days": "x"}))


def test_a_key_given_twice_refuses_only_its_record() -> None:
    text = json.dumps(document()).replace('"points": 500', '"points": 500, "points": 5')
    loaded = kio.loads_club(text)
    assert [p.path for p in loaded.problems] == ["$.operations[1].points"]
    assert [op.id for op in loaded.ledger.operations] == ["E-1"]


def test_unknown_top_level_keys_are_reported() -> None:
    loaded = loads(document(members=[]))
    assert [p.path for p in loaded.problems] == ["$.members"]


@pytest.mark.parametrize("fmt", ["json", "toml"])
def test_the_example_round_trips(fmt: kio.Format) -> None:
    ledger = kio.load_club(CLUB).strict()
    assert kio.loads_club(kio.dumps_club(ledger, fmt), fmt).strict() == ledger


@given(club_ledgers())
def test_every_drawn_ledger_round_trips_in_json_and_toml(ledger: Ledger) -> None:
    for fmt in ("json", "toml"):
        assert kio.loads_club(kio.dumps_club(ledger, fmt), fmt).strict() == ledger


# --------------------------------------------------------------------------- CLI


def test_club_balance_prints_the_members_points_and_entries(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = main(["club", "balance", str(CLUB), "--member", "c001", "--as-of", "2026-03-31"])
    out = capsys.readouterr().out
    assert status == 0
    assert "5600 points" in out
    assert "V-1001" in out
    assert "unrecovered" not in out


def test_club_balance_json_is_one_document(capsys: pytest.CaptureFixture[str]) -> None:
    main(["club", "balance", str(CLUB), "--member", "c003", "--as-of", "2026-03-31", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert (data["balance"], data["level_label"]) == (59700, "至尊卡")
    assert data["explanation"].startswith("c003 at 2026-03-31T00:00:00+08:00")


def test_club_report_prints_the_liability_and_the_redemption_rate(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["club", "report", str(CLUB), "--from", "2026-01-01", "--to", "2026-03-31"]
    assert main([*args, "--as-of", "2026-03-31T18:00+08:00"]) == 0
    out = capsys.readouterr().out
    assert "= 926.70 CNY at 0.01 CNY a point" in out
    assert "323.48%" in out
    main([*args, "--as-of", "2026-03-31", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert data["liability"] == {"amount": "926.70", "currency": "CNY"}
    assert data["redemption_rate"] == "3.2348"


def test_club_commands_refuse_an_unknown_member_and_a_reversed_range(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["club", "balance", str(CLUB), "--member", "c09", "--as-of", "2026-03-31"]) == 2
    assert "did you mean" in capsys.readouterr().err
    bad = ["club", "report", str(CLUB), "--from", "2026-03-31", "--to", "2026-01-01"]
    assert main([*bad, "--as-of", "2026-03-31"]) == 2


def test_a_club_file_with_problems_is_reported_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = document()
    data["operations"][1]["points"] = 99999
    file = tmp_path / "club.json"
    file.write_text(json.dumps(data), encoding="utf-8")
    assert main(["club", "balance", str(file), "--member", "m1", "--as-of", "2026-03-31"]) == 1
    captured = capsys.readouterr()
    assert "$.operations[1]" in captured.err
    assert "880 points" in captured.out
