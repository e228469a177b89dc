"""What a night's take-in did with each file, by name (light to import: the
flow reports it even when there was nothing to take in)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class LoadSummary:
    accepted: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)  # changed since read: taken the next run
    superseded: list[str] = field(default_factory=list)  # accepted setups another of the same year outranks

    def merge(self, other: LoadSummary) -> None:
        self.accepted += other.accepted
        self.rejected += other.rejected
        self.duplicates += other.duplicates
        self.left += other.left
        self.superseded += other.superseded
