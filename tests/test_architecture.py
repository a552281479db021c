"""The layers in .importlinter hold, and an import against them is caught."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = [
    "config",
    "database",
    "api",
    "pages",
    "digests",
    "notices",
    "imports",
    "tracker",
    "regulators",
]
LINT_IMPORTS = str(Path(sys.executable).with_name("lint-imports"))


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [LINT_IMPORTS, "--config", str(cwd / ".importlinter"), "--no-cache"],
        cwd=cwd,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_import_contracts_are_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def copy_packages(tmp_path: Path) -> None:
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "templates", "static"),
        )
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")


def test_an_import_from_the_core_into_notices_breaks_a_contract(tmp_path):
    copy_packages(tmp_path)
    services = tmp_path / "tracker" / "services.py"
    services.write_text(services.read_text() + "\nfrom notices.outbox import record_deliveries\n")

    result = lint_imports(tmp_path)

    assert result.returncode != 0
    assert "tracker is not allowed to import notices" in result.stdout
    assert "tracker.services -> notices.outbox" in result.stdout


def test_the_core_linking_to_pages_by_import_breaks_a_contract(tmp_path):
    """Models name the pages by URL name; importing the pages app from the core is refused."""
    copy_packages(tmp_path)
    links = tmp_path / "tracker" / "links.py"
    links.write_text(links.read_text() + "\nfrom pages import urls\n")

    result = lint_imports(tmp_path)

    assert result.returncode != 0
    assert "tracker is not allowed to import pages" in result.stdout
