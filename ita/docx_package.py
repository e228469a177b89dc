"""What a DOCX says about itself: its properties (File > Info in Word) and the
parts it holds besides the text.

python-docx starts every document from a sample file saved by Word for Mac
in 2010: it brings a thumbnail (the preview a file manager shows, of an empty
page), a sample bibliography (customXml), Word 2010's stylesWithEffects copy
of the styles, and an app.xml claiming that Word wrote it. None of them is
true of our documents, so they are dropped, and the properties describe the
document: its title as its first page shows it, the body that issues it, and
the date of the data it was made from (not the moment it was rendered, so
rendering the same data twice gives the same file).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part

if TYPE_CHECKING:  # pragma: no cover
    from docx.document import Document as DocxDocument

APP_NAME = "ita"
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
BIBLIOGRAPHY = b"http://schemas.openxmlformats.org/officeDocument/2006/bibliography"
_APP_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    f"<Application>{APP_NAME}</Application><DocSecurity>0</DocSecurity>"
    "</Properties>"
).encode()


def drop_foreign_parts(document: "DocxDocument") -> None:
    """Remove the thumbnail, the sample bibliography and stylesWithEffects.

    A thumbnail made by Word of a template pictures the template, never the
    rendered document, so it goes whoever made it. A customXml part goes only
    when it is a bibliography with no sources (python-docx's sample); one a
    clerk's Word keeps data in stays."""
    package = document.part.package
    for rId, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rId]
    part = document.part
    for rId, rel in list(part.rels.items()):
        if rel.is_external:
            continue
        if rel.reltype == STYLES_WITH_EFFECTS or (
            rel.reltype == RT.CUSTOM_XML and _empty_bibliography(rel.target_part.blob)
        ):
            del part.rels[rId]


def _empty_bibliography(blob: bytes) -> bool:
    return BIBLIOGRAPHY in blob and b"<b:Source>" not in blob and b"<b:Source " not in blob


def write_app_properties(document: "DocxDocument") -> None:
    """app.xml naming this program, without page or word counts (they would
    be the template's, and Word recounts when it saves)."""
    package = document.part.package
    for rel in package.rels.values():
        if rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = _APP_XML
            return
    part = Part(PackURI("/docProps/app.xml"),
                "application/vnd.openxmlformats-officedocument.extended-properties+xml", _APP_XML, package)
    package.relate_to(part, RT.EXTENDED_PROPERTIES)


def set_properties(document: "DocxDocument", *, title: str, author: str, created: datetime | None) -> None:
    """Title, author and dates of `document`; no date is written when none is
    known (a made-up one would be shown as fact)."""
    properties = document.core_properties
    properties.title = _one_line(title)
    properties.author = properties.last_modified_by = _one_line(author)
    properties.comments = properties.keywords = properties.subject = properties.category = ""
    properties.language = "th-TH"
    properties.revision = 1
    element = properties._element
    for empty in [e for e in element if not (e.text or "").strip() and e.tag.endswith("}identifier")]:
        element.remove(empty)
    for tag in ("created", "modified", "lastPrinted"):
        old = element.find(f"{{*}}{tag}")
        if old is not None:
            element.remove(old)
    if created is not None:
        properties.created = properties.modified = created.replace(microsecond=0, tzinfo=None)


def title_from_body(document: "DocxDocument") -> str:
    """The title as the first page prints it: the leading paragraphs in a
    "… Title" style (by style id: the styles part may not be parsed), each
    line break a space."""
    lines = []
    for paragraph in document.paragraphs:
        pPr = paragraph._p.pPr
        style = pPr.pStyle.val if pPr is not None and pPr.pStyle is not None else ""
        if style.endswith("Title"):
            lines.append(paragraph.text)
        elif lines and paragraph.text.strip():
            break
    return _one_line(" ".join(lines))


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()
