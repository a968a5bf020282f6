"""The editor CLI reads only regular files of a bounded size: a pipe, a device, a folder, a huge or a
binary file ends with exit 2 and a zh/en message naming the problem, never a hang or a traceback."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from calculator import limits
from calculator.errors import ProfileError
from calculator.sourcefile import SourceError, load
from calculator.validate import load_profile

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "content" / "policies" / "example.yaml"
sys.path.insert(0, str(ROOT / "tests"))
from support.worst_profile import worst_profile  # noqa: E402

pytestmark = pytest.mark.fast


def run(*args):
    # The timeout only guards against a hang (a blocking pipe read); it is not a speed check.
    proc = subprocess.run([sys.executable, "-m", "calculator", *args], stdin=subprocess.DEVNULL,
                          capture_output=True, cwd=ROOT, timeout=30)
    err = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err
    return proc.returncode, proc.stdout.decode("utf-8") + err


def hostile_files(tmp_path):
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    big = tmp_path / "big.yaml"
    with big.open("wb") as f:
        f.truncate(50_000_000)
    nul = tmp_path / "nul.yaml"
    nul.write_bytes(EXAMPLE.read_bytes().replace(b"status:", b"\x00status:", 1))
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    return {"named pipe": (fifo, "pipe", "管道"), "/dev/zero": (Path("/dev/zero"), "device", "设备"),
            "50 MB": (big, "larger than", "MB"), "NUL byte": (nul, "U+0000", "控制字符"),
            "folder": (folder, "folder", "文件夹")}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
def test_every_command_refuses_a_file_it_cannot_read_sensibly(tmp_path):
    for name, (path, en, zh) in hostile_files(tmp_path).items():
        for args in (("check", str(path)), ("estimate", "--profile", str(path), "--visit", "{}"),
                     ("year", "--profile", str(path), "--visits", "-")):
            code, out = run(*args)
            assert code == 2 and en in out and zh in out, (name, args, out)
        if name == "NUL byte":
            continue  # a visits file with a NUL byte is a JSON error, tested below
        code, out = run("year", "--profile", str(EXAMPLE), "--visits", str(path))
        error = json.loads(out)["errors"][0]
        assert code == 2 and error["field"] == "visits" and en in error["message"]["en"], (name, out)
        assert zh in error["message"]["zh"], (name, out)


def test_a_control_character_names_its_line_and_no_english_reaches_the_chinese_message(tmp_path):
    path = tmp_path / "example.yaml"
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].rstrip("\n") + "\x0b\n"
    path.write_text("".join(lines), encoding="utf-8")
    code, out = run("check", str(path))
    assert code == 2 and f"{path}:4:" in out and "U+000B" in out
    visits = tmp_path / "year.json"
    visits.write_bytes(b'{"plan": "resident",\n "visits": [\x00]}')
    code, out = run("year", "--profile", str(EXAMPLE), "--visits", str(visits))
    message = json.loads(out)["errors"][0]["message"]
    assert code == 2 and "line 2" in message["en"] and "第 2 行" in message["zh"]
    assert not any("a" <= c.lower() <= "z" for c in message["zh"].replace("JSON", "")), message["zh"]
    code, out = run("check", str(tmp_path))
    zh = out.split(" / ", 1)[1]
    assert code == 2 and "Is a directory" not in zh and "文件夹" in zh


def test_a_content_file_with_a_bell_character_names_file_and_line(tmp_path):
    topic = next((ROOT / "content").rglob("*.yaml"))
    path = tmp_path / topic.name
    path.write_text("\n" + topic.read_text(encoding="utf-8").replace("\n", "\x07\n", 1), encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load(path, "content/" + topic.name)
    assert caught.value.line == 2 and "U+0007" in str(caught.value) and caught.value.file == "content/" + topic.name


def test_the_largest_profile_the_limits_allow_loads_and_one_more_of_each_is_refused():
    load_profile(worst_profile(plans=1))
    over = {
        "levels": lambda d: d["levels"].update({"extra": {"zh": "多", "en": "Extra"}}),
        "examples": lambda d: d["examples"].append(d["examples"][0]),
        "plans.p0.supplementary": lambda d: d["plans"]["p0"]["supplementary"].append(
            dict(d["plans"]["p0"]["supplementary"][0], id="one-more")),
        "plans.p0.settings.outpatient.bands": lambda d: d["plans"]["p0"]["settings"]["outpatient"]["bands"].insert(
            0, {"upto": "1", "ratio": {f"l{i}": "0.5" for i in range(limits.MAX_LEVELS)}}),
        "plans.p0.supplementary[2].bands": lambda d: d["plans"]["p0"]["supplementary"][2]["bands"].insert(
            0, {"upto": "1", "ratio": "0.5"}),
    }
    for field, grow in over.items():
        data = worst_profile(plans=1)
        grow(data)
        with pytest.raises(ProfileError) as caught:
            load_profile(data)
        assert [(e.field, e.code) for e in caught.value.errors] == [(field, "too_many")], field
        message = caught.value.errors[0].message
        assert "at most" in message["en"] and "最多" in message["zh"]


def test_too_many_values_blames_aliases_only_when_there_are_some(tmp_path):
    plain = tmp_path / "plain.yaml"
    plain.write_text("".join(f"k{i}: \"{i}\"\n" for i in range(20_001)), encoding="utf-8")
    code, out = run("check", str(plain))
    assert code == 2 and "20,000 values" in out and "alias" not in out and "别名" not in out
    laughs = tmp_path / "laughs.yaml"
    laughs.write_text("a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, n in zip("abcde", "bcdef")), encoding="utf-8")
    code, out = run("check", str(laughs))
    assert code == 2 and "aliases" in out and "别名" in out


def test_a_profile_written_out_by_yaml_loads_within_the_size_limit(tmp_path):
    # The largest profile the limits allow is far under the file size limit.
    path = tmp_path / "worst.yaml"
    path.write_text(yaml.safe_dump(worst_profile(), allow_unicode=True), encoding="utf-8")
    code, out = run("check", str(path))
    assert code == 0 and "ok:" in out, out
