"""`liaisons assign` and `consultations plan`: the institutions around the practice."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shuanggang import fsutil
from shuanggang.domain.findings import ERROR, WARNING, Finding
from shuanggang.domain.liaisons import Cadre, PairPlan, assign_links
from shuanggang.errors import ShuanggangError
from shuanggang.render.letters import html_environment
from shuanggang.render.tables import Column, Table, write_tables
from shuanggang.settings import Settings
from shuanggang.sheets.reader import read_sheet
from shuanggang.store import Store, Workspace
from shuanggang.store import liaisons as stored
from shuanggang.store.archive import archive, file_hash

LEVELS = {
    "团区委": "district",
    "区委": "district",
    "街道团工委": "street",
    "街道": "street",
    "园区团工委": "street",
    "团工委": "street",
}
LEVEL_LABEL = {"district": "团区委", "street": "街道团工委"}


@dataclass(slots=True)
class LiaisonRun:
    links: list[tuple[Cadre, str]] = field(default_factory=list)  # (cadre, place)
    uncovered: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        by_cadre: dict[str, dict[str, Any]] = {}
        for c, place in self.links:
            entry = by_cadre.setdefault(
                f"{c.level}:{c.street}:{c.name}",
                {
                    "name": c.name,
                    "level": LEVEL_LABEL[c.level],
                    "post": c.post,
                    "street": c.street,
                    "places": [],
                },
            )
            entry["places"].append(place)
        return {
            "cadres": list(by_cadre.values()),
            "uncovered": self.uncovered,
            "findings": [f.as_dict() for f in self.findings],
            "outputs": [str(p) for p in self.outputs],
        }


def read_cadres(path: Path, settings: Settings) -> tuple[list[Cadre], list[Finding]]:
    sheet = read_sheet(path, settings, kind="cadres")
    findings = list(sheet.findings)
    streets = {s.name for s in settings.streets}
    cadres = []
    for record in sheet.records:
        v = record.values
        level = LEVELS.get(str(v.get("level", "")).strip())
        street = str(v.get("street", "") or "")
        problem = ""
        if level is None:
            problem = f"层级“{v.get('level')}”无法识别，应为 团区委 或 街道团工委"
        elif level == "street" and street not in streets:
            problem = f"街道团工委干部的所在街道“{street}”不在本区街道名单中"
        if problem:
            findings.append(
                Finding(
                    ERROR,
                    problem,
                    "核对后重新导入",
                    code="cadre-level-unknown" if level is None else "street-unknown",
                    file=path.name,
                    sheet=sheet.sheet,
                    cell=record.cell("level"),
                )
            )
            continue
        assert level is not None
        cadres.append(
            Cadre(
                name=v["name"],
                level=level,
                post=str(v.get("post", "") or ""),
                street=street if level == "street" else "",
                excluded=frozenset(_place(x, settings) for x in v.get("excluded", ())),
                preferred=tuple(_place(x, settings) for x in v.get("preferred", ())),
            )
        )
    return cadres, findings


def _place(text: str, settings: Settings) -> str:
    """A street name as written, or a community's short name."""
    if any(text == s.name for s in settings.streets):
        return text
    found = settings.community_named(text)
    return found.short if found else text


