"""Render a docxtpl template to a DOCX file: autoescaped, in the chosen font,
byte-deterministic, and skipped when nothing it depends on has changed
(notes/perf.md: rendering dominates a nightly run)."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

from dataclasses import dataclass

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from ita.docx_fonts import deterministic_docx_bytes, set_document_font
from ita.faults import crash_point
from ita.store import Store
from ita.xlsx_io import FIXED_TIME

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@dataclass(frozen=True)
class Picture:
    """An image for a template slot; becomes a docxtpl InlineImage at render
    time (an InlineImage needs the template it goes into)."""

    data: bytes
    width_mm: float | None = None
    height_mm: float | None = None

    def __str__(self) -> str:  # what the fingerprint sees
        return hashlib.sha256(self.data).hexdigest()


def fingerprint(template: Path, context: dict, font: str) -> str:
    digest = hashlib.sha256(template.read_bytes())
    digest.update(font.encode())
    digest.update(json.dumps(context, sort_keys=True, ensure_ascii=False, default=str).encode())
    return digest.hexdigest()


def _with_images(document: DocxTemplate, context: dict) -> dict:
    def image(value: object) -> object:
        if isinstance(value, Picture):
            return InlineImage(
                document, io.BytesIO(value.data),
                width=Mm(value.width_mm) if value.width_mm else None,
                height=Mm(value.height_mm) if value.height_mm else None,
            )
        return value

    return {key: image(value) for key, value in context.items()}


def render_bytes(template: Path, context: dict, font: str) -> bytes:
    document = DocxTemplate(template)
    document.render(_with_images(document, context), autoescape=True)
    set_document_font(document.docx, font)
    properties = document.docx.core_properties
    properties.created = properties.modified = FIXED_TIME
    properties.last_printed = FIXED_TIME
    properties.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return deterministic_docx_bytes(buffer.getvalue())


def render_document(
    store: Store, template_name: str, context: dict, target: Path, font: str, volatile: tuple[str, ...] = ()
) -> bool:
    """Write `target` unless it already holds this rendering. Keys named in
    `volatile` (such as a default "today" date) do not count as a change.
    Returns whether the file was written."""
    template = TEMPLATES / template_name
    stable = {k: v for k, v in context.items() if k not in volatile}
    print_ = fingerprint(template, stable, font)
    previous = store.query("render_of", path=str(target))
    if previous and previous[0]["fingerprint"] == print_ and target.exists() and _sha(target) == previous[0]["sha256"]:
        return False
    data = render_bytes(template, context, font)
    crash_point("while_rendering")
    write_atomically(target, data)
    store.command("remember_render", path=str(target), fingerprint=print_, sha256=hashlib.sha256(data).hexdigest())
    return True


def write_atomically(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.part")
    temporary.write_bytes(data)
    temporary.replace(target)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
