"""Where the Thai fonts of the charts and PDFs come from.

The documents name the government's TH Sarabun faces (TH SarabunIT๙ by
default), which few machines have. The OFL Sarabun family, shipped as files
by the fontpkg-sarabun package, is the same design and is always there, so
neither matplotlib nor LibreOffice depends on the machine's fonts. An
installed TH Sarabun is still preferred where there is one.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["PACKAGED_FAMILY", "DOCUMENT_FAMILIES", "packaged_font_dir", "packaged_font_files",
           "system_sarabun_files", "installed_th_sarabun", "family_names"]

PACKAGED_FAMILY = "Sarabun"
# The names a document may ask for (the `font` setting's examples), best first.
DOCUMENT_FAMILIES = ("TH Sarabun New", "TH SarabunPSK", "TH SarabunIT๙")


def packaged_font_dir() -> Path | None:
    """The folder of the packaged Sarabun TTFs, or None if the package is missing."""
    try:
        import fontpkg_sarabun
    except ImportError:
        return None
    folder = fontpkg_sarabun.ROOT / "files"
    return folder if folder.is_dir() else None


def packaged_font_files() -> list[Path]:
    """The regular and bold packaged Sarabun (what charts and documents use)."""
    folder = packaged_font_dir()
    if folder is None:
        return []
    return [path for style in ("Regular", "Bold") if (path := folder / f"Sarabun-{style}.ttf").is_file()]


def system_sarabun_files() -> list[str]:
    """The system's font files that look like a Sarabun, found now. matplotlib
    lists the system's fonts once, in a cache built on its first import, so a
    font installed after that is missing from its list until added by hand."""
    from matplotlib import font_manager

    return sorted(path for path in font_manager.findSystemFonts() if "sarabun" in Path(path).name.lower())


def installed_th_sarabun() -> list[str]:
    """The TH Sarabun family names the system has, in `DOCUMENT_FAMILIES` order."""
    names: set[str] = set()
    for path in system_sarabun_files():
        names.update(family_names(path))
    return [family for family in DOCUMENT_FAMILIES if family in names]


def family_names(path: str) -> set[str]:
    """Every family name a font file gives itself. Read from its Unicode name
    records: FreeType's one family name may come from a Mac Roman record,
    which cannot spell the ๙ of TH SarabunIT๙."""
    from matplotlib.ft2font import FT2Font

    try:
        font = FT2Font(path)
    except (OSError, RuntimeError):
        return set()  # an unreadable file is no font to prefer
    names = {font.family_name}
    for (platform, _, _, name_id), raw in font.get_sfnt().items():
        if platform in (0, 3) and name_id in (1, 16):
            names.add(raw.decode("utf-16-be", errors="replace"))
    return names
