"""`shuanggang blank`: the input workbooks a secretary fills in — title, preamble lines,
canonical headers, the ID column as text, dropdowns, an instructions sheet."""

from __future__ import annotations

from pathlib import Path

from shuanggang.domain.values import SLOTS
from shuanggang.render.xlsx import save
from shuanggang.settings import Settings
from shuanggang.sheets.fields import KINDS, SheetKind

BLANK_ROWS = 500
PREAMBLE = {
    "members": ("填表单位（盖章）：", "报到社区：", "填表日期："),
    "projects": ("接收社区：", "填表日期："),
    "services": ("社区：", "填表日期："),
    "consultations": ("填表日期：",),
}
FORMATS = {
    "id": "18 位，末位可为 X；本列已设为文本格式，请勿改成数字",
    "phone": "11 位手机号码",
    "date": "如 1998-05 或 1998年5月",
    "gender": "男 / 女（下拉选择）",
    "yesno": "是 / 否（下拉选择），人数不足 3 人时是否同意与其他单位联合编组",
    "hours": "小时，可带小数，如 1.5",
    "int": "整数",
    "rating": "满意 / 基本满意 / 不满意（下拉选择），或 1–5 分",
    "names": "多个姓名用顿号分隔",
}
POLITICAL = ("共青团员", "中共预备党员", "中共党员")
AVAILABILITY = (
    "周末",
    "周六上午",
    "周六下午",
    "周日上午",
    "周日下午",
    "工作日晚上",
    "工作日白天",
    "节假日",
    "随时",
)


def _dropdowns(kind: SheetKind, settings: Settings) -> dict[str, tuple[tuple[str, ...], bool]]:
    """field → (choices, strict); non-strict lists suggest but accept other text."""
    categories = tuple(c.name for c in settings.categories)
    return {
        "gender": (("男", "女"), True),
        "political_status": (POLITICAL, False),
        "consent": (("是", "否"), True),
        "willingness": (categories, False),
        "category": (categories, False),
        "availability": (AVAILABILITY, False),
        "rating": (("满意", "基本满意", "不满意"), False),
        "form": (("座谈", "电话", "走访"), False),
    }


def write_blank(kind_name: str, settings: Settings, target: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    kind = KINDS[kind_name]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = kind.title
    columns = ["序号", *(f.label + ("*" if f.required else "") for f in kind.fields)]
    last = get_column_letter(len(columns))
    ws["A1"] = kind.title
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(name="宋体", size=18, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    preamble = PREAMBLE[kind.name]
    for i, line in enumerate(preamble, 2):
        ws.cell(i, 1, line)
        ws.merge_cells(f"A{i}:{last}{i}")
    header_row = len(preamble) + 2
    thin = Side(style="thin", color="999999")
    for c, label in enumerate(columns, 1):
        cell = ws.cell(header_row, c, label)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    first, end = header_row + 1, header_row + BLANK_ROWS
    for c, f in enumerate(kind.fields, 2):
        letter = get_column_letter(c)
        width = {"id": 22, "phone": 15, "date": 12}.get(f.type, max(10, len(f.label) * 2 + 4))
        ws.column_dimensions[letter].width = width
        if f.type in ("id", "phone") or f.name == "member_no":
            for r in range(first, end + 1):
                ws.cell(r, c).number_format = "@"
        choices = _dropdowns(kind, settings).get(f.name)
        if choices:
            values, strict = choices
            rule = DataValidation(
                type="list",
                formula1='"' + ",".join(values) + '"',
                allow_blank=True,
                showErrorMessage=strict,
            )
            rule.errorTitle, rule.error = (
                "请从下拉列表选择",
                f"{f.label}：请选择 {'、'.join(values)}",
            )
            ws.add_data_validation(rule)
            rule.add(f"{letter}{first}:{letter}{end}")
    ws.column_dimensions["A"].width = 6
    ws.freeze_panes = ws.cell(first, 2)
    ws.print_title_rows = f"{header_row}:{header_row}"

    notes = wb.create_sheet("填表说明")
    notes.append([f"{kind.label}填表说明"])
    notes["A1"].font = Font(size=14, bold=True)
    notes.append(["1. 表头请勿修改；带 * 的列必须填写。一行填写一人（一项），不要合并单元格。"])
    notes.append(
        ["2. 身份证号列已设为文本格式；如从其他表格粘贴，请选择“只粘贴数值”，不要粘贴成数字。"]
    )
    notes.append(["3. 可服务时间可写：" + "、".join(SLOTS.values()) + "，或“周末”“随时”等。"])
    notes.append([])
    notes.append(["列名", "是否必填", "填写要求"])
    for f in kind.fields:
        notes.append([f.label, "必填" if f.required else "", FORMATS.get(f.type, "")])
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["C"].width = 60
    return save(wb, target)
