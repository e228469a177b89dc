"""Folders the package carries beside its code (sql/, templates/ and
ita_bands.toml in the checkout), found through importlib.resources so an
installed `ita` finds them from any working directory. pip installs a wheel
unzipped, so each is a real folder on disk."""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path


def folder(package: str) -> Path:
    return Path(os.fspath(files(package)))


SQL = folder("ita.sql")
TEMPLATES = folder("ita.templates")
ITA_BANDS = folder("ita") / "ita_bands.toml"
