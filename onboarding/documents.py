"""The signed documents: versioned texts in onboarding/documents/, rendered for one practice, hashed as signed."""

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from onboarding.choices import Document

DOCUMENTS_DIR = Path(__file__).resolve().parent / "documents"
# The version new signatures use. Older versions stay on disk: signed records keep their own full text anyway.
CURRENT_VERSION = {Document.BAA: "2021.1", Document.WAIVER: "2021.1"}
_CLAUSE = re.compile(r"^\[clause:(\w+)\] (.*)$")


@dataclass(frozen=True)
class RenderedDocument:
    """A document as shown to the signer: its text, and the clauses that need initials."""

    document: str
    version: str
    text: str
    clauses: tuple[tuple[str, str], ...]

    @property
    def preamble(self) -> str:
        """Return the text before the first clause (the whole text when there are no clauses)."""
        if not self.clauses:
            return self.text
        return self.text.split(self.clauses[0][1])[0].strip()

    @property
    def sha256(self) -> str:
        """Return the SHA-256 of exactly the text shown."""
        return hashlib.sha256(self.text.encode()).hexdigest()


@cache
def _template(document: str, version: str) -> str:
    return (DOCUMENTS_DIR / f"{document}-{version}.txt").read_text(encoding="utf-8")


def document_render(document: str, **context) -> RenderedDocument:
    """Return the current version of a document filled in for one practice."""
    version = CURRENT_VERSION[document]
    lines = _template(document, version).format(**context).splitlines()
    clauses = tuple(m.groups() for m in map(_CLAUSE.match, lines) if m)
    text = "\n".join(_CLAUSE.sub(r"\2", line) for line in lines)
    return RenderedDocument(document=document, version=version, text=text, clauses=clauses)


def signed_text(rendered: RenderedDocument, *, fields: list[tuple[str, str]]) -> str:
    """Return the record kept of a signature: the text shown, then every value the signer typed, in order."""
    block = "\n".join(f"{label}: {value}" for label, value in fields)
    return f"{rendered.text}\n\n--- Signature ---\n{block}\n"
