"""Member sheets (《团员信息汇总表》), one file per organisation, each in its own layout
(`MEMBER_LAYOUTS`):

(a) merged title row, preamble lines (填表单位（盖章）/报到社区/填表日期), 序号, a blank
    row and footer lines (负责人…填表人…联系电话, 说明);
(b) a two-row merged header: group cells (基本信息, 联系方式, …) above their columns,
    single columns merged down across both rows;
(c) an instructions sheet 填表说明 before the data sheet, a hidden 字典 sheet that feeds
    the data validations;
(d) a legacy `.xls` written with xlwt;
(e) a `.csv` in GBK, as Excel on a Chinese Windows saves it;
(f) a `.csv` in UTF-8 with BOM, header only (its community must be given on the
    command line);

and variants: two label cells on one preamble row, `报到社区…填表日期` typed into one
cell, a title with no 序号 and no footer, values typed by hand (stray spaces, full-width
digits, spaced phone numbers). Header aliases, date shapes (Excel dates, `1998-05-17`,
`1998/5/17`, `1998.05`, the number 2019.1 for October, `2016年5月`, `201605`) and phone
cell types vary between files; ID numbers are always text cells.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .common import Cell, cn_date, words
from .people import Member, Organisation, landline
from .tables import (
    BODY_FONT,
    TITLE_FONT,
    Line,
    Table,
    fill_sheet,
    new_workbook,
    save_xlsx,
    write_csv,
    write_xls,
)

HEADER_FIELD = {
    "姓名": "name",
    "性别": "gender",
    "身份证号": "id_number",
    "身份证号码": "id_number",
    "公民身份号码": "id_number",
    "证件号码": "id_number",
    "团员编号": "member_no",
    "民族": "ethnicity",
    "出生年月": "birth",
    "出生日期": "birth",
    "政治面貌": "political_status",
    "入团年月": "joined",
    "入团时间": "joined",
    "学历": "education",
    "所在团支部": "home_branch",
    "团内职务": "league_post",
    "手机号码": "phone",
    "手机": "phone",
    "联系电话": "phone",
    "联系方式": "phone",
    "居住社区": "residence",
    "居住街区": "residence",
    "现居住地": "residence",
    "家庭住址": "residence",
    "工作单位及职务": "occupation",
    "行业岗位": "occupation",
    "职业": "occupation",
    "专业特长": "specialty",
    "特长": "specialty",
    "技能": "specialty",
    "服务意向": "willingness",
    "服务意愿": "willingness",
    "志愿服务意向": "willingness",
    "兴趣爱好": "interests",
    "可服务时间": "availability",
    "活动时间": "availability",
    "可参加活动时间": "availability",
    "同意合编": "consent",
    "备注": "remark",
}

# How each date shape looks in a cell: a date object (Excel date) or text/number.
DATE_SHAPES: dict[str, Callable[[date], Cell]] = {
    "excel": lambda d: d,
    "excel_month": lambda d: date(d.year, d.month, 1),
    "iso": lambda d: f"{d:%Y-%m-%d}",
    "slash": lambda d: f"{d.year}/{d.month}/{d.day}",
    "dot": lambda d: f"{d.year}.{d.month:02d}",
    "dot_number": lambda d: float(f"{d.year}.{d.month:02d}"),  # 2019.10 typed in General → 2019.1
    "cn": lambda d: f"{d.year}年{d.month}月",
    "yyyymm": lambda d: f"{d:%Y%m}",
}
DATE_FORMATS = {"excel": "yyyy-mm-dd", "excel_month": 'yyyy"年"m"月"'}

RESIDENCE_SHAPES = {
    "居住社区": "{community}社区",
    "居住街区": "{street}{community}社区",
    "现居住地": "芝罘区{street}{community}社区",
    "家庭住址": "烟台市芝罘区{street}{community}社区",
}

DEFAULT_NOTE = (
    "说明：1.身份证号须填写18位，请将该列设置为文本格式；2.可服务时间请写明周几、上午或下午；"
    "3.同意合编指同意与其他单位团员合编登记活动团支部。"
)
ORG = "填表单位（盖章）：{org}"
COMMUNITY = "报到社区：{community}社区"
FILLED = "填表日期：{date}"
PREAMBLE_LINES: tuple[Line, ...] = (ORG, COMMUNITY, FILLED)


@dataclass(frozen=True, slots=True)
class MemberLayout:
    """How one organisation's member sheet is laid out.

    `columns` are headers; `组/列` puts a column under a group cell (two-row header).
    """

    fmt: str  # xlsx | xls | csv-gbk | csv-bom
    columns: Sequence[str]
    seq: bool = True
    title: bool = True
    preamble: tuple[Line, ...] = PREAMBLE_LINES
    footer: bool = True
    note: str = DEFAULT_NOTE
    birth: str = "excel"
    joined: str = "cn"
    phone_number: bool = False  # phones typed into General cells become numbers
    messy: bool = False  # stray spaces and full-width digits, as typed by hand
    instructions: bool = False  # 填表说明 sheet first, hidden 字典 sheet
    sheet_name: str = "团员信息汇总表"


FULL = words("""
    姓名 性别 身份证号 民族 出生年月 政治面貌 入团年月 学历 所在团支部 团内职务
    手机号码 居住社区 工作单位及职务 专业特长 服务意向 兴趣爱好 可服务时间 同意合编 备注
