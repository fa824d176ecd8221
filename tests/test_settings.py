from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from shuanggang import settings
from shuanggang.errors import SettingsError


def test_default_toml_reads_back_as_the_defaults() -> None:
    defaults = settings.defaults(district="芝罘区", year=2027)
    text = settings.default_toml(defaults)
    assert settings.from_mapping(tomllib.loads(text)) == defaults


def test_default_toml_comments_every_setting() -> None:
    text = settings.default_toml(settings.defaults())
    for key in ("min_size", "max_size", "excellent_cap", "checkin_number", "max_rows"):
        line = next(i for i, s in enumerate(text.splitlines()) if s.startswith(f"{key} ="))
        assert text.splitlines()[line - 1].startswith("# "), key


def test_defaults_hold_the_real_zhifu_divisions() -> None:
    s = settings.defaults()
    names = [street.name for street in s.streets]
    assert len(names) == 13 and names[0] == "向阳街道" and "卧龙经济园区" in names
    communities = {c.short: c for c in s.communities()}
    assert communities["海防营"].name == "海防营社区居民委员会"
    assert communities["海防营"].code == "370602003009"
    assert s.street_of(communities["海岸路"]).name == "东山街道"
    assert (s.branch.min_size, s.branch.max_size) == (3, 50)
    assert [c.name for c in s.categories][-1] == "综合服务"


def test_file_overrides_only_what_it_names(tmp_path: Path) -> None:
    path = tmp_path / "shuanggang.toml"
    path.write_text(
        "year = 2027\n[branch]\nmin_size = 4\n[assessment]\nexcellent = 90\n", encoding="utf-8"
    )
    s = settings.load(path)
    assert (s.year, s.branch.min_size, s.branch.max_size) == (2027, 4, 50)
    assert s.assessment.excellent == 90.0 and isinstance(s.assessment.excellent, float)
    assert len(s.streets) == 13


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[branch]\nmin_size = "三"\n', "branch.min_size 应为整数"),
        ("[branch]\nsize = 3\n", "未知设置项 branch.size"),
        ("[branch]\nmin_size = 60\n", "branch.min_size（60）与 branch.max_size（50）不合理"),
        ("year = \n", "格式有误"),
        (
            '[[streets]]\nname = "甲街道"\ncommunities = [{short="一"}]\n'
            '[[streets]]\nname = "乙街道"\ncommunities = [{short="一"}]\n',
            "社区简称“一”在 甲街道 和 乙街道 中重复",
        ),
        ("[assessment]\nexcellent_cap = 2\n", "excellent_cap 应在 0 到 1 之间"),
        ("[assessment]\nitem_floor = 1.5\n", "item_floor 应在 0 到 1 之间"),
        ("[assessment]\nshrink_members = -1\n", "shrink_members 和 min_members 不能为负数"),
    ],
)
def test_bad_settings_name_the_key(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "shuanggang.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError) as err:
        settings.load(path)
    assert expected in err.value.message
    assert err.value.message.startswith("shuanggang.toml")


def test_own_street_list_replaces_the_default(tmp_path: Path) -> None:
    path = tmp_path / "shuanggang.toml"
    path.write_text(
        '[[streets]]\nname = "测试街道"\ncommunities = [{short="甲"}]\n', encoding="utf-8"
    )
    s = settings.load(path)
    assert [c.name for c in s.communities()] == ["甲社区居民委员会"]
