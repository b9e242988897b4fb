"""Audit the pinned requirements with pip-audit, and say plainly when it could not audit them.

pip-audit prints "No known vulnerabilities found" and exits 0 even when every package was skipped because the
vulnerability service had no data for it, so its exit code alone cannot be trusted. This reads its JSON report,
counts what was really audited, and tries PyPI's service first, then OSV.

Exit status: 0 every package audited, none vulnerable; 1 a known vulnerability; 2 some packages could not be audited.
Usage: python scripts/dependency_audit.py requirements.txt [more requirement files]
"""

import json
import subprocess
import sys
from dataclasses import dataclass, field

SERVICES = ("pypi", "osv")
CLEAN, VULNERABLE, NOT_AUDITED = 0, 1, 2


@dataclass
class Outcome:
    """What one pip-audit report says: packages audited, vulnerable ones, and those skipped with the reason."""

    service: str
    audited: list[str] = field(default_factory=list)
    vulnerable: dict[str, list[str]] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    error: str = ""

    @property
    def status(self) -> int:
        """Return the exit status this outcome deserves."""
        if self.vulnerable:
            return VULNERABLE
        return NOT_AUDITED if self.skipped or self.error or not self.audited else CLEAN


def outcome_from_report(service: str, report: dict) -> Outcome:
    """Return the outcome of a pip-audit JSON report (`pip-audit -f json`)."""
    outcome = Outcome(service)
    for dependency in report.get("dependencies", []):
        name = f"{dependency['name']} {dependency.get('version', '')}".strip()
        if dependency.get("skip_reason"):
            outcome.skipped[name] = dependency["skip_reason"]
        elif dependency.get("vulns"):
            outcome.vulnerable[name] = [v.get("id", "?") for v in dependency["vulns"]]
        else:
            outcome.audited.append(name)
    return outcome


def audit(requirements: list[str], service: str) -> Outcome:
    """Run pip-audit against one vulnerability service; a crash or unreadable report counts as not audited."""
    command = [sys.executable, "-m", "pip_audit", "--no-deps", "--disable-pip", "--progress-spinner", "off",
               "--format", "json", "--vulnerability-service", service, "--timeout", "20"]
    for path in requirements:
        command += ["-r", path]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except subprocess.TimeoutExpired:
        return Outcome(service, error="pip-audit did not finish within 10 minutes")
    try:
        return outcome_from_report(service, json.loads(result.stdout))
    except (json.JSONDecodeError, KeyError, TypeError):
        last = (result.stderr or result.stdout).strip().splitlines()[-1:] or [f"exit status {result.returncode}, no output"]
        return Outcome(service, error=last[0][:300])


def report(outcome: Outcome, tried: list[Outcome]) -> None:
    """Print what was audited, what was found, and loudly what was not."""
    total = len(outcome.audited) + len(outcome.vulnerable) + len(outcome.skipped)
    if outcome.vulnerable:
        print(f"pip-audit ({outcome.service}): KNOWN VULNERABILITIES in {len(outcome.vulnerable)} package(s):")
        for name, ids in sorted(outcome.vulnerable.items()):
            print(f"  {name}: {', '.join(ids)}")
    if outcome.status == NOT_AUDITED:
        missing = len(outcome.skipped) if total else "all"
        line = "!" * 100
        print(line)
        print(f"!!! pip-audit could not reach a vulnerability service: {missing} packages NOT audited.")
        for attempt in tried:
            why = attempt.error or (f"{len(attempt.skipped)} skipped, e.g. {next(iter(attempt.skipped.values()))}"
                                    if attempt.skipped else "no packages in the report")
            print(f"!!!   {attempt.service}: {why}")
        print("!!! This run does NOT show that the pinned packages are free of known vulnerabilities.")
        print(line)
    elif outcome.status == CLEAN:
        print(f"pip-audit ({outcome.service}): {len(outcome.audited)} packages audited, no known vulnerabilities.")


def main(requirements: list[str]) -> int:
    """Audit with each service in turn until one audits every package; print the result; return the exit status."""
    tried = []
    for service in SERVICES:
        outcome = audit(requirements, service)
        tried.append(outcome)
        if outcome.status != NOT_AUDITED:
            break
    best = min(tried, key=lambda o: (o.status != VULNERABLE, len(o.skipped) + (1000 if o.error else 0)))
    report(best, tried)
    return best.status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["requirements.txt"]))
