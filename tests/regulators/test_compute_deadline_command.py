import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[2]


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("compute_deadline", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue().strip()


@pytest.mark.parametrize(
    "args, expected",
    [
        (["cma", "phase_1", "2024-08-08"], "2024-10-04"),
        (["cma", "phase_1", "2024-10-24"], "2024-12-19"),
        (["cma", "phase_1", "2024-07-16"], "2024-09-11"),
        (["ec", "phase_1", "2024-11-15"], "2024-12-20"),
        (
            ["cma", "phase_1", "2024-08-08", "--clock-stop", "2024-09-02", "2024-09-09"],
            "2024-10-11",
        ),
        (
            [
                "cma",
                "phase_1",
                "2024-08-08",
                "--clock-stop",
                "2024-09-02",
                "2024-09-04",
                "--clock-stop",
                "2024-09-16",
                "2024-09-17",
            ],
            "2024-10-09",
        ),
        (["cma", "phase_2", "2022-09-15", "--extension", "8"], "2023-04-26"),
        (["ec", "phase_1", "2023-04-05", "--variant", "commitments"], "2023-06-05"),
        (["ftc", "hsr_initial", "2024-06-07"], "2024-07-08"),
        (["doj", "hsr_initial", "2024-06-07", "--variant", "cash_tender"], "2024-06-24"),
        (["ftc", "hsr_second_request", "2024-11-01"], "2024-12-02"),
        (["cma", "uil_acceptance", "2018-01-03", "--extension", "40"], "2018-05-14"),
        (["ec", "referral", "2021-03-11"], "2021-04-20"),
        (["ec", "phase_1", "2021-11-16"], "2021-12-21"),
        (["bkarta", "phase_1", "2024-01-31"], "2024-02-29"),
        (["bkarta", "phase_2", "2024-01-31", "--variant", "commitments"], "2024-07-31"),
        (["accc", "phase_1", "2026-01-05"], "2026-02-17"),
    ],
)
def test_prints_the_deadline_as_an_iso_date(args, expected):
    out, _ = run(*args)
    assert out == expected


def test_provisional_holiday_data_is_flagged_on_stderr_and_explain_gives_the_basis():
    out, err = run("ec", "phase_1", "2024-11-15", "--explain")
    lines = out.splitlines()
    assert lines[0] == "2024-12-20"
    assert "Art. 10(1)" in lines[1]
    assert err.startswith("Provisional:") and "2024" in err


@pytest.mark.parametrize(
    "args, message",
    [
        (["kftc", "phase_1", "2024-01-01"], "No deadline rules for regulator 'kftc'"),
        (["cma", "hsr_initial", "2024-01-01"], "cma has phase_1, phase_2"),
        (["cma", "phase_1", "8 Aug 2024"], "Invalid date '8 Aug 2024': use YYYY-MM-DD"),
        (
            ["cma", "phase_1", "2024-08-08", "--clock-stop", "2024-09-09", "2024-09-02"],
            "must restart after",
        ),
        (
            ["cma", "phase_1", "2024-08-08", "--clock-stop", "2024-09-02", "soon"],
            "Invalid date 'soon'",
        ),
        (["cma", "phase_1", "2024-08-08", "--extension", "2"], "no extension"),
        (["ec", "phase_2", "2024-01-10", "--extension", "21"], "20 working days at most"),
        (["ec", "phase_1", "2024-11-15", "--variant", "cash_tender"], "no variant 'cash_tender'"),
        (
            ["ftc", "hsr_initial", "2024-06-07", "--clock-stop", "2024-06-10", "2024-06-12"],
            "cannot be stopped",
        ),
        (["ec", "phase_1", "2028-01-10"], "cannot count working days in 2028"),
        (["ec", "phase_1", "2018-06-01"], "2019-2027 only; cannot count working days in 2018"),
        (["cma", "uil_acceptance", "2018-01-03", "--extension", "41"], "40 working days at most"),
    ],
)
def test_invalid_input_is_a_clear_command_error(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_invalid_input_exits_non_zero_with_the_message_on_stderr():
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "compute_deadline",
            "ec",
            "phase_2",
            "2024-01-10",
            "--extension",
            "25",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert result.stdout == ""
    assert "20 working days at most (got 25)" in result.stderr


def test_valid_input_exits_zero_from_the_shell():
    result = subprocess.run(
        [sys.executable, "manage.py", "compute_deadline", "cma", "phase_1", "2024-08-08"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout.strip()) == (0, "2024-10-04")
