"""Render a docxtpl template to DOCX bytes: autoescaped, in the chosen font,
byte-deterministic; and the fingerprint of a rendering, so that a document
already holding it is not rendered again (rendering dominates a nightly run).
Where the bytes go: ita.outbox_files.

Per process, each template is read, given its font and compiled once: a
body's year is fourteen documents from three templates, and renders of
different bodies run in parallel threads. Everything cached is immutable
(bytes, compiled Jinja templates); each render builds its own DocxTemplate.
"""

from __future__ import annotations

import calendar
import hashlib
import io
import json
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache, partial
from pathlib import Path
from typing import IO

from docx import Document
from docx.document import Document as DocxDocument
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.package import Unmarshaller
from docx.opc.part import Part, PartFactory
from docx.opc.pkgreader import PackageReader
from docx.package import Package
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import Environment

from ita.docx_fonts import (
    deterministic_package_bytes,
    set_document_font,
)
from ita import thai
from ita.docx_package import drop_foreign_parts, set_properties, title_from_body, write_app_properties

@dataclass(frozen=True)
class Picture:
    """An image for a template slot; becomes a docxtpl InlineImage at render
    time (an InlineImage needs the template it goes into)."""

    data: bytes
    width_mm: float | None = None
    height_mm: float | None = None

    def __str__(self) -> str:  # what the fingerprint sees
        return hashlib.sha256(self.data).hexdigest()


@lru_cache(maxsize=64)
def _read(path: Path, mtime_ns: int, size: int) -> tuple[bytes, str]:
    data = path.read_bytes()
    return data, hashlib.sha256(data).hexdigest()


def _template(path: Path) -> tuple[bytes, str]:
    """The template's bytes and their SHA-256, read again only when the file
    changes (a template may be edited under a long-running `ita serve`)."""
    stat = path.stat()
    return _read(path, stat.st_mtime_ns, stat.st_size)


def _prepared(path: Path, font: str) -> bytes:
    """Rendering touches only the body, headers, footers and properties, so
    setting the font before rendering gives the same document as setting it
    after, and the ~350 kB of styles are walked once per process instead of
    once per document. Returns the template, so fonted, as DOCX bytes."""
    return _fonted(_template(path)[0], font)


@lru_cache(maxsize=64)
def _fonted(template: bytes, font: str) -> bytes:
    document = Document(io.BytesIO(template))
    set_document_font(document, font)
    return deterministic_package_bytes(document)


class _CompileOnce(Environment):
    """docxtpl compiles each part of a template (body, headers, footers, core
    properties) with `from_string` on every render. Those sources depend only
    on the template, so each is compiled once per process. A compiled Jinja
    template is immutable and may be rendered from several threads at once."""

    def __init__(self, **options) -> None:
        super().__init__(**options)
        # Not `_compile`: Environment has a method of that name.
        self._from_string_once = lru_cache(maxsize=64)(super().from_string)

    def from_string(self, source, globals=None, template_class=None):
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        return self._from_string_once(source)


# docxtpl sets `autoescape` on the environment it is given; it is True for
# every render here, so sharing one environment never changes its meaning.
_JINJA = _CompileOnce(autoescape=True)


class _StylesAsBytes(PartFactory):
    """python-docx's part factory, except that the styles part stays bytes
    instead of becoming an XML tree. Rendering never reads the styles (the
    font is set in them beforehand, by `_prepared`), and parsing and
    re-serialising their ~350 kB was half of each document's render time.
    Anything that did read them would fail loudly: a plain Part has no styles."""

    part_type_for = {**PartFactory.part_type_for, CT.WML_STYLES: Part}


def _open(stream: IO[bytes]) -> DocxDocument:
    """`docx.Document(stream)`, through `_StylesAsBytes`."""
    package = Package()
    Unmarshaller.unmarshal(PackageReader.from_file(stream), package, _StylesAsBytes)
    return package.main_document_part.document


class _Template(DocxTemplate):
    """A DocxTemplate that skips work whose result is known: the template is
    opened without parsing its styles (see `_StylesAsBytes`), the XML clean-up
    before rendering (a few dozen regular expressions over a part that depends
    only on the template) is done once per process, and the pass after it that
    turns tabs, line and page breaks in the text into Word markup is skipped
    when the part holds none."""

    def init_docx(self, reload: bool = True) -> None:
        # DocxTemplate.init_docx, opening through `_open`.
        if not self.docx or (self.is_rendered and reload):
            self.docx = _open(self.template_file)
            self.is_rendered = False

    def patch_xml(self, src_xml: str) -> str:
        return _patched(src_xml)

    def resolve_listing(self, xml: str) -> str:
        # Without these characters every substitution of that pass puts back what it matched.
        if not any(char in xml for char in "\t\a\n\f"):
            return xml
        return super().resolve_listing(xml)


# DocxTemplate.patch_xml does not use its instance: the result depends on the XML alone.
_patched = lru_cache(maxsize=64)(partial(DocxTemplate.patch_xml, None))


def fingerprint(template: Path, context: dict, font: str) -> str:
    digest = hashlib.sha256(_template(template)[1].encode())  # the template's own SHA-256, computed once
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


def render_bytes(template: Path, context: dict, font: str, *, created: datetime | None = None) -> bytes:
    """The rendered document. `created` is the date its properties give it
    (Word's Created and Modified): the caller passes when the newest input
    it is made from arrived; without one, the end of the period the context
    covers (`period_end`), so the file stays the same for the same data."""
    document = _Template(io.BytesIO(_prepared(template, font)))
    document.render(_with_images(document, context), jinja_env=_JINJA, autoescape=True)
    docx = document.docx
    drop_foreign_parts(docx)
    write_app_properties(docx)  # a template saved by Word says Word wrote it, with the template's page count
    title = title_from_body(docx) or docx.core_properties.title
    if context.get("subject"):
        title = f"{title} เรื่อง {context['subject']}"
    org = context.get("org") or {}
    author = " ".join(part for part in (org.get("owner_division"), org.get("name")) if part)
    set_properties(docx, title=title, author=author or docx.core_properties.author,
                   created=created if created is not None else period_end(context))
    # What DocxTemplate.save() would write: beyond python-docx's save it only
    # applies replace_pic/replace_media/replace_zipname, which are not used here.
    return deterministic_package_bytes(docx)


def period_end(context: dict) -> datetime | None:
    """The last day of the month (`month_text`), of the last month of a
    period (`last_month_text`) or of the fiscal year (`fiscal_year`, Buddhist
    Era) the context is about, if it names one."""
    month = thai.parse_month(context.get("month_text") or context.get("last_month_text") or "")
    if month is None:
        year = thai.to_arabic_digits(str(context.get("fiscal_year") or ""))
        if not year.isdigit():
            return None
        month = thai.ce_year(int(year)), 9  # a fiscal year ends on 30 September
    year, number = month
    return datetime(year, number, calendar.monthrange(year, number)[1])