""")

MEMBER_LAYOUTS: dict[str, MemberLayout] = {
    # (a) the street's template as printed: title, preamble, 序号, blank row, footer
    "a": MemberLayout("xlsx", FULL),
    "a-messy": MemberLayout("xlsx", FULL, birth="excel", joined="yyyymm", messy=True),
    "a-culture": MemberLayout(
        "xlsx",
        FULL,
        birth="dot",
        joined="cn",
        note="说明：本单位团员集中开展文艺服务，不同意与其他单位合编。",
    ),
    "a-short": MemberLayout(
        "xlsx",
        words("""
            姓名 性别 身份证号 出生年月 政治面貌 入团年月 学历 团内职务 手机号码 居住社区
            工作单位及职务 专业特长 服务意向 可服务时间 同意合编 备注
        """),
        joined="excel_month",
        footer=False,
    ),
    # (b) two-row merged header
    "b-bank": MemberLayout(
        "xlsx",
        words("""
            姓名 基本信息/性别 基本信息/公民身份号码 基本信息/民族 基本信息/出生日期 基本信息/学历
            团籍信息/政治面貌 团籍信息/入团时间 团籍信息/所在团支部 团籍信息/团内职务
            联系方式/联系电话 联系方式/居住街区 服务意向/行业岗位 服务意向/特长
            服务意向/志愿服务意向 服务意向/活动时间 服务意向/同意合编 备注
        """),
        preamble=(ORG, f"{COMMUNITY}　　　　{FILLED}"),  # two lines typed into one cell
        birth="iso",
        joined="yyyymm",
        phone_number=True,
    ),
    "b-property": MemberLayout(
        "xlsx",
        words("""
            姓名 个人信息/性别 个人信息/身份证号 个人信息/出生年月 个人信息/政治面貌
            个人信息/入团年月 个人信息/团内职务 联系方式/手机号码 联系方式/居住社区
            服务信息/专业特长 服务信息/服务意向 服务信息/可服务时间 服务信息/同意合编
        """),
        joined="dot_number",
        footer=False,
    ),
    # (c) instructions sheet first, hidden dictionary sheet, data validations
    "c": MemberLayout(
        "xlsx",
        words("""
            团员编号 姓名 性别 证件号码 民族 出生年月 政治面貌 入团年月 学历 所在团支部 团内职务
            手机 现居住地 职业 技能 服务意愿 兴趣爱好 可参加活动时间 同意合编 备注
        """),
        preamble=(COMMUNITY,),
        footer=False,
        birth="dot",
        joined="dot_number",
        phone_number=True,
        instructions=True,
        sheet_name="团员信息",
    ),
    # (d) legacy .xls
    "d": MemberLayout(
        "xls",
        words("""
            姓名 性别 身份证号码 出生年月 政治面貌 入团年月 学历 所在团支部 团内职务 联系方式
            家庭住址 特长 服务意向 活动时间 同意合编 备注
        """),
        birth="excel",
        joined="dot",
        sheet_name="Sheet1",
    ),
    # two cells on one preamble row, header without 序号
    "two-cell": MemberLayout(
        "xlsx",
        words("""
            姓名 性别 民族 身份证号 出生年月 入团年月 政治面貌 学历 所在团支部 团内职务
            手机号码 居住社区 专业特长 服务意向 可服务时间 兴趣爱好 同意合编 备注
        """),
        seq=False,
        preamble=((ORG, FILLED), COMMUNITY),
        footer=False,
        birth="cn",
        joined="excel_month",
    ),
    "title-only": MemberLayout(
        "xlsx",
        words("""
            姓名 性别 身份证号 出生年月 政治面貌 入团年月 学历 团内职务 手机号码 居住社区 职业
            专业特长 服务意向 可服务时间 同意合编
        """),
        seq=False,
        preamble=(COMMUNITY,),
        footer=False,
        birth="iso",
        joined="dot",
        sheet_name="Sheet1",
    ),
    # (e) CSV in GBK, saved by Excel from a sheet with a title and a footer
    "e": MemberLayout(
        "csv-gbk",
        words("""
            姓名 性别 身份证号 出生日期 政治面貌 入团年月 学历 团内职务 联系电话 居住社区
            工作单位及职务 特长 服务意向 可服务时间 同意合编 备注
        """),
        preamble=(ORG, COMMUNITY),
        birth="slash",
        joined="dot",
    ),
    # (f) CSV in UTF-8 with BOM: header only
    "f": MemberLayout(
        "csv-bom",
        words("""
            姓名 性别 身份证号码 出生年月 政治面貌 入团时间 学历 手机号码 居住社区 行业岗位 特长
            服务意向 活动时间 兴趣爱好 同意合编
        """),
        seq=False,
        title=False,
        preamble=(),
        footer=False,
        birth="yyyymm",
        joined="cn",
    ),
}


def to_full_width(text: str) -> str:
    return text.translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})


def member_cell(m: Member, header: str, layout: MemberLayout, rng: random.Random) -> Cell:
    name = HEADER_FIELD[header]
    if name in ("birth", "joined"):
        return DATE_SHAPES[getattr(layout, name)](getattr(m, name))
    if name == "residence":
        return RESIDENCE_SHAPES[header].format(street=m.residence_street, community=m.residence)
    if name == "phone":
        if layout.phone_number:
            return int(m.phone)
        if layout.messy and rng.random() < 0.3:
            spaced = f"{m.phone[:3]} {m.phone[3:7]} {m.phone[7:]}"
            return rng.choice((to_full_width(m.phone), spaced))
        return m.phone
    value: str = getattr(m, name)
    if layout.messy and name in ("name", "specialty") and rng.random() < 0.3:
        return f" {value} " if name == "specialty" else f"{value} "
    return value


def member_table(
    org: Organisation,
    members: Sequence[Member],
    layout: MemberLayout,
    rng: random.Random,
    contacts: tuple[str, str, str],
) -> Table:
    """The member sheet of `org` as a table in `layout`."""
    headers = [h.split("/")[-1] for h in layout.columns]
    groups = [h.split("/")[0] if "/" in h else "" for h in layout.columns]
    if layout.seq:
        headers, groups = ["序号", *headers], ["", *groups]
    rows = []
    for i, m in enumerate(members, 1):
        values = [member_cell(m, h, layout, rng) for h in headers if h != "序号"]
        rows.append([i, *values] if layout.seq else values)
    formats: dict[int, str] = {}
    for c, head in enumerate(headers):
        field_name = HEADER_FIELD.get(head)
        if field_name == "id_number" or (field_name == "phone" and not layout.phone_number):
            formats[c] = "@"
        elif field_name in ("birth", "joined") and getattr(layout, field_name) in DATE_FORMATS:
            formats[c] = DATE_FORMATS[getattr(layout, field_name)]
    fill = {"org": org.name, "community": org.community, "date": cn_date(org.fill_date)}
    preamble: list[Line] = [
        (p[0].format(**fill), p[1].format(**fill)) if isinstance(p, tuple) else p.format(**fill)
        for p in layout.preamble
    ]
    leader, clerk, phone = contacts
    signatures = f"负责人：{leader}    填表人：{clerk}    联系电话：{phone}"
    footer = [signatures, layout.note] if layout.footer else []
    return Table(
        header=headers,
        rows=rows,
        title=f"{org.name}团员信息汇总表" if layout.title else None,
        preamble=preamble,
        footer=footer,
        groups=groups if any(groups) else None,
        formats=formats,
        sheet_name=layout.sheet_name,
    )


INSTRUCTIONS = (
    "填表说明",
    "1. 本表由报到单位团组织填写，每名团员一行，请勿合并单元格。",
    "2. 证件号码填写18位居民身份证号，末位为X的请大写；该列已设置为文本格式，请勿改为数值。",
    "3. 出生年月、入团年月按“2004.05”格式填写。",
    "4. 手机填写本人常用手机号码。",
    "5. 技能、服务意愿请如实填写，社区将据此编入登记活动团支部。",
    "6. 可参加活动时间请写明周几、上午/下午/晚上，如“周六上午”“周一至周五晚”。",
    "7. 同意合编：是否同意与其他单位团员合编登记活动团支部，填“是”或“否”。",
    "8. 填好后请将电子版报送街道团工委，纸质版加盖公章后于报到当天交接收社区。",
)
DICTIONARY = {
    "性别": ("男", "女"),
    "政治面貌": ("共青团员", "中共预备党员", "中共党员"),
    "学历": ("本科在读", "硕士在读", "本科", "硕士研究生", "大专"),
    "团内职务": ("团委书记", "团委副书记", "团支部书记", "组织委员", "宣传委员", "团员"),
    "同意合编": ("是", "否"),
}


def add_instructions(wb: Workbook, ws: Worksheet, table: Table, first: int, last: int) -> None:
    """Layout (c): a 填表说明 sheet before the data sheet and a hidden 字典 sheet whose
    lists drive dropdowns on the data sheet."""
    guide = wb.create_sheet("填表说明", 0)
    for r, text in enumerate(INSTRUCTIONS, 1):
        guide.cell(r, 1, text).font = TITLE_FONT if r == 1 else BODY_FONT
    guide.column_dimensions["A"].width = 90
    lists = wb.create_sheet("字典")
    lists.sheet_state = "hidden"
    for c, (head, options) in enumerate(DICTIONARY.items(), 1):
        lists.cell(1, c, head)
        for r, option in enumerate(options, 2):
            lists.cell(r, c, option)
        if head in table.header:
            letter = get_column_letter(c)
            target = get_column_letter(table.header.index(head) + 1)
            source = f"字典!${letter}$2:${letter}${len(options) + 1}"
            dv = DataValidation(type="list", formula1=source, allow_blank=True)
            dv.add(f"{target}{first}:{target}{last + 50}")
            ws.add_data_validation(dv)
    wb.active = 1


def write_member_sheet(
    out_dir: Path, org: Organisation, members: Sequence[Member], rng: random.Random
) -> Path:
    layout = MEMBER_LAYOUTS[org.layout]
    leader = next((m.name for m in members if "书记" in m.league_post), members[0].name)
    clerk = members[min(1, len(members) - 1)].name
    table = member_table(org, members, layout, rng, (leader, clerk, landline(rng)))
    ext = {"xlsx": "xlsx", "xls": "xls", "csv-gbk": "csv", "csv-bom": "csv"}[layout.fmt]
    path = out_dir / f"{org.name}_团员信息汇总表.{ext}"
    if layout.fmt == "xls":
        return write_xls(path, table)
    if layout.fmt.startswith("csv"):
        return write_csv(path, table, "gbk" if layout.fmt == "csv-gbk" else "utf-8-sig")
    wb, ws = new_workbook()
    ws.title = table.sheet_name
    first, last = fill_sheet(ws, table)
    if layout.instructions:
        add_instructions(wb, ws, table, first, last)
    return save_xlsx(wb, path)
