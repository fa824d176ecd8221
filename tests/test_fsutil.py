from __future__ import annotations

from pathlib import Path

import pytest

from shuanggang import fsutil


def test_failed_write_leaves_old_file_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "out" / "报到介绍信.html"
    fsutil.write_text(target, "旧内容")

    def half_write(tmp: Path) -> None:
        tmp.write_text("半截", encoding="utf-8")
        raise OSError("disk full")

    with pytest.raises(OSError):
        fsutil.write_with(target, half_write)
    assert target.read_text(encoding="utf-8") == "旧内容"
    assert [p.name for p in target.parent.iterdir()] == [target.name]


def test_csv_gets_a_bom_for_excel(tmp_path: Path) -> None:
    path = fsutil.write_text(tmp_path / "a.csv", "姓名\n", bom=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("烟台山医院团委", "烟台山医院团委"),
        ("../../etc/passwd", "etc_passwd"),
        ('a/b\\c:d*e?f"g<h>i|j', "a_b_c_d_e_f_g_h_i_j"),
        ("CON", "未命名_CON"),
        ("  ..  ", "未命名"),
        ("ＡＢＣ公司", "ABC公司"),
    ],
)
def test_safe_filename(text: str, expected: str) -> None:
    assert fsutil.safe_filename(text) == expected


def test_inside_keeps_names_in_their_folder(tmp_path: Path) -> None:
    path = fsutil.inside(tmp_path, "../../../outside")
    assert path.parent == tmp_path.resolve()


def test_a_batch_of_outputs_is_synced_once_at_its_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from shuanggang import fsutil

    calls: list[str] = []
    monkeypatch.setattr(os, "fsync", lambda fd: calls.append("fsync"))
    monkeypatch.setattr(os, "sync", lambda: calls.append("sync"), raising=False)
    fsutil.write_text(tmp_path / "alone.html", "一")
    assert calls == ["fsync"]  # one file alone: synced before it replaces the old one
    calls.clear()
    with fsutil.synced_at_end():
        for i in range(5):
            fsutil.write_text(tmp_path / f"{i}.html", str(i))
        with fsutil.synced_at_end():  # a batch inside a batch: the outer one syncs
            fsutil.write_text(tmp_path / "inner.html", "内")
        assert calls == []
        assert (tmp_path / "3.html").read_text(encoding="utf-8") == "3"  # already in place
    assert calls == ["sync"]
    calls.clear()
    with pytest.raises(RuntimeError), fsutil.synced_at_end():
        fsutil.write_text(tmp_path / "before.html", "前")
        raise RuntimeError
    assert calls == ["sync"]  # what was written before the failure is synced too
