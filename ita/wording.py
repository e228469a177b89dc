"""The fixed Thai wording of the documents, where it is not in the templates
because it is chosen per year or per group. `{body}`-style fields are filled
by `str.format` with user text as arguments only, never as the format."""

from __future__ import annotations

from ita.thai import to_thai_digits

# Each kind of file the inbox takes (ita.parse's SETUP, MONTHLY, UNKNOWN),
# as every message, report and workbook names it.
KIND_WORDS = {"setup": "ข้อมูลประจำปี", "monthly": "รายงานประจำเดือน", "unknown": "ไม่ทราบชนิด"}

MEMO_SUBJECT = "รายงานการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"

MEMO_PROPOSALS = (
    ("3.1", "ควรพิจารณาเห็นชอบรายงานผลการดำเนินการตามมาตรการเพื่อส่งเสริมคุณธรรมและความโปร่งใส"
            "ในการดำเนินงานของหน่วยงานภาครัฐของ{body} {district_province} ปีงบประมาณ พ.ศ.{fiscal_year}"),
    ("3.2", "เห็นควรสำเนาแจ้งกอง/ฝ่าย/ผู้ที่เกี่ยวข้องได้รับทราบ"),
    ("3.3", "เห็นควรนำผลการดำเนินการประเมินประชาสัมพันธ์ให้ประชาชนได้รับทราบ"),
)

# Assessment groups of the consolidated report, in the seed's order and words.
REPORT_GROUPS = (
    ("IIT/EIT", "ด้านประเมินแบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน ( IIT ) และ "
                "ด้านประเมินแบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก ( EIT )"),
    ("OIT", "หัวข้อการประเมินตามแบบวัดการเปิดเผยข้อมูลสาธารณะ ( OIT ){oit_items}"),
)

# OIT items per assessment year (docs/ita-domain.md): o1–o43 from 2563 to
# 2566; later years were restructured and their count is not confirmed, so the
# heading then names no items.
OIT_ITEM_COUNT = {2563: 43, 2564: 43, 2565: 43, 2566: 43}

MONTHLY_NOTE = "สรุปจากแบบรายงานผลการดำเนินงานประจำเดือนที่ส่วนราชการส่งเข้าระบบ (ฉบับล่าสุดของแต่ละส่วนราชการ)"


def oit_items(fiscal_year: int) -> str:
    count = OIT_ITEM_COUNT.get(fiscal_year)
    return f" ข้อ ๑ - {to_thai_digits(count)}" if count else ""
