"""The promises of the foundation: a Qt-free core, a wheel that carries its data, and a
command line that answers without a display."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

import stretchcoach

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "stretchcoach"
NOQT = Path(__file__).resolve().parent / "noqt"
QT_MODULES = {"PySide6", "shiboken6"}
# A hang guard for the run of every core test again without Qt, not a time goal: it
# synthesizes every bundled cue with the natural voice, 9–10 min on a 2-core machine.
HANG = 1800


def _imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_only_the_ui_package_imports_qt() -> None:
    qt_users = {
        str(path.relative_to(ROOT))
        for path in PACKAGE.rglob("*.py")
        if _imported_roots(path) & QT_MODULES
    }
    assert "stretchcoach/ui/desktop/notify.py" in qt_users  # the check sees lazy imports too
    assert sorted(p for p in qt_users if not p.startswith("stretchcoach/ui/")) == []


def _env_without_display(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}
    }
    env.update(extra)
    return env


def _core_test_files() -> list[str]:
    """Test files that need no Qt: they neither import it nor drive widgets."""
    markers = ("PySide6", "qtbot", "stretchcoach.ui", "xvfb", "Xvfb")
    return sorted(
        str(p.relative_to(ROOT))
        for p in (ROOT / "tests").glob("test_*.py")
        if p.name != Path(__file__).name
        and not any(m in p.read_text(encoding="utf-8") for m in markers)
    )


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` with the project's contract, on the package found under ``root``."""
    command = Path(sys.executable).with_name("lint-imports")
    return subprocess.run(
        [str(command), str(ROOT / "pyproject.toml"), "--no-cache", "--no-logo"],
        cwd=root, env={**os.environ, "PYTHONPATH": str(root)}, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip


def test_every_layer_imports_only_the_layers_below_it() -> None:
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_an_import_against_the_layers_is_caught(tmp_path: Path) -> None:
    """The contract is not vacuous: the engine importing the voice breaks it."""
    copy = tmp_path / "stretchcoach"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    ports = copy / "coach" / "ports.py"
    ports.write_text(ports.read_text(encoding="utf-8") + "\nimport stretchcoach.voice.cache\n")
    result = _lint_imports(tmp_path)
    assert result.returncode == 1
    assert "stretchcoach.coach.ports -> stretchcoach.voice.cache" in result.stdout


def test_the_core_and_its_tests_run_with_qt_unimportable(tmp_path: Path) -> None:
    files = _core_test_files()
    assert files, "there should be core tests to run without Qt"
    env = _env_without_display(PYTHONPATH=os.pathsep.join([str(NOQT), str(ROOT)]))
    proof = subprocess.run(
        [sys.executable, "-c", "import PySide6"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proof.returncode != 0 and "blocked" in proof.stderr
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:pytest-qt",
            "-o",
            "qt_api=",
            "-o",
            "qt_log_level_fail=",
            "-W",
            "ignore::pytest.PytestConfigWarning",
            "--rootdir",
            str(ROOT),
            "-c",
            str(ROOT / "pyproject.toml"),
            *files,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=HANG,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_help_and_version_need_no_display_and_no_qt(flag: str) -> None:
    code = (
        "import sys\nfrom stretchcoach.cli import main\n"
        f"try:\n    main([{flag!r}])\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n"
        "assert 'PySide6' not in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=_env_without_display(PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (
        (stretchcoach.__version__ in result.stdout)
        if flag == "--version"
        else "export-audio" in result.stdout
    )


def test_python_dash_m_answers_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "stretchcoach", "--version"],
        env=_env_without_display(PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"stretchcoach {stretchcoach.__version__}"


@pytest.mark.slow
def test_the_wheel_carries_routines_assets_and_licence_and_runs_from_elsewhere(
    tmp_path: Path,
) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(dist),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (wheel,) = dist.glob("stretchcoach-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    bundled = {p.name for p in (ROOT / "routines").glob("*.yaml")}
    assert bundled and bundled <= {
        Path(n).name for n in names if n.startswith("stretchcoach/routines/")
    }
    assets = {str(p.relative_to(ROOT)) for p in (ROOT / "assets").rglob("*") if p.is_file()}
    assert assets and {f"stretchcoach/{a}" for a in assets} <= set(names)
    licence = f"stretchcoach-{stretchcoach.__version__}.dist-info/licenses/LICENSE"
    assert zipfile.ZipFile(wheel).read(licence) == (ROOT / "LICENSE").read_bytes()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--sdist",
            "--no-isolation",
            "--outdir",
            str(dist),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (sdist,) = dist.glob("stretchcoach-*.tar.gz")
    with tarfile.open(sdist) as archive:
        assert f"stretchcoach-{stretchcoach.__version__}/LICENSE" in archive.getnames()

    # Installed (not editable) into its own folder, run from an unrelated folder.
    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = _env_without_display(PYTHONPATH=str(site))
    where = subprocess.run(
        [sys.executable, "-c", "import stretchcoach.resources as r; print(r.routines_dir())"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()).is_relative_to(site)
    listing = subprocess.run(
        [sys.executable, "-m", "stretchcoach", "list"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert listing.returncode == 0, listing.stderr
    assert "lower-back-relief" in listing.stdout
