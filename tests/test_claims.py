"""Claims per organisation: at the ceremony file by file, after it with `claims add|remove`,
and from a ledger's 认领单位 column once the organisation registers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import sheetmaker as sm
from test_register import ID_D, LEDGER, member_sheet

from shuanggang.store import Workspace


def _json(cli, *args: Any) -> Any:  # type: ignore[no-untyped-def]
    result = cli(*map(str, args), "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _two_sheets(tmp_path: Path) -> tuple[Path, Path]:
    bank = [[1, "赵敏", "女", ID_D, "2002.03", "13905350001", "金融", "周末", "是"]]
    return member_sheet(tmp_path), member_sheet(
        tmp_path, "银行.xlsx", rows=bank, org="某银行团支部"
    )


def test_each_file_claims_its_own_projects(cli, ws: Workspace, tmp_path: Path) -> None:
    cli("projects", "import", sm.write_xlsx(tmp_path / "台账.xlsx", LEDGER), "-w", ws.root)
    hospital, bank = _two_sheets(tmp_path)
    done = _json(
        cli, "register", hospital, bank, "--claim", "医院.xlsx=2026-01",
        "--claim", "某银行团支部=2026-02,2026-03", "--letters", "none", "-w", ws.root,
    )  # fmt: skip
    claimed = {d["org"]: d["claimed"] for d in done}
    assert claimed == {
        "烟台山医院团委": ["2026-01 健康义诊进社区"],
        "某银行团支部": ["2026-02 法律咨询服务站", "2026-03 小家电义务维修"],
    }


def test_claims_after_the_ceremony_and_the_letter_follows(
    cli, ws: Workspace, tmp_path: Path
) -> None:
    cli("projects", "import", sm.write_xlsx(tmp_path / "台账.xlsx", LEDGER), "-w", ws.root)
    hospital, _ = _two_sheets(tmp_path)
    assert cli("register", hospital, "--letters", "html", "-w", ws.root).exit_code == 0
    dry = _json(cli, "claims", "add", "烟台山医院团委", "2026-02", "--dry-run", "-w", ws.root)
    assert dry["changed"] == ["2026-02"] and dry["outputs"] == []
    done = _json(
        cli, "claims", "add", "烟台山医院团委", "2026-02", "--letters", "html", "-w", ws.root
    )
    assert done["claimed"] == ["2026-02 法律咨询服务站"]
    (letter,) = [Path(p) for p in done["outputs"]]
    assert "法律咨询服务站" in letter.read_text(encoding="utf-8")
    refused = cli("claims", "add", "烟台山医院团委", "2099-09", "-w", ws.root)
    assert refused.exit_code == 1 and "2026-01" in refused.stderr  # names what can be claimed
    done = _json(
        cli, "claims", "remove", "烟台山医院团委", "2026-02", "--letters", "none", "-w", ws.root
    )
    assert done["claimed"] == []


def test_a_ledgers_claim_is_made_when_the_org_registers(cli, ws: Workspace, tmp_path: Path) -> None:
    ledger: list[list[Any]] = [row[:] for row in LEDGER]
    ledger[2] = [*ledger[2], "认领单位"]
    ledger[3] = [*ledger[3], "烟台山医院团委、某银行团支部"]
    cli("projects", "import", sm.write_xlsx(tmp_path / "台账.xlsx", ledger), "-w", ws.root)
    hospital, bank = _two_sheets(tmp_path)
    first = _json(cli, "register", hospital, "--letters", "none", "-w", ws.root)
    assert first[0]["claimed"] == ["2026-01 健康义诊进社区"]
    second = _json(cli, "register", bank, "--letters", "none", "-w", ws.root)
    assert second[0]["claimed"] == ["2026-01 健康义诊进社区"]


def test_the_combined_check_in_file_lists_a_claim_added_later(
    cli, ws: Workspace, tmp_path: Path
) -> None:
    cli("projects", "import", sm.write_xlsx(tmp_path / "台账.xlsx", LEDGER), "-w", ws.root)
    hospital, bank = _two_sheets(tmp_path)
    cli("register", hospital, bank, "--letters", "none", "-w", ws.root)
    _json(cli, "claims", "add", "某银行团支部", "2026-03", "--letters", "none", "-w", ws.root)
    done = _json(cli, "letters", "checkin", "--all", "--letters", "html", "-w", ws.root)
    combined = [Path(p) for p in json.dumps(done, ensure_ascii=False).split('"') if "合并打印" in p]
    assert combined, done
    assert "小家电义务维修" in Path(combined[0]).read_text(encoding="utf-8")
