"""What the commands print is safe to print (README “数据安全与可靠性”):

- text from a spreadsheet is never console markup or a terminal control sequence: an org
  named `单位[/b]丙`, a member named `[link=http://x]李[/link]`, a file `名单[x].csv` and an
  ESC sequence in a name are shown literally, after the command has done its work as it
  would for ordinary text;
- an ID number or a mobile is masked by its shape wherever it appears (in 性别, in a name,
  in 服务时长 …), in messages, tables and JSON alike.

Each test fails if its protection is removed."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from shuanggang.domain.findings import ERROR, Finding
from shuanggang.domain.idnumber import make
from shuanggang.domain.privacy import mask_text

# --- personal numbers, masked by their shape ---------------------------------------------

ID_IN_GENDER = make("370602", date(1998, 7, 7), 771)
ID_IN_NAME = make("370613", date(1997, 6, 6), 882)
ID_IN_BIRTH = make("370602", date(1996, 5, 5), 993)
OLD_ID_IN_SLOTS = "370602960505993"  # 15 digits
MOBILE_IN_CONSENT = "13905350001"
MOBILE_IN_SKILLS = "+86 137 0535 0002"
MOBILE_IN_HOURS = "18605350003"
SECRETS = [
    ID_IN_GENDER,
    ID_IN_NAME,
    ID_IN_BIRTH,
    OLD_ID_IN_SLOTS,
    MOBILE_IN_CONSENT,
    MOBILE_IN_SKILLS,
    "13705350002",
    MOBILE_IN_HOURS,
]
UNMASKED = re.compile(r"(?<!\d)(?:\d{17}[\dXx]|\d{15}|1[3-9]\d{9})(?!\d)")


def assert_masked(text: str, label: str = "") -> None:
    assert not [s for s in SECRETS if s in text], label
    assert not UNMASKED.findall(text), label


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("370602200005171234", "370602********1234"),
        ("37060220000517123X", "370602********123X"),
        ("张伟370602200005171234", "张伟370602********1234"),
        ("旧号370602000517123。", "旧号370602*****7123。"),
        ("13805351234", "138****1234"),
        ("电话：138-0535-4321，", "电话：138****4321，"),
        ("+86 139 0535 6789", "+86 139****6789"),
        ("13805351234.0", "138****1234.0"),
        # not personal numbers: left as they are
        ("20260305", "20260305"),
        ("2026-01 健康义诊", "2026-01 健康义诊"),
        ("0535-6612345", "0535-6612345"),
        ("1380535123", "1380535123"),
        ("12345678901234567890", "12345678901234567890"),
        ("服务 1.5 小时，金额 12000.50 元", "服务 1.5 小时，金额 12000.50 元"),
        ("370602********1234 138****1234", "370602********1234 138****1234"),
    ],
)
def test_mask_text_masks_by_shape(text: str, masked: str) -> None:
    assert mask_text(text) == masked


def test_a_finding_masks_numbers_in_any_of_its_texts() -> None:
    f = Finding(
        ERROR,
        f"“{ID_IN_GENDER}”无法识别",
        hint=f"联系 {MOBILE_IN_CONSENT}",
        field="gender",
        value=ID_IN_GENDER,
        code="gender-invalid",
    )
    document = f.as_dict()
    assert_masked(json.dumps(document, ensure_ascii=False))
    assert (
        document["value"]
        == mask_text(ID_IN_GENDER)
        == ID_IN_GENDER[:6] + "********" + ID_IN_GENDER[-4:]
    )
