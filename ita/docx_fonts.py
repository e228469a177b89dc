"""Thai-safe font helpers for python-docx documents, and deterministic DOCX bytes.

Word picks the font of a Thai character from ``w:rFonts/@w:cs`` (Thai is a
complex script), its size from ``w:szCs`` and its boldness from ``w:bCs``.
python-docx's ``font.name``, ``font.size`` and ``font.bold`` only set the
Latin attributes (``w:ascii``/``w:hAnsi``, ``w:sz``, ``w:b``), so Thai text
would silently fall back to the theme font at the default size.  The helpers
here always set both halves.
"""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING

from docx.opc.pkgwriter import PackageWriter
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Mapping

    from docx.document import Document as DocxDocument
    from docx.shared import Length
    from docx.text.font import Font

__all__ = [
    "set_document_font",
    "set_document_language",
    "set_font_size",
    "set_bold",
    "deterministic_docx_bytes",
    "deterministic_package_bytes",
    "deterministic_zip_bytes",
    "package_members",
    "get_or_insert",
]

_FONT_ATTRS = ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")
_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")

# Schema order of the children of w:rPr (CT_RPr in ECMA-376), used to insert
# elements python-docx has no accessor for (w:szCs) at a valid position.
_RPR_ORDER = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps",
    "w:smallCaps", "w:strike", "w:dstrike", "w:outline", "w:shadow",
    "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid", "w:vanish",
    "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern", "w:position",
    "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
    "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
    "w:eastAsianLayout", "w:specVanish", "w:oMath",
)

# Fixed timestamp for every zip entry (the earliest a zip can store).
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def get_or_insert(parent, tag: str, order: tuple[str, ...]):
    """Return the child `tag` of `parent`, inserting it where `order` (the
    schema's sequence of the parent's children) puts it if absent: python-docx
    has accessors for only some children (no w:szCs, w:cantSplit, w:shd …)."""
    child = parent.find(qn(tag))
    if child is None:
        child = parent.insert_element_before(OxmlElement(tag), *order[order.index(tag) + 1:])
    return child


def _set_rfonts(rFonts, font_name: str) -> None:
    for attr in _THEME_ATTRS:  # theme attributes win over explicit names
        rFonts.attrib.pop(qn(attr), None)
    for attr in _FONT_ATTRS:
        rFonts.set(qn(attr), font_name)


def _doc_defaults_rPr(document: "DocxDocument"):
    styles = document.styles.element
    docDefaults = styles.find(qn("w:docDefaults"))
    if docDefaults is None:
        docDefaults = OxmlElement("w:docDefaults")
        styles.insert(0, docDefaults)
    rPrDefault = docDefaults.find(qn("w:rPrDefault"))
    if rPrDefault is None:
        rPrDefault = OxmlElement("w:rPrDefault")
        docDefaults.insert(0, rPrDefault)
    rPr = rPrDefault.find(qn("w:rPr"))
    if rPr is None:
        rPr = OxmlElement("w:rPr")
        rPrDefault.append(rPr)
    return rPr


def set_document_font(document: "DocxDocument", font_name: str) -> None:
    """Use `font_name` for every script in every style of `document`.

    Sets w:ascii, w:hAnsi, w:eastAsia and w:cs (and drops the theme-font
    attributes, which would otherwise take precedence) on the document
    defaults, on the default paragraph style, and on every w:rFonts found in
    the style definitions (paragraph, character, table and table-conditional
    run properties).
    """
    _set_rfonts(get_or_insert(_doc_defaults_rPr(document), "w:rFonts", _RPR_ORDER), font_name)
    normal = document.styles.default(_paragraph_style_type())
    if normal is not None:
        rPr = normal.element.get_or_add_rPr()
        _set_rfonts(get_or_insert(rPr, "w:rFonts", _RPR_ORDER), font_name)
    for rFonts in document.styles.element.iter(qn("w:rFonts")):
        _set_rfonts(rFonts, font_name)


def set_document_language(
    document: "DocxDocument", latin: str = "en-US", complex_script: str = "th-TH"
) -> None:
    """Set the default proofing/line-breaking languages (w:lang) of `document`."""
    lang = get_or_insert(_doc_defaults_rPr(document), "w:lang", _RPR_ORDER)
    lang.set(qn("w:val"), latin)
    lang.set(qn("w:eastAsia"), latin)
    lang.set(qn("w:bidi"), complex_script)


def set_font_size(font: "Font", size: "Length | None") -> None:
    """Set w:sz and the complex-script size w:szCs together (None removes both)."""
    font.size = size
    rPr = font._element.get_or_add_rPr()
    szCs = rPr.find(qn("w:szCs"))
    if size is None:
        if szCs is not None:
            rPr.remove(szCs)
        return
    szCs = get_or_insert(rPr, "w:szCs", _RPR_ORDER)
    szCs.set(qn("w:val"), str(int(round(size.pt * 2))))


def set_bold(font: "Font", on: bool | None = True) -> None:
    """Set w:b and the complex-script bold w:bCs together (None removes both)."""
    font.bold = on
    font.cs_bold = on


def _paragraph_style_type():
    from docx.enum.style import WD_STYLE_TYPE

    return WD_STYLE_TYPE.PARAGRAPH


def deterministic_docx_bytes(data: bytes) -> bytes:
    """Re-write a DOCX (any zip) so equal content gives byte-identical files.

    Every entry gets the same timestamp (1980-01-01 00:00:00), the same
    permissions and DEFLATE level; entries are written in a stable order:
    ``[Content_Types].xml`` first, then ``_rels/.rels``, then the rest sorted
    by name.  Entry contents are copied unchanged.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        # A name stored twice reads as its last copy, as in any zip reader.
        members = {info.filename: b"" for info in src.infolist() if not info.is_dir()}
        for name in members:
            members[name] = src.read(name)
    return deterministic_zip_bytes(members)


def package_members(document: "DocxDocument") -> dict[str, bytes]:
    """The zip members ``document.save()`` would write, by name.  This is
    python-docx's own serialisation (``OpcPackage.save`` and its
    ``PackageWriter``) handed a collector instead of a zip file, so that the
    members are compressed once, by ``deterministic_zip_bytes``, instead of
    compressed, inflated and compressed again."""
    package = document.part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()
    members = _Members()
    PackageWriter._write_content_types_stream(members, parts)
    PackageWriter._write_pkg_rels(members, package.rels)
    PackageWriter._write_parts(members, parts)
    return dict(members)


class _Members(dict):
    """Stands in for python-docx's physical package writer."""

    def write(self, pack_uri, blob: bytes) -> None:
        self[pack_uri.membername] = blob


def deterministic_package_bytes(document: "DocxDocument") -> bytes:
    """``deterministic_docx_bytes(<document saved>)``, without the round trip."""
    return deterministic_zip_bytes(package_members(document))


def deterministic_zip_bytes(members: "Mapping[str, bytes]") -> bytes:
    """A zip of `members` (name → contents) that depends on nothing else:
    the fixed timestamp, permissions and DEFLATE level, and the stable order
    described in ``deterministic_docx_bytes``."""
    first = [n for n in ("[Content_Types].xml", "_rels/.rels") if n in members]
    ordered = first + sorted(n for n in members if n not in first)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in ordered:
            info = zipfile.ZipInfo(name, date_time=_ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, members[name], compresslevel=6)
    return out.getvalue()