def assign_liaisons(
    ws: Workspace,
    store: Store,
    settings: Settings,
    path: Path,
    per_cadre: int = 2,
    rebuild: bool = False,
) -> LiaisonRun:
    run = LiaisonRun()
    cadres, run.findings = read_cadres(path, settings)
    if any(f.is_error for f in run.findings):
        return run
    with store.reading():
        existing = {} if rebuild else stored.current_links(store)
        active_streets, active_communities = stored.active_places(store)
        version = store.data_version()
    groups: list[tuple[list[Cadre], list[str], set[str]]] = [
        (
            [c for c in cadres if c.level == "district"],
            [s.name for s in settings.streets],
            active_streets,
        )
    ]
    for street in settings.streets:
        leaders = [c for c in cadres if c.level == "street" and c.street == street.name]
        shorts = [c.short for c in street.communities]
        if leaders or active_communities & set(shorts):
            groups.append((leaders, shorts, active_communities))
    for group, places, active in groups:
        links = assign_links(
            group,
            places,
            active,
            per_cadre,
            {c.name: existing.get((c.name, c.level, c.street), []) for c in group},
        )
        for c in sorted(group, key=lambda c: c.name):
            run.links += [(c, p) for p in links.links[c.name]]
        run.uncovered += list(links.uncovered)
    if run.uncovered:
        run.findings.append(
            Finding(
                WARNING,
                f"干部人数不足，以下有报到单位的地方没有联系人：{'、'.join(run.uncovered)}",
                "增加联系干部，或用 --per-cadre 增加每人联系的数量",
                code="liaison-uncovered",
                file=path.name,
            )
        )
    digest = file_hash(path)
    with store.change("liaisons assign", f"{len(cadres)} 名干部", digest) as tx:
        if tx.data_version() != version:
            raise ShuanggangError(
                "安排联系点期间有其他命令修改了工作区，这次安排没有保存",
                "请重新运行 shuanggang liaisons assign",
            )
        archive(tx, ws.archive_dir, path, "cadres", digest)
        stored.save_links(tx, cadres, run.links)
    folder = ws.out_dir / "联系点"
    run.outputs = [
        write_liaison_workbook(store, folder / "联系点安排表.xlsx"),
        _write_html(ws, run, folder / "联系点安排表.html"),
    ]
    return run


LIAISON_COLUMNS = (
    Column("姓名", 10),
    Column("层级", 10),
    Column("职务", 16),
    Column("所在街道", 12),
    Column("联系点", 40),
)
PLACE_COLUMNS = (
    Column("联系点", 16),
    Column("类别", 8),
    Column("所属街道", 12),
    Column("联系干部", 40),
)


def liaison_tables(store: Store, *, only_if_any: bool = False) -> list[Table]:
    """The links by cadre and by place; none at all with `only_if_any` and no links."""
    places = stored.by_place(store)
    if only_if_any and not places:
        return []
    cadres = [
        (c.name, LEVEL_LABEL[c.level], c.post, c.street, "、".join(c.places))
        for c in stored.by_cadre(store)
    ]
    rows = [
        (
            p.place if p.level == "district" else f"{p.place}社区",
            "街道" if p.level == "district" else "社区",
            p.place if p.level == "district" else p.street,
            "、".join(p.cadres),
        )
        for p in places
    ]
    return [Table("按干部", LIAISON_COLUMNS, cadres), Table("按联系点", PLACE_COLUMNS, rows)]


def write_liaison_workbook(store: Store, target: Path) -> Path:
    return write_tables(target, liaison_tables(store))


def _write_html(ws: Workspace, run: LiaisonRun, target: Path) -> Path:
    rows = [(c.name, LEVEL_LABEL[c.level], c.post, c.street, p) for c, p in run.links]
    html = (
        html_environment(ws.templates_dir)
        .get_template("liaisons.html.j2")
        .render(rows=rows, uncovered=run.uncovered)
    )
    return fsutil.write_text(fsutil.inside(target.parent, target.name), html)


# --- consultations ---------------------------------------------------------------------


PLAN_COLUMNS = (
    Column("社区", 10),
    Column("报到单位", 30),
    Column("上半年", 10),
    Column("下半年", 10),
    Column("全年已协商（次）", 12),
)


def write_plan(plans: list[PairPlan], target: Path) -> Path:
    def mark(held: int) -> str:
        return f"已协商 {held} 次" if held else "待协商"

    rows = [
        (p.community, p.org, mark(p.recorded[0]), mark(p.recorded[1]), sum(p.recorded))
        for p in plans
    ]
    return write_tables(target, [Table("互通协商计划", PLAN_COLUMNS, rows)])
