"""docs/security.md maps every catalogue case to tests that exist (the issue's definition of done)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
IDS = [f"A{i}" for i in range(1, 13)] + [f"Z{i}" for i in range(1, 7)] + [f"I{i}" for i in range(1, 14)] + \
      [f"R{i}" for i in range(1, 13)] + [f"D{i}" for i in range(1, 10)]


def test_every_catalogue_id_has_a_row_naming_existing_tests():
    doc = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    table = doc.split("## The catalogue, case by case", 1)[1].split("\n## ", 1)[0]
    rows = {m.group(1): m.group(2) for m in re.finditer(r"^\| ([AZIRD]\d+) \| (.*)$", table, re.M)}
    assert sorted(rows) == sorted(IDS)
    for case, row in rows.items():
        references = re.findall(r"`([\w/]+\.py)::(test_\w+)`", row)
        assert references, f"{case} names no test"
        for path, name in references:
            assert re.search(rf"^def {name}\(", (ROOT / path).read_text(encoding="utf-8"), re.M), f"{case}: {path}::{name} is missing"
        assert any(name.startswith(f"test_{case}_") for _path, name in references), f"{case} has no test carrying its ID"
