"""The keys of the setup's ผลITA sheet (its scores), apart from the Pandera
models of schemas.setup: what reads a level or a score needs them, not
pandas and pandera."""

from __future__ import annotations

from ita import thai

# Sheet ผลITA: rows keyed in column A, one column per year ("ปี 2566").
ITA_KEY_LABEL = "ตัวชี้วัดที่"
ITA_NAME_LABEL = "รายละเอียดตัวชี้วัด"
ITA_YEAR_PREFIX = "ปี"
ITA_TOTAL_KEY = "ภาพรวม"
ITA_LEVEL_KEY = "ระดับ"
ITA_TOOLS = ("IIT", "EIT", "OIT")
# NACC publishes EIT in two parts; bodies write either the one EIT score or
# the two parts (the 2566 rule "each tool ≥ 85" is then read per part).
ITA_TOOL_PARTS = ("EIT ส่วนที่ 1", "EIT ส่วนที่ 2")
ITA_INDICATORS = tuple(str(n) for n in range(1, 11))
ITA_KEYS = (ITA_TOTAL_KEY, ITA_LEVEL_KEY, *ITA_INDICATORS, *ITA_TOOLS, *ITA_TOOL_PARTS)


def ita_key(text: object) -> str:
    """The canonical spelling of a ผลITA row key ("eit  ส่วนที่ ๑" → "EIT ส่วนที่ 1")."""
    key = thai.label_key(text)
    return next((k for k in ITA_KEYS if thai.label_key(k) == key), thai.one_line(text))
