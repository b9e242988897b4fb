"""The dependency audit of the deploy gate never reports success for packages it could not audit (D8)."""

import importlib.util
import json
import subprocess
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("dependency_audit", ROOT / "scripts" / "dependency_audit.py")
dependency_audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(dependency_audit)

SKIPPED = {"name": "django", "skip_reason": "Dependency not found on PyPI and could not be audited: django (5.2.19)"}
CLEAN = {"name": "django", "version": "5.2.19", "vulns": []}
VULNERABLE = {"name": "django", "version": "5.2.19", "vulns": [{"id": "PYSEC-2026-1", "fix_versions": ["5.2.20"]}]}


def run_result(stdout="", stderr="", returncode=0):
    return subprocess.CompletedProcess([], returncode, stdout=stdout, stderr=stderr)


def test_D8_a_report_of_skipped_packages_is_not_audited_even_though_pip_audit_exits_0():
    outcome = dependency_audit.outcome_from_report("pypi", {"dependencies": [SKIPPED, CLEAN]})
    assert outcome.status == dependency_audit.NOT_AUDITED
    assert dependency_audit.outcome_from_report("pypi", {"dependencies": []}).status == dependency_audit.NOT_AUDITED


def test_D8_a_known_vulnerability_fails_and_a_full_clean_report_passes():
    assert dependency_audit.outcome_from_report("osv", {"dependencies": [VULNERABLE, SKIPPED]}).status == dependency_audit.VULNERABLE
    assert dependency_audit.outcome_from_report("osv", {"dependencies": [CLEAN]}).status == dependency_audit.CLEAN


def test_D8_no_reachable_service_says_so_loudly(capsys):
    answers = [run_result(stdout=json.dumps({"dependencies": [SKIPPED]})),          # PyPI: no data for the version
               run_result(stderr="Traceback...\nConnectionError: api.osv.dev unreachable", returncode=1)]  # OSV: down
    with mock.patch.object(dependency_audit.subprocess, "run", side_effect=answers):
        status = dependency_audit.main(["requirements.txt"])
    out = capsys.readouterr().out
    assert status == dependency_audit.NOT_AUDITED
    assert "pip-audit could not reach a vulnerability service: 1 packages NOT audited" in out
    assert "api.osv.dev unreachable" in out and "no known vulnerabilities" not in out


def test_D8_the_second_service_is_used_when_the_first_has_no_data(capsys):
    answers = [run_result(stdout=json.dumps({"dependencies": [SKIPPED]})), run_result(stdout=json.dumps({"dependencies": [VULNERABLE]}), returncode=1)]
    with mock.patch.object(dependency_audit.subprocess, "run", side_effect=answers):
        assert dependency_audit.main(["requirements.txt"]) == dependency_audit.VULNERABLE
    assert "PYSEC-2026-1" in capsys.readouterr().out


def test_D8_the_gate_runs_after_the_tests_in_ci():
    ci = (ROOT / ".ci" / "run").read_text()
    assert ci.index("make test") < ci.index("scripts/deploy_gate.sh")
    gate = (ROOT / "scripts" / "deploy_gate.sh").read_text()
    assert "check --deploy --fail-level WARNING" in gate and "dependency_audit.py" in gate
