"""A body's year as its stored setup says: the one loader of it from the
store, used alike by ingest (the monthly checks), the documents and the
monthly templates."""

from __future__ import annotations

from dataclasses import dataclass

from ita import records
from ita.store import Store


@dataclass(frozen=True)
class YearSetup:
    """The setup that counts for one body and fiscal year, as stored: its
    row of latest_setups and its lists, in the order of the workbook."""

    row: dict
    divisions: list[str]
    signatories: list[dict]
    measures: list[dict]
    guidelines: list[dict]
    scores: list[dict]
    emblem_image: bytes | None = None  # pasted into the setup workbook

    @property
    def body(self) -> str:
        return self.row["body"]

    @property
    def fiscal_year(self) -> int:
        return self.row["fiscal_year"]

    def as_setup(self) -> records.Setup:
        """The same setup in the shape a workbook is read into, for the
        checks that compare a monthly sheet with its year's plan."""
        row = self.row
        return records.Setup(
            body=row["body"], owner_division=row["owner_division"], doc_no=row["doc_no"], address=row["address"],
            fiscal_year=row["fiscal_year"], phone=row["phone"] or "", emblem=row["emblem"] or "",
            divisions=list(self.divisions),
            signatories=[records.Signatory(i, s["role"], s["name"], s["position"])
                         for i, s in enumerate(self.signatories, start=1)],
            measures=[records.Measure(m["no"], m["grp"], m["title"], list(m["steps"]), list(m["responsible"]),
                                      m["period"], list(m["divisions"]), m["row"]) for m in self.measures],
            guidelines=[(g["no"], g["text"]) for g in self.guidelines],
            scores=[records.Score(s["key"], s["name"], s["year"], s["score"], s["row"], s["col"]) for s in self.scores],
            emblem_image=self.emblem_image,
        )


def year_setup(store: Store, body_key: str, fiscal_year: int) -> YearSetup | None:
    """The setup that counts for the body's year; None when it has none."""
    found = store.query("setup_for", body_key=body_key, fiscal_year=fiscal_year)
    return setup_of_row(store, found[0]) if found else None


def bodies_setup_rows(store: Store, body_keys: list[str]) -> dict[tuple[str, int], dict]:
    """(body, year) → the row of latest_setups, for every year of these
    bodies that has a setup: one query for a batch's bodies, where asking
    per body and year cost ~10 ms a question at national scale."""
    return {(r["body_key"], r["fiscal_year"]): r for r in store.query("setups_of_bodies", body_keys=body_keys)}


def setup_of_row(store: Store, row: dict) -> YearSetup:
    """The year's setup from its row of latest_setups, its lists read from the store."""
    sha = row["sha256"]
    return YearSetup(
        row=row,
        divisions=[d["division"] for d in store.query("divisions_of", sha256=sha)],
        signatories=store.query("signatories_of", sha256=sha),
        measures=store.query("measures_of", sha256=sha),
        guidelines=store.query("guidelines_of", sha256=sha),
        scores=store.query("scores_of", sha256=sha),
        emblem_image=next((r["data"] for r in store.query("setup_image_of", sha256=sha)), None),
    )
