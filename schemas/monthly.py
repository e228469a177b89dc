"""The monthly progress sheet (แบบรายงานผลการดำเนินงานประจำเดือน)."""

from __future__ import annotations

import pandera.pandas as pa

from ita import thai
from schemas.columns import (
    column,
    is_not_blank,
    is_number_between,
    is_one_of,
    is_whole_number,
    links_per_line,
    parses_with,
)

SHEET = "รายงานประจำเดือน"
TITLE = "แบบรายงานผลการดำเนินงานประจำเดือน"

STATUSES = ("ยังไม่ดำเนินการ", "อยู่ระหว่างดำเนินการ", "ดำเนินการแล้ว")

# The header block: key in column A, value in column B.
HEADER = pa.DataFrameSchema(
    {
        "body": column("หน่วยงาน", value_required=True, width=40,
                       help="ชื่อหน่วยงานตามข้อมูลประจำปี เช่น องค์การบริหารส่วนตำบลตาอ็อง",
                       checks=[is_not_blank("ต้องกรอกชื่อหน่วยงาน")]),
        "division": column("ส่วนราชการ", value_required=True, width=40,
                           help="ส่วนราชการที่รายงาน ต้องตรงกับรายชื่อในข้อมูลประจำปี",
                           checks=[is_not_blank("ต้องกรอกชื่อส่วนราชการ")]),
        "month": column("ประจำเดือน", value_required=True, width=40,
                        help="เดือนและปี พ.ศ. ที่รายงาน เช่น ตุลาคม ๒๕๖๕ หรือ ต.ค. 65",
                        checks=[parses_with(thai.parse_month,
                                            "ต้องเป็นชื่อเดือนภาษาไทยและปี พ.ศ. เช่น ตุลาคม ๒๕๖๕ หรือ ต.ค. 65")]),
        "reporter": column("ผู้รายงาน", value_required=True, width=40,
                           help="ชื่อผู้รายงาน", checks=[is_not_blank("ต้องกรอกชื่อผู้รายงาน")]),
        "position": column("ตำแหน่ง", width=40, help="ตำแหน่งของผู้รายงาน"),
        "report_date": column("วันที่รายงาน", width=40,
                              help="วันที่รายงาน เช่น ๕ ตุลาคม ๒๕๖๕ หรือ 05/10/2565",
                              checks=[parses_with(thai.parse_date,
                                                  "ต้องเป็นวันที่ เช่น ๕ ตุลาคม ๒๕๖๕ หรือ 05/10/2565")]),
    },
    name="หัวรายงานประจำเดือน",
)

# The table: one row per measure the division reports on.
ROWS = pa.DataFrameSchema(
    {
        "measure_no": column("ลำดับมาตรการ", value_required=True, width=10,
                             help="ลำดับของมาตรการตามแผนในข้อมูลประจำปี",
                             checks=[is_whole_number(1, 999, "ต้องเป็นเลขลำดับมาตรการ (จำนวนเต็ม) ตามแผน")]),
        "measure_title": column("มาตรการ/แนวทาง", column_required=False, width=40,
                                help="ชื่อมาตรการ (กรอกไว้ให้แล้ว ใช้อ่านประกอบเท่านั้น)"),
        "activity": column("การดำเนินงานในเดือนนี้", width=45,
                           help="สิ่งที่ทำในเดือนนี้ บรรทัดละหนึ่งเรื่อง"),
        "result": column("ผลการดำเนินการ", width=45,
                         help="ผลการดำเนินการสะสม บรรทัดละหนึ่งข้อ (ใช้สรุปผลสิ้นปี)"),
        "outcome": column("ผลลัพธ์/ความสำเร็จ", width=45,
                          help="ผลลัพธ์หรือความสำเร็จ บรรทัดละหนึ่งข้อ (ใช้สรุปผลสิ้นปี)"),
        "status": column("สถานะ", width=22, choices=STATUSES,
                         help="เลือกจากรายการ: " + " / ".join(STATUSES),
                         checks=[is_one_of(STATUSES, "ต้องเป็นหนึ่งใน: " + " / ".join(STATUSES))]),
        "progress": column("ร้อยละความคืบหน้า", width=14,
                           help="ตัวเลข 0 ถึง 100 (เลขไทยได้)",
                           checks=[is_number_between(0, 100, "ต้องเป็นตัวเลข 0 ถึง 100")]),
        "evidence": column("หลักฐาน", column_required=False, width=35,
                           help="ลิงก์หลักฐาน บรรทัดละหนึ่งลิงก์ ขึ้นต้นด้วย http:// หรือ https://",
                           checks=[links_per_line("แต่ละบรรทัดต้องเป็นลิงก์ที่ขึ้นต้นด้วย http:// หรือ https://")]),
        "remark": column("หมายเหตุ", column_required=False, width=25, help="หมายเหตุ"),
    },
    name="ตารางรายงานประจำเดือน",
)
