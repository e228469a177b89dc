"""The year's setup workbook (ข้อมูลประจำปี): one sheet per schema."""

from __future__ import annotations

import pandera.pandas as pa

from schemas.columns import column, is_not_blank, is_number_between, is_one_of, is_whole_number
from schemas.ita_scores import (  # the ผลITA keys, re-exported with the sheet's schema
    ITA_INDICATORS,
    ITA_KEY_LABEL,
    ITA_KEYS,
    ITA_LEVEL_KEY,
    ITA_NAME_LABEL,
    ITA_TOOL_PARTS,
    ITA_TOOLS,
    ITA_TOTAL_KEY,
    ITA_YEAR_PREFIX,
    ita_key,
)

TITLE = "ข้อมูลประจำปี"
GROUPS = ("IIT/EIT", "OIT")
PREPARER_ROLE = "ผู้จัดทำ"

# Sheet หน่วยงาน: key in column A, value in column B.
ORGANISATION = pa.DataFrameSchema(
    {
        "name": column("ชื่อหน่วยงาน", value_required=True, width=45,
                       help="ชื่อเต็มของหน่วยงาน เช่น องค์การบริหารส่วนตำบลตาอ็อง",
                       checks=[is_not_blank("ต้องกรอกชื่อหน่วยงาน")]),
        "owner_division": column("ส่วนราชการเจ้าของเรื่อง", value_required=True, width=45,
                                 help="ส่วนราชการที่ออกบันทึกข้อความ เช่น สำนักปลัด",
                                 checks=[is_not_blank("ต้องกรอกส่วนราชการเจ้าของเรื่อง")]),
        "doc_no": column("ที่", value_required=True, width=45,
                         help="เลขที่หนังสือ เช่น สร ๗๒๙๐๑/-",
                         checks=[is_not_blank("ต้องกรอกเลขที่หนังสือ")]),
        "address": column("ที่อยู่", value_required=True, width=45,
                          help="อำเภอ จังหวัด และรหัสไปรษณีย์",
                          checks=[is_not_blank("ต้องกรอกที่อยู่")]),
        "fiscal_year": column("ปีงบประมาณ", value_required=True, width=45,
                              help="ปีงบประมาณ พ.ศ. เช่น 2566",
                              checks=[is_whole_number(2500, 2700, "ต้องเป็นปี พ.ศ. สี่หลัก เช่น 2566")]),
        "phone": column("โทรศัพท์", column_required=False, width=45, help="หมายเลขโทรศัพท์ (ไม่บังคับ)"),
        "emblem": column("ตราครุฑ", column_required=False, width=45,
                         help="ชื่อไฟล์รูปตราครุฑในโฟลเดอร์ ตราครุฑ ของโฟลเดอร์ข้อมูล หรือวางรูปลงในแผ่นงานนี้แทน (ไม่บังคับ)"),
    },
    name="หน่วยงาน",
)

DIVISIONS = pa.DataFrameSchema(
    {"division": column("ส่วนราชการ", value_required=True, width=40,
                        help="ชื่อส่วนราชการที่ต้องรายงาน หนึ่งแถวต่อหนึ่งส่วนราชการ",
                        checks=[is_not_blank("ต้องกรอกชื่อส่วนราชการ")])},
    name="ส่วนราชการ",
)

SIGNATORIES = pa.DataFrameSchema(
    {
        "order": column("ลำดับ", value_required=True, width=8, help="ลำดับการเสนอ เริ่มที่ผู้จัดทำ",
                        checks=[is_whole_number(1, 99, "ต้องเป็นตัวเลขลำดับ")]),
        "role": column("บทบาท", value_required=True, width=22,
                       help="ผู้จัดทำ (แถวแรก) แล้วผู้พิจารณาตามลำดับ เช่น หัวหน้าสำนักปลัด ปลัด นายก",
                       checks=[is_not_blank("ต้องกรอกบทบาท")]),
        "name": column("ชื่อ", value_required=True, width=32, help="ชื่อ-สกุล พร้อมคำนำหน้า",
                       checks=[is_not_blank("ต้องกรอกชื่อ")]),
        "position": column("ตำแหน่ง", value_required=True, width=45, help="ตำแหน่งตามที่ลงนาม",
                           checks=[is_not_blank("ต้องกรอกตำแหน่ง")]),
    },
    name="ผู้ลงนาม",
)

MEASURES = pa.DataFrameSchema(
    {
        "no": column("ลำดับ", value_required=True, width=8, help="ลำดับมาตรการ 1, 2, 3 …",
                     checks=[is_whole_number(1, 999, "ต้องเป็นเลขลำดับ (จำนวนเต็ม)")]),
        "group": column("กลุ่มการประเมิน", value_required=True, width=16, choices=GROUPS,
                        help="IIT/EIT หรือ OIT",
                        checks=[is_one_of(GROUPS, "ต้องเป็น IIT/EIT หรือ OIT")]),
        "title": column("มาตรการ/แนวทาง", value_required=True, width=45, help="ชื่อมาตรการ",
                        checks=[is_not_blank("ต้องกรอกชื่อมาตรการ")]),
        "steps": column("ขั้นตอนหรือวิธีการดำเนินงาน", value_required=True, width=60,
                        help="ขั้นตอน บรรทัดละหนึ่งขั้น เช่น ๑) ...",
                        checks=[is_not_blank("ต้องกรอกขั้นตอนการดำเนินงาน")]),
        "responsible": column("ผู้รับผิดชอบ", value_required=True, width=35,
                              help="ส่วนราชการที่รับผิดชอบ (ต้องมีชื่อส่วนราชการจากแผ่นงานส่วนราชการ)",
                              checks=[is_not_blank("ต้องกรอกผู้รับผิดชอบ")]),
        "period": column("ระยะเวลาดำเนินการ", value_required=True, width=18,
                         help="เช่น ต.ค.๖๕-ก.ย.๖๖", checks=[is_not_blank("ต้องกรอกระยะเวลาดำเนินการ")]),
    },
    name="มาตรการ",
)

GUIDELINES = pa.DataFrameSchema(
    {
        "no": column("ลำดับ", value_required=True, width=8, help="ลำดับแนวทาง",
                     checks=[is_whole_number(1, 999, "ต้องเป็นเลขลำดับ (จำนวนเต็ม)")]),
        "text": column("แนวทาง", value_required=True, width=100,
                       help="แนวทางจากการวิเคราะห์ผล ITA ปีที่แล้ว",
                       checks=[is_not_blank("ต้องกรอกแนวทาง")]),
    },
    name="แนวทาง",
)

# Sheet ผลITA: its keys are declared in schemas.ita_scores (imported above).


ITA_SCORES = pa.DataFrameSchema(
    {
        "key": column(ITA_KEY_LABEL, value_required=True, width=12,
                      help="ภาพรวม, ระดับ, 1–10, IIT, EIT (หรือ EIT ส่วนที่ 1 และ EIT ส่วนที่ 2) หรือ OIT",
                      checks=[is_one_of(ITA_KEYS, "ต้องเป็น ภาพรวม, ระดับ, 1–10, IIT, EIT, EIT ส่วนที่ 1, "
                                                  "EIT ส่วนที่ 2 หรือ OIT")]),
        "score": column("คะแนน", width=10, help="คะแนน 0–100 (ปีที่ไม่มีข้อมูลเว้นว่างได้)",
                        checks=[is_number_between(0, 100, "ต้องเป็นคะแนน 0 ถึง 100")]),
    },
    name="ผลITA",
)
