"""Validating the parts of a DOCX or XLSX against the ISO/IEC 29500 Transitional
schemas (ECMA-376), as Word and Excel read them.

The schemas are read where the team keeps them, `../shared/ooxml_schemas`
beside the repository (its README names their public source); they are not
part of this repository. Two things are applied in memory, the files stay as
published:

- markup compatibility (ISO/IEC 29500-3): elements and attributes in a
  namespace the part lists in `mc:Ignorable` are dropped, and an
  `mc:AlternateContent` is replaced by its `mc:Fallback`, since a consumer that
  knows only the Transitional schemas would do the same;
- the run-property order Word expects: the schema lets the children of
  `w:rPr` (`EG_RPrBase`) come in any order, Word reports a document whose
  run properties are out of the order the schema lists them in as damaged, so
  here that group is a sequence.

A part in no namespace of the schemas (VML's `<xml>` wrapper of an Excel
comment drawing) is checked child by child.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parent.parent
SCHEMAS = REPO.parent / "shared" / "ooxml_schemas"

XSD = "http://www.w3.org/2001/XMLSchema"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
# opc-coreProperties.xsd imports the Dublin Core schemas by their public
# address; the folder holds local stand-ins under these names.
BY_URL = {
    "http://dublincore.org/schemas/xmls/qdc/2003/04/02/dc.xsd": "dc.xsd",
    "http://dublincore.org/schemas/xmls/qdc/2003/04/02/dcterms.xsd": "dcterms.xsd",
}


@dataclass(frozen=True)
class Invalid:
    part: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.part}:{self.line}: {self.message}"


def _ordered_run_properties(wml: bytes) -> bytes:
    """wml.xsd with EG_RPrBase as an ordered sequence of optional elements."""
    tree = etree.fromstring(wml)
    ns = {"xsd": XSD}
    (group,) = tree.xpath("xsd:group[@name='EG_RPrBase']", namespaces=ns)
    choice = group.find(f"{{{XSD}}}choice")
    choice.tag = f"{{{XSD}}}sequence"
    for element in choice:
        element.set("minOccurs", "0")
    for ref in tree.xpath("//xsd:group[@ref='EG_RPrBase']", namespaces=ns):
        ref.set("maxOccurs", "1")
    return etree.tostring(tree)


class _Local(etree.Resolver):
    """Every schema from the shared folder, wml.xsd as adjusted above."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def resolve(self, url, public_id, context):
        name = BY_URL.get(url) or Path(url.removeprefix("file://")).name
        path = self.folder / name
        if not path.is_file():
            return None
        if name == "wml.xsd":
            return self.resolve_string(_ordered_run_properties(path.read_bytes()), context,
                                       base_url=path.as_uri())
        return self.resolve_filename(str(path), context)


def _target_namespace(path: Path) -> str | None:
    match = re.search(rb'targetNamespace="([^"]+)"', path.read_bytes()[:4000])
    return match.group(1).decode() if match else None


@lru_cache(maxsize=2)
def schema(folder: Path = SCHEMAS) -> etree.XMLSchema:
    """One schema holding every namespace of the folder: a part is checked
    against the declaration of its root element, whichever file has it."""
    files = {}
    for path in sorted(folder.glob("*.xsd"), key=lambda p: p.name != "xml.xsd"):
        namespace = _target_namespace(path)
        if namespace:
            files.setdefault(namespace, path)
    imports = "".join(f'<xsd:import namespace="{ns}" schemaLocation="{path.as_uri()}"/>'
                      for ns, path in files.items())
    driver = f'<xsd:schema xmlns:xsd="{XSD}" targetNamespace="urn:ita:all-ooxml">{imports}</xsd:schema>'
    parser = etree.XMLParser()
    parser.resolvers.add(_Local(folder))
    return etree.XMLSchema(etree.fromstring(driver.encode(), parser, base_url=(folder / "driver.xsd").as_uri()))


def _ignorable(element, inherited: frozenset[str]) -> frozenset[str]:
    prefixes = element.get(f"{{{MC}}}Ignorable")
    if not prefixes:
        return inherited
    return inherited | {element.nsmap[p] for p in prefixes.split() if p in element.nsmap}


def _namespace(tag: str) -> str:
    return tag[1:].split("}")[0] if tag.startswith("{") else ""


def apply_markup_compatibility(element, inherited: frozenset[str] = frozenset()) -> None:
    """As a consumer that understands no extension namespace reads `element`."""
    ignorable = _ignorable(element, inherited)
    for name in list(element.attrib):
        if _namespace(name) in ignorable or _namespace(name) == MC:
            del element.attrib[name]
    for child in list(element):
        if not isinstance(child.tag, str):
            continue
        if child.tag == f"{{{MC}}}AlternateContent":
            fallback = child.find(f"{{{MC}}}Fallback")
            index = element.index(child)
            element.remove(child)
            for offset, kept in enumerate(list(fallback) if fallback is not None else []):
                element.insert(index + offset, kept)
                apply_markup_compatibility(kept, ignorable)
        elif _namespace(child.tag) in ignorable:
            element.remove(child)
        else:
            apply_markup_compatibility(child, ignorable)
    etree.cleanup_namespaces(element)


def _is_xml(name: str, content_types: dict[str, str], defaults: dict[str, str]) -> bool:
    kind = content_types.get("/" + name) or defaults.get(name.rsplit(".", 1)[-1].lower(), "")
    return kind.endswith("xml") or name == "[Content_Types].xml"


def _content_types(archive: zipfile.ZipFile) -> tuple[dict[str, str], dict[str, str]]:
    root = etree.fromstring(archive.read("[Content_Types].xml"))
    overrides = {e.get("PartName"): e.get("ContentType") for e in root if e.tag.endswith("Override")}
    defaults = {e.get("Extension").lower(): e.get("ContentType") for e in root if e.tag.endswith("Default")}
    return overrides, defaults


def validate_part(name: str, data: bytes, folder: Path = SCHEMAS) -> list[Invalid]:
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    apply_markup_compatibility(root)
    documents = [root] if _namespace(root.tag) else [child for child in root if isinstance(child.tag, str)]
    checker = schema(folder)
    problems = []
    for document in documents:
        tree = etree.ElementTree(etree.fromstring(etree.tostring(document)))
        if not checker.validate(tree):
            problems += [Invalid(name, e.line, e.message) for e in checker.error_log]
    return problems


def validate_package(path: Path, folder: Path = SCHEMAS) -> list[Invalid]:
    """Every XML part of the zip at `path`, checked; [] when all are valid."""
    with zipfile.ZipFile(path) as archive:
        overrides, defaults = _content_types(archive)
        problems = []
        for name in archive.namelist():
            if _is_xml(name, overrides, defaults):
                problems += validate_part(name, archive.read(name), folder)
    return problems
