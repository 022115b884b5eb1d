"""Findings and the error raised when content cannot be used (shared by loader and linter)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Finding:
    """One problem an editor must see, pointing at the file and line to fix."""

    path: Path
    line: int
    code: str
    message: str
    severity: str = "error"  # "error" | "warning"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.code} {self.message}"


class ContentError(Exception):
    """Raised when content has error-severity findings, so the bot never serves broken words."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = list(findings)
        errors = [f for f in self.findings if f.severity == "error"] or self.findings
        summary = "; ".join(str(f) for f in errors[:5])
        more = f" (+{len(errors) - 5} more)" if len(errors) > 5 else ""
        super().__init__(f"{len(errors)} content error(s): {summary}{more}")
