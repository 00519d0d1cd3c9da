"""`convscope render` end to end: real processes, real files, decoded with Pillow."""

import io
import json
import shlex
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from app.cli import main

ROOT = Path(__file__).resolve().parents[1]
CONVSCOPE = ROOT / ".venv" / "bin" / "convscope"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    command = [str(CONVSCOPE)] if CONVSCOPE.exists() else [sys.executable, "-m", "app.cli"]
    return subprocess.run([*command, *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def frame_count(path: Path) -> int:
    with Image.open(path) as image:
        return getattr(image, "n_frames", 1)


def test_inline_matrices_make_a_gif_with_one_frame_per_output_cell(tmp_path):
    done = run(
        "render", "--input", "1,2,3;4,5,6;7,8,9", "--kernel", "1,0;0,-1", "--stride", "2", "--padding", "1",
        "-o", "conv.gif", "--frame-ms", "300", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "conv.gif" in done.stdout
    with Image.open(tmp_path / "conv.gif") as image:
        assert image.format == "GIF"
        assert image.n_frames == 4  # (3 + 2·1 − 2) // 2 + 1 = 2 per side
        assert image.info["duration"] == 300


def test_csv_input_with_a_preset_kernel_makes_a_webp(tmp_path):
    (tmp_path / "grid.csv").write_text("1,2,3,4\n5,6,7,8\n\n9,10,11,12\n13,14,15,16\n")
    done = run(
        "render", "--input", "@grid.csv", "--kernel", "sobel_x", "--padding", "same", "-o", "e.webp", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    with Image.open(tmp_path / "e.webp") as image:
        assert image.format == "WEBP"
        assert image.n_frames == 16  # "same" keeps 4×4


def test_json_channels_and_filters_make_an_apng(tmp_path):
    (tmp_path / "x.json").write_text(json.dumps(np.arange(2 * 4 * 4).reshape(2, 4, 4).tolist()))
    (tmp_path / "k.json").write_text(json.dumps(np.ones((3, 2, 2, 2)).tolist()))
    done = run("render", "--input", "@x.json", "--kernel", "@k.json", "-o", "multi.apng", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    with Image.open(tmp_path / "multi.apng") as image:
        assert image.format == "PNG"
        assert image.n_frames == 3 * 3 * 3  # 3 filters × 3×3 positions


def test_image_input_is_shrunk_to_max_side(tmp_path):
    Image.linear_gradient("L").resize((64, 40)).convert("RGB").save(tmp_path / "photo.png")
    done = run(
        "render", "--image", "photo.png", "--max-side", "8", "--pool", "max", "--kernel-size", "2", "-o", "p.gif",
        cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert frame_count(tmp_path / "p.gif") == (8 // 2) * (5 // 2)  # 64×40 fits 8 cells as 8×5


@pytest.mark.parametrize(
    ("still", "frames"), [pytest.param("final", 1, id="final_state"), pytest.param("2", 1, id="one_step")]
)
def test_still_writes_one_png(tmp_path, monkeypatch, still, frames):
    monkeypatch.chdir(tmp_path)
    assert main(["render", "--input", "1,2;3,4", "--kernel", "1", "--still", still, "-o", "s.png"]) == 0
    with Image.open(tmp_path / "s.png") as image:
        assert image.format == "PNG"
        assert getattr(image, "n_frames", 1) == frames


def test_transpose_animates_one_frame_per_output_cell(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    args = ["render", "--input", "1,2;3,4", "--kernel", "1,1;1,1", "--transpose", "--stride", "2", "-o", "t.gif"]
    assert main(args) == 0
    assert frame_count(tmp_path / "t.gif") == 4 * 4  # (2 − 1)·2 + 2 = 4 per side


def test_two_runs_write_identical_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("a.gif", "b.gif"):
        assert (
            main(["render", "--input", "3,1,2;0,-1,4;2,2,2", "--kernel", "1,1;1,1", "--theme", "dark", "-o", name]) == 0
        )
    assert (tmp_path / "a.gif").read_bytes() == (tmp_path / "b.gif").read_bytes()


def test_bad_input_is_one_line_on_stderr_and_exit_2(tmp_path):
    done = run("render", "--input", "1,2,3;4,5", "--kernel", "1", "-o", "x.gif", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("convscope: ")
    assert len(done.stderr.strip().splitlines()) == 1
    assert "--input" in done.stderr and "rows" in done.stderr
    assert not (tmp_path / "x.gif").exists()


@pytest.mark.parametrize(
    ("args", "mentions"),
    [
        pytest.param(["--input", "1,x;3,4", "--kernel", "1"], "'x' is not a number", id="cell_not_a_number"),
        pytest.param(["--input", "1,2;3,4"], "--kernel", id="convolution_needs_a_kernel"),
        pytest.param(["--input", "@missing.csv", "--kernel", "1"], "no such file", id="missing_file"),
        pytest.param(["--input", "1,2;3,4", "--kernel", "1,1,1"], "--kernel", id="kernel_larger_than_input"),
        pytest.param(["--input", "1,2;3,4", "--pool", "max", "--kernel", "1"], "--kernel-size", id="pool_no_kernel"),
        pytest.param(["--input", "1,2;3,4", "--kernel", "1", "--stride", "0"], "--stride", id="stride_at_least_1"),
        pytest.param(["--input", "1,2;3,4", "--kernel", "1", "--still", "7"], "--still", id="still_within_steps"),
        pytest.param(["--input", "1,2;3,4", "--kernel", "1", "--frame-ms", "1"], "--frame-ms", id="frame_ms_range"),
        pytest.param(["--input", "1,2;3,4", "--kernel", "1", "--steps", "0"], "--steps", id="steps_at_least_1"),
        pytest.param(["--image", "nothing.png", "--kernel", "1"], "--image", id="missing_image"),
        pytest.param(["--kernel", "1"], "--input", id="input_required"),
        pytest.param(
            ["--input", "1", "--kernel", "1", "--pool", "max", "--transpose"], "--pool", id="pool_or_transpose"
        ),
    ],
)
def test_bad_arguments_exit_2_with_one_line(tmp_path, capsys, monkeypatch, args, mentions):
    monkeypatch.chdir(tmp_path)
    try:
        code = main(["render", *args, "-o", "out.gif"])
    except SystemExit as exit_:
        code = exit_.code
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert mentions in err


@pytest.mark.parametrize(
    ("output", "extra", "mentions"),
    [
        pytest.param("out.bmp", [], ".gif, .webp", id="unknown_extension"),
        pytest.param("out.gif", ["--still", "final"], ".png", id="still_is_a_png"),
    ],
)
def test_output_name_decides_the_format(tmp_path, capsys, monkeypatch, output, extra, mentions):
    monkeypatch.chdir(tmp_path)
    assert main(["render", "--input", "1,2;3,4", "--kernel", "1", "-o", output, *extra]) == 2
    assert mentions in capsys.readouterr().err


def test_format_flag_overrides_the_extension_and_dash_writes_stdout(capsysbinary):
    assert main(["render", "--input", "1,2;3,4", "--kernel", "1", "--format", "webp", "-o", "-"]) == 0
    assert Image.open(io.BytesIO(capsysbinary.readouterr().out)).format == "WEBP"


def test_help_shows_examples(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["render", "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert "examples:" in out and "convscope render --input" in out


def test_readme_example_gif_is_what_its_command_makes(tmp_path, monkeypatch):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Animations and the command line") :]
    block = section[section.index("```sh") + len("```sh") : section.index("```", section.index("```sh") + 5)]
    words = shlex.split(block.replace("\\\n", " "))
    assert words[:2] == ["convscope", "render"]
    target = words[words.index("-o") + 1]
    words[words.index("-o") + 1] = str(tmp_path / "made.gif")
    monkeypatch.chdir(tmp_path)
    assert main(words[1:]) == 0
    committed = ROOT / target
    assert committed.stat().st_size < 200 * 1024
    assert (tmp_path / "made.gif").read_bytes() == committed.read_bytes()
