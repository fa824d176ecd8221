"""Normal mode: the committed sample inputs, one street's year.

东山街道 of 芝罘区: three communities (海岸路, 民生, 进德) receive twelve organisations
(`SAMPLE_ORGS`), each handing in its member sheet in its own layout. One member each of
the hospital and the bank is already 29 (超龄), two of the school's are 15-year-old
pupils. Then the three project ledgers, the service logs of 2026 (per member for 海岸路
and 进德, per activity for 民生), the 互通协商 records and the cadre sheet.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .common import DEFAULT_SEED, STREET, YEAR, load_streets, rng_for
from .layouts import write_member_sheet
from .ledgers import (
    LEDGER_PROJECTS,
    LEDGER_STYLES,
    Activity,
    Engagement,
    Project,
    cadre_table,
    consultation_table,
    make_projects,
    per_activity_table,
    per_member_table,
    plan_activities,
    write_project_ledger,
)
from .people import Member, Organisation, Registry, make_members
from .tables import write_xlsx

SAMPLE_ORGS = (
    Organisation("烟台山医院团委", "hospital", 40, "海岸路", "a", overage=1),
    Organisation("鲁东大学法学院团委", "college_law", 25, "海岸路", "d", date(2026, 3, 4)),
    Organisation("山东泓信律师事务所团支部", "lawfirm", 4, "海岸路", "title-only"),
    Organisation("芝罘区东山诚信家电维修部", "repair", 2, "海岸路", "a-messy", date(2026, 3, 3)),
    Organisation("中国银行烟台分行团委", "bank", 20, "民生", "b-bank", overage=1),
    Organisation("鲁东大学艺术学院团委", "college_art", 30, "民生", "two-cell", date(2026, 3, 6)),
    Organisation("烟台第十中学团委", "school", 10, "民生", "e", juniors=2),
    Organisation("百纳瑞汀酒店团支部", "hotel", 6, "民生", "f"),
    Organisation("烟台星韵文化传媒有限公司团支部", "culture", 5, "民生", "a-culture", consent="否"),
    Organisation("鲁东大学信息与电气工程学院团委", "college_it", 55, "进德", "c", date(2026, 3, 4)),
    Organisation("烟台海创信息科技有限公司团支部", "tech", 3, "进德", "a-short"),
    Organisation("烟台海岸物业服务有限公司团支部", "property", 4, "进德", "b-property"),
)
SAMPLE_ENGAGEMENT = {
    "烟台山医院团委": Engagement(14, 0.9, (4, 9)),
    "鲁东大学法学院团委": Engagement(8, 0.85, (3, 7)),
    "山东泓信律师事务所团支部": Engagement(1, 0.5, (2, 2), writes_branch=False),
    "芝罘区东山诚信家电维修部": Engagement(4, 1.0, (1, 2), writes_branch=False),
    "中国银行烟台分行团委": Engagement(8, 0.85, (3, 6)),
    "鲁东大学艺术学院团委": Engagement(9, 0.8, (4, 9)),
    "烟台第十中学团委": Engagement(6, 0.9, (2, 5)),
    "百纳瑞汀酒店团支部": Engagement(3, 0.5, (2, 3), writes_branch=False),
    "烟台星韵文化传媒有限公司团支部": Engagement(6, 1.0, (3, 5), writes_branch=False),
    "鲁东大学信息与电气工程学院团委": Engagement(15, 0.85, (4, 9)),
    "烟台海创信息科技有限公司团支部": Engagement(3, 1.0, (2, 3)),
    "烟台海岸物业服务有限公司团支部": Engagement(4, 0.75, (2, 3)),
}
PER_ACTIVITY_COMMUNITY = "民生"


def generate_samples(out_dir: Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write the sample inputs of 东山街道's year into `out_dir`; returns the files."""
    out_dir.mkdir(parents=True, exist_ok=True)
    registry = Registry()
    street = next(s for s in load_streets() if s["name"] == STREET)
    locals_ = [(STREET, c["short"]) for c in street["communities"]]
    neighbours = [("毓璜顶街道", "南通"), ("向阳街道", "胜利路"), ("奇山街道", "迎东")]
    written: list[Path] = []
    members: dict[str, list[Member]] = {}
    for org in SAMPLE_ORGS:
        rng = rng_for(seed, f"members:{org.name}")
        home = [(STREET, org.community)]
        pool = home + [x for x in locals_ if x not in home] + neighbours
        members[org.name] = make_members(org, rng, registry, pool)
        written.append(write_member_sheet(out_dir, org, members[org.name], rng))

    projects: dict[str, list[Project]] = {}
    for community, style in LEDGER_STYLES.items():
        rng = rng_for(seed, f"projects:{community}")
        projects[community] = make_projects(
            community, LEDGER_PROJECTS[community], style.number, rng, registry
        )
        written.append(write_project_ledger(out_dir, community, projects[community], style))

    activities: list[Activity] = []
    for org in SAMPLE_ORGS:
        rng = rng_for(seed, f"services:{org.name}")
        activities += plan_activities(
            org, members[org.name], projects[org.community], SAMPLE_ENGAGEMENT[org.name], rng
        )
    rng = rng_for(seed, "service-logs")
    per_member = [a for a in activities if a.org.community != PER_ACTIVITY_COMMUNITY]
    others = "_".join(f"{c}社区" for c in LEDGER_STYLES if c != PER_ACTIVITY_COMMUNITY)
    written.append(
        write_xlsx(
            out_dir / f"{YEAR}年服务活动台账_{others}.xlsx", per_member_table(per_member, rng)
        )
    )
    per_activity = [a for a in activities if a.org.community == PER_ACTIVITY_COMMUNITY]
    written.append(
        write_xlsx(
            out_dir / f"{PER_ACTIVITY_COMMUNITY}社区_{YEAR}年服务活动台账.xlsx",
            per_activity_table(PER_ACTIVITY_COMMUNITY, per_activity, rng),
        )
    )

    written.append(
        write_xlsx(
            out_dir / f"{STREET}_{YEAR}年互通协商记录.xlsx",
            consultation_table(SAMPLE_ORGS, rng_for(seed, "consultations")),
        )
    )
    written.append(
        write_xlsx(out_dir / "联系点干部名单.xlsx", cadre_table(rng_for(seed, "cadres"), registry))
    )
    return written
