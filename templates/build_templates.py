"""(Re)write the docxtpl templates next to this file, deterministically.

    python templates/build_templates.py [--force]

writes ``templates/memo.docx`` (บันทึกข้อความ), ``templates/report.docx``
(รายงานการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส),
``templates/monthly.docx`` (รายงานผลการดำเนินงานประจำเดือน), and for a period
of months (the half-year, ``ita report``) ``templates/period_report.docx`` and
its cover memo ``templates/period_memo.docx``.  Running it twice gives
byte-identical files.

The templates are rendered with ``DocxTemplate(path).render(context,
autoescape=True)``.  Rules kept here so that a clerk can restyle the files in
Word without breaking them:

* every Jinja tag is written as one whole run, so Word's run splitting of
  typed text cannot cut a tag in two;
* lists of lines are one paragraph per line (``{%p for %}`` … ``{%p endfor %}``;
  inside a table cell with a ``{%p else %}`` empty paragraph, so that a cell
  never ends up without a paragraph); table rows loop with ``{%tr for %}`` …
  ``{%tr endfor %}``;
* no ``|safe`` and no ``{{r }}``: user text is escaped by autoescape;
* formatting lives in named styles (Memo Title, Memo Header, Memo Body,
  Table Text, …); the only direct formatting is table geometry, header-row
  shading and the repeat-header / can't-split row flags.

A template a clerk restyled in Word is never overwritten: ``built.sha256``
records what this script last wrote, and it refuses (writing nothing) while a
template differs both from that and from what it would write now. Keep a
copy of the restyled file, then ``--force`` rebuilds from the code.
"""

from __future__ import annotations

import copy
import hashlib
import io
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT, WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import (
    WD_ALIGN_PARAGRAPH,
    WD_BREAK,
    WD_LINE_SPACING,
    WD_TAB_ALIGNMENT,
    WD_TAB_LEADER,
)
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, Twips

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # `ita` importable when run as a script

from ita.docx_package import drop_foreign_parts, set_properties, write_app_properties  # noqa: E402
from ita.docx_fonts import (  # noqa: E402
    deterministic_docx_bytes,
    get_or_insert,
    set_bold,
    set_document_font,
    set_document_language,
    set_font_size,
)

FONT = "TH SarabunIT๙"
BODY_PT = 16

# A4, in cm
A4_W, A4_H = 21.0, 29.7

# Memo margins (ระเบียบงานสารบรรณ: left 3 cm, right 2 cm)
MEMO_MARGINS = dict(left=3.0, right=2.0, top=2.5, bottom=2.0)
MEMO_TEXT_W = A4_W - MEMO_MARGINS["left"] - MEMO_MARGINS["right"]  # 16 cm
LANDSCAPE_MARGINS = dict(left=2.0, right=2.0, top=2.0, bottom=2.0)
LANDSCAPE_TEXT_W = A4_H - LANDSCAPE_MARGINS["left"] - LANDSCAPE_MARGINS["right"]  # 25.7

INDENT = Cm(2.5)  # first-line indent of memo paragraphs
SIGN_INDENT = Cm(7.5)  # signature blocks: centred on the right part of the page
HEADER_FILL = "D9D9D9"

TAB = object()  # run token: a tab character
BREAK = object()  # run token: a line break inside the paragraph
PAGE_BREAK = object()  # run token: a page break

# Schema orders (ECMA-376) for elements python-docx has no accessor for.
_PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
    "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd",
    "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
    "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
    "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
    "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)
_TRPR_ORDER = (
    "w:cnfStyle", "w:divId", "w:gridBefore", "w:gridAfter", "w:wBefore",
    "w:wAfter", "w:cantSplit", "w:trHeight", "w:tblHeader", "w:tblCellSpacing",
    "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange",
)
_TCPR_ORDER = (
    "w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders",
    "w:shd", "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText",
    "w:vAlign", "w:hideMark",
)
_TBLPR_ORDER = (
    "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual",
    "w:tblStyleRowBandSize", "w:tblStyleColBandSize", "w:tblW", "w:jc",
    "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout",
    "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
)


# --------------------------------------------------------------------------
# document set-up and styles
# --------------------------------------------------------------------------


def new_document(title: str):
    doc = Document()
    set_document_font(doc, FONT)
    set_document_language(doc)

    # Document defaults: single spacing, no space after (the python-docx
    # default template has 10 pt after and 1.15 lines).
    pPrDefault = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:pPrDefault"))
    spacing = pPrDefault.find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")
    rPrDefault = pPrDefault.getprevious()  # w:rPrDefault: 16 pt everywhere
    for el in ("w:sz", "w:szCs"):
        rPrDefault.find(qn("w:rPr")).find(qn(el)).set(qn("w:val"), str(BODY_PT * 2))

    normal = doc.styles["Normal"]
    set_font_size(normal.font, Pt(BODY_PT))
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.widow_control = True
    set_bold(doc.styles["Strong"].font, True)

    # Word 2013+ layout (the python-docx default template is in Word 2010
    # compatibility mode, which shows a "Compatibility Mode" banner).
    for cs in doc.settings.element.iter(qn("w:compatSetting")):
        if cs.get(qn("w:name")) == "compatibilityMode":
            cs.set(qn("w:val"), "15")

    # Transitional requires the zoom percentage (Word writes 100 with bestFit).
    doc.settings.element.find(qn("w:zoom")).set(qn("w:percent"), "100")

    drop_foreign_parts(doc)
    write_app_properties(doc)
    # A template has no date of its own: rendering gives each document the date of its data.
    set_properties(doc, title=title, author="ita", created=None)
    doc.core_properties.comments = "docxtpl template written by templates/build_templates.py"
    return doc


def set_page(section, *, landscape: bool, left, right, top, bottom):
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(A4_H), Cm(A4_W)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(A4_W), Cm(A4_H)
    section.left_margin = Cm(left)
    section.right_margin = Cm(right)
    section.top_margin = Cm(top)
    section.bottom_margin = Cm(bottom)
    section.header_distance = Cm(1.25)
    section.footer_distance = Cm(1.0)
    section.gutter = Cm(0)


def para_style(
    doc,
    name,
    *,
    base="Normal",
    size=None,
    bold=None,
    align=None,
    first_indent=None,
    left_indent=None,
    before=None,
    after=None,
    line_exact=None,
    line_at_least=None,
    keep_next=None,
    keep_together=None,
    tabs=(),
    contextual=False,
    shading=None,
    next_style=None,
):
    st = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    st.base_style = doc.styles[base]
    st.quick_style = True
    pf = st.paragraph_format
    if size is not None:
        set_font_size(st.font, Pt(size))
    if bold is not None:
        set_bold(st.font, bold)
    if align is not None:
        pf.alignment = align
    if first_indent is not None:
        pf.first_line_indent = first_indent
    if left_indent is not None:
        pf.left_indent = left_indent
    if before is not None:
        pf.space_before = Pt(before)
    if after is not None:
        pf.space_after = Pt(after)
    if line_exact is not None:
        pf.line_spacing = Pt(line_exact)
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    if line_at_least is not None:
        pf.line_spacing = line_at_least
        pf.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
    if keep_next is not None:
        pf.keep_with_next = keep_next
    if keep_together is not None:
        pf.keep_together = keep_together
    for pos, alignment, leader in tabs:
        pf.tab_stops.add_tab_stop(pos, alignment, leader)
    pPr = st.element.get_or_add_pPr()
    if contextual:  # "don't add space between paragraphs of the same style"
        get_or_insert(pPr, "w:contextualSpacing", _PPR_ORDER)
    if shading is not None:
        shd = get_or_insert(pPr, "w:shd", _PPR_ORDER)
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), shading)
    if next_style is not None:
        st.next_paragraph_style = doc.styles[next_style]
    return st


def char_style(doc, name, *, size=None, bold=None):
    st = doc.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
    st.base_style = doc.styles["Default Paragraph Font"]
    st.quick_style = True
    if size is not None:
        set_font_size(st.font, Pt(size))
    if bold is not None:
        set_bold(st.font, bold)
    return st


def table_style(doc, name="ITA Table"):
    """A bordered table style (all borders, single 0.5 pt) with tight cell margins."""
    border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    borders = "".join(
        border.format(side)
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    style_id = name.replace(" ", "")
    xml = (
        f'<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="{style_id}">'
        f'<w:name w:val="{name}"/>'
        '<w:basedOn w:val="TableNormal"/>'
        '<w:uiPriority w:val="59"/>'
        '<w:qFormat/>'
        '<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        '<w:tblPr>'
        '<w:tblInd w:w="0" w:type="dxa"/>'
        f'<w:tblBorders>{borders}</w:tblBorders>'
        '<w:tblCellMar>'
        '<w:top w:w="28" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
        '<w:bottom w:w="28" w:type="dxa"/><w:right w:w="85" w:type="dxa"/>'
        '</w:tblCellMar>'
        '</w:tblPr>'
        '</w:style>'
    )
    doc.styles.element.append(parse_xml(xml))
    return doc.styles[name]


# --------------------------------------------------------------------------
# content helpers
# --------------------------------------------------------------------------


def fill(paragraph, style, *parts):
    """Give `paragraph` a style and runs.

    Each part is a string (one run, so a Jinja tag in it stays whole),
    a (text, character_style) pair, or one of the TAB/BREAK/PAGE_BREAK tokens.
    """
    paragraph.style = style
    for part in parts:
        if part is TAB:
            paragraph.add_run().add_tab()
        elif part is BREAK:
            paragraph.add_run().add_break()
        elif part is PAGE_BREAK:
            paragraph.add_run().add_break(WD_BREAK.PAGE)
        elif isinstance(part, tuple):
            text, cstyle = part
            paragraph.add_run(text, cstyle)
        else:
            paragraph.add_run(part)
    return paragraph


def par(container, style, *parts):
    """Append a paragraph to a document or a table cell."""
    return fill(container.add_paragraph(), style, *parts)


def tag(container, jinja, style="Normal"):
    """A paragraph-level docxtpl tag such as '{%p for x in xs %}'."""
    return par(container, style, jinja)


def line_list(cell, expr, var, style="Table Text"):
    """One paragraph per item of the list `expr` inside `cell`.

    `{%p else %}` leaves one empty paragraph when the list is empty: a table
    cell must hold at least one paragraph, or Word reports the file as
    damaged.
    """
    first = cell.paragraphs[0]
    fill(first, style, "{%p for " + var + " in " + expr + " %}")
    par(cell, style, "{{ " + var + " }}")
    par(cell, style, "{%p else %}")
    par(cell, style)
    par(cell, style, "{%p endfor %}")


def cell_text(cell, style, *parts):
    fill(cell.paragraphs[0], style, *parts)


def _row_flag(row, tag_name):
    trPr = row._tr.get_or_add_trPr()
    get_or_insert(trPr, tag_name, _TRPR_ORDER)


def _shade(cell, fill_hex):
    tcPr = cell._tc.get_or_add_tcPr()
    shd = get_or_insert(tcPr, "w:shd", _TCPR_ORDER)
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill_hex)


def _twips(cm: float) -> int:
    return int(round(cm * 1440 / 2.54))


def loop_table(doc, widths_cm, headers, loop_open, body, loop_close="{%tr endfor %}"):
    """A bordered table: a repeating header row, then one looping body row.

    `headers` is a list of lists of parts (one list per column); `body` is a
    list of callables `f(cell)` that fill each body cell.
    """
    n = len(widths_cm)
    table = doc.add_table(rows=4, cols=n)
    table.style = doc.styles["ITA Table"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tblPr = table._tbl.tblPr
    tblW = get_or_insert(tblPr, "w:tblW", _TBLPR_ORDER)
    twips = [_twips(w) for w in widths_cm]
    tblW.set(qn("w:w"), str(sum(twips)))
    tblW.set(qn("w:type"), "dxa")
    look = get_or_insert(tblPr, "w:tblLook", _TBLPR_ORDER)
    for k, v in (("w:val", "04A0"), ("w:firstRow", "1"), ("w:lastRow", "0"),
                 ("w:firstColumn", "0"), ("w:lastColumn", "0"),
                 ("w:noHBand", "1"), ("w:noVBand", "1")):
        look.set(qn(k), v)
    for gc, w in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), twips):
        gc.set(qn("w:w"), str(w))
    for row in table.rows:
        for cell, w in zip(row.cells, twips):
            cell.width = Twips(w)

    header, open_row, body_row, close_row = table.rows
    _row_flag(header, "w:tblHeader")
    _row_flag(header, "w:cantSplit")
    for cell, parts in zip(header.cells, headers):
        cell_text(cell, "Table Header", *parts)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _shade(cell, HEADER_FILL)

    cell_text(open_row.cells[0], "Table Text", loop_open)
    for cell in open_row.cells[1:]:
        cell_text(cell, "Table Text")

    # A body row is kept whole on a page; Word and LibreOffice still split a
    # row taller than a page. Split rows left a line or two of one cell alone
    # at the foot of a page, cut off from the rest of its measure.
    _row_flag(body_row, "w:cantSplit")
    for cell, fn in zip(body_row.cells, body):
        fn(cell)

    cell_text(close_row.cells[0], "Table Text", loop_close)
    for cell in close_row.cells[1:]:
        cell_text(cell, "Table Text")
    return table


def text_cell(expr, style="Table Text"):
    return lambda cell: cell_text(cell, style, expr)


def lines_cell(expr, var):
    return lambda cell: line_list(cell, expr, var)


def move_section_break_into(paragraph, doc):
    """End the current section at `paragraph` (no extra empty paragraph).

    The body's final w:sectPr is copied into the paragraph's properties, so
    the paragraph becomes the last of a section that keeps the current page
    set-up; the body's w:sectPr then describes the next section.
    """

    body_sectPr = doc.element.body.sectPr
    sectPr = copy.deepcopy(body_sectPr)
    pPr = paragraph._p.get_or_add_pPr()
    pPr.append(sectPr)  # sectPr is last in pPr (only pPrChange may follow)
    return doc.sections[-1]


def end_paragraph(doc):
    """A tiny last paragraph: a body must not end in a table, and a full-size
    empty line after the last table could push a blank page."""
    return par(doc, "Table End")


def page_numbers(doc) -> None:
    """"- ๒ -" at the top centre of every page but the first, as the
    ระเบียบงานสารบรรณ numbers a document of several pages: a PAGE field
    (Word and LibreOffice keep it right after edits) in the Thai digits of
    the section's page-number format. The first page has an empty header of
    its own; later sections use the first one's header and go on counting."""
    first = doc.sections[0]
    first.different_first_page_header_footer = True
    first.first_page_header.is_linked_to_previous = False  # an empty header part of its own, said outright
    header = doc.styles["Header"]
    set_font_size(header.font, Pt(BODY_PT))
    header.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph = first.header.paragraphs[0]
    paragraph.style = header
    paragraph.add_run("- ")
    paragraph._p.append(parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>๒</w:t></w:r></w:fldSimple>'))
    paragraph.add_run(" -")
    for section in doc.sections:
        pgNumType = section._sectPr.find(qn("w:pgNumType"))
        if pgNumType is None:
            pgNumType = OxmlElement("w:pgNumType")
            section._sectPr.insert_element_before(
                pgNumType, "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg",
                "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings",
                "w:sectPrChange")
        pgNumType.set(qn("w:fmt"), "thaiNumbers")


def build_bytes(doc) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return deterministic_docx_bytes(buf.getvalue())


def _table_styles(doc, table_pt):
    para_style(doc, "Table Text", size=table_pt)
    para_style(doc, "Table Center", base="Table Text", align=WD_ALIGN_PARAGRAPH.CENTER)
    para_style(doc, "Table Header", base="Table Text", bold=True,
               align=WD_ALIGN_PARAGRAPH.CENTER, keep_next=True)
    para_style(doc, "Table End", size=1, line_exact=1)
    table_style(doc)


# --------------------------------------------------------------------------
# memo.docx — บันทึกข้อความ
# --------------------------------------------------------------------------


def _memo_document():
    """A บันทึกข้อความ with its styles: the year memo and the cover memo of a period."""
    doc = new_document("บันทึกข้อความ")
    set_page(doc.sections[0], landscape=False, **MEMO_MARGINS)
    right = Cm(MEMO_TEXT_W)
    middle = Cm(MEMO_TEXT_W / 2)

    # The emblem (1.5 cm high) starts the title line at the left margin; the
    # title is centred on the text width by a centre tab, so it stands in the
    # same place with or without an emblem. "At least" spacing: an exact
    # line height would cut the picture.
    para_style(doc, "Memo Title", size=29, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT,
               line_at_least=Pt(35), keep_next=True,
               tabs=[(middle, WD_TAB_ALIGNMENT.CENTER, WD_TAB_LEADER.SPACES)])
    para_style(doc, "Memo Header", keep_next=True,
               tabs=[(right, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)])
    para_style(doc, "Memo Header Split", base="Memo Header",
               tabs=[(middle, WD_TAB_ALIGNMENT.LEFT, WD_TAB_LEADER.DOTS)])
    char_style(doc, "Memo Label", size=20, bold=True)
    para_style(doc, "Memo Salutation", before=6, keep_next=True)
    para_style(doc, "Memo Heading", bold=True, first_indent=INDENT, before=6,
               keep_next=True, next_style="Normal")
    para_style(doc, "Memo Body", first_indent=INDENT,
               align=WD_ALIGN_PARAGRAPH.THAI_JUSTIFY)
    doc.styles["Memo Heading"].next_paragraph_style = doc.styles["Memo Body"]
    para_style(doc, "Memo Subheading", bold=True, first_indent=INDENT, before=6,
               keep_next=True, next_style="Memo Body")
    para_style(doc, "Memo List", base="Memo Body")
    para_style(doc, "Chart", align=WD_ALIGN_PARAGRAPH.CENTER, before=3, after=3)
    para_style(doc, "Memo Closing", first_indent=INDENT, before=6, keep_next=True)
    para_style(doc, "Signature", left_indent=SIGN_INDENT, align=WD_ALIGN_PARAGRAPH.CENTER,
               keep_next=True, keep_together=True)
    para_style(doc, "Signature Last", base="Signature", keep_next=False)
    para_style(doc, "Comment Line", before=0, keep_next=True, keep_together=True,
               tabs=[(right, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)])
    para_style(doc, "Comment First", base="Comment Line", before=12)
    _table_styles(doc, BODY_PT)
    return doc


def _memo_header(doc) -> None:
    """ส่วนราชการ, ที่, วันที่, เรื่อง, เรียน: the official form's head."""
    par(doc, "Memo Title", "{{ emblem }}", TAB, "บันทึกข้อความ")
    par(doc, "Memo Header",
        ("ส่วนราชการ", "Memo Label"),
        " {{ org.owner_division }} {{ org.name }}",
        # no break between โทร. and the number
        "{% if org.phone %} โทร.\u00a0{{ org.phone }}{% endif %}",
        TAB)
    par(doc, "Memo Header Split",
        ("ที่", "Memo Label"), " {{ org.doc_no }}", TAB,
        ("วันที่", "Memo Label"), " {{ memo_date }}", TAB)
    par(doc, "Memo Header", ("เรื่อง", "Memo Label"), " {{ subject }}", TAB)
    par(doc, "Memo Salutation", "เรียน {{ addressee }}")


def _memo_signatures(doc) -> None:
    """The preparer's signature block, then a comment-and-signature block per approver."""
    # preparer: room for the signature, then (name) and position
    par(doc, "Signature")
    par(doc, "Signature")
    par(doc, "Signature")
    par(doc, "Signature", "( {{ preparer.name }} )")
    par(doc, "Signature Last", "{{ preparer.position }}")

    # one comment-and-signature block per approver, in order
    tag(doc, "{%p for a in approvers %}")
    par(doc, "Comment First", "ความเห็น", TAB)
    par(doc, "Comment Line", TAB)
    par(doc, "Comment Line", TAB)
    par(doc, "Signature")
    par(doc, "Signature")
    par(doc, "Signature", "( {{ a.name }} )")
    par(doc, "Signature Last", "{{ a.position }}")
    tag(doc, "{%p endfor %}")


def build_memo() -> bytes:
    doc = _memo_document()
    _memo_header(doc)

    # ๑. เรื่องเดิม
    par(doc, "Memo Heading", "๑. เรื่องเดิม")
    par(doc, "Memo Body",
        "ตามที่{{ org.name }}ได้ผลคะแนนการประเมินคุณธรรมและความโปร่งใสในการดำเนินงาน"
        "ของหน่วยงานภาครัฐ ประจำปี {{ ita.year }} จำนวน {{ ita.score }} คะแนน "
        "จากคะแนนเต็ม ๑๐๐ คะแนน โดยมีผลการประเมินระดับ ",
        ("{{ ita.level }}", "Strong"),
        " {{ ita.meaning }} โดยรายละเอียดผลการประเมินเป็น ดังนี้")

    # a chart that could not be drawn ("") drops its sub-heading too
    tag(doc, "{%p if chart_overall %}")
    par(doc, "Memo Subheading", "ผลการประเมินในภาพรวม")
    par(doc, "Chart", "{{ chart_overall }}")
    tag(doc, "{%p endif %}")

    tag(doc, "{%p if chart_history %}")
    par(doc, "Memo Subheading", "ผลการประเมินในภาพรวมย้อนหลัง")
    par(doc, "Chart", "{{ chart_history }}")
    tag(doc, "{%p endif %}")

    par(doc, "Memo Subheading", "ผลการประเมินรายตัวชี้วัด")
    tag(doc, "{%p if chart_indicators %}")
    par(doc, "Chart", "{{ chart_indicators }}")
    tag(doc, "{%p else %}")
    par(doc, "Chart",
        "{% for y in indicator_years %}ปี {{ y }}{% if not loop.last %} {% endif %}{% endfor %}")
    tag(doc, "{%p endif %}")

    par(doc, "Memo Subheading", "สรุปผลการประเมินรายตัวชี้วัด")
    loop_table(
        doc,
        [2.6, 10.4, 3.0],
        [["ตัวชี้วัดที่"], ["รายละเอียดตัวชี้วัด"], ["คะแนน"]],
        "{%tr for ind in indicators %}",
        [
            text_cell("{{ ind.no }}", "Table Center"),
            text_cell("{{ ind.name }}"),
            text_cell("{{ ind.score }}", "Table Center"),
        ],
    )

    # ๒. ข้อเท็จจริง
    par(doc, "Memo Heading", "๒. ข้อเท็จจริง")
    par(doc, "Memo Body",
        "ตามที่ {{ org.owner_division }} {{ org.name }} ได้ดำเนินการวิเคราะห์ผลการประเมิน"
        "คุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ ประจำปี "
        "{{ previous_fiscal_year }} และได้กำหนดมาตรการ/แนวทางในการส่งเสริมคุณธรรม"
        "และความโปร่งใสของ{{ org.name }}ประจำปีงบประมาณ พ.ศ.{{ fiscal_year }} "
        "โดยได้มีการดำเนินการขับเคลื่อนมาตรการส่งเสริมคุณธรรมและความโปร่งใสขององค์กร"
        "ปกครองส่วนท้องถิ่น ประจำปีงบประมาณ พ.ศ. {{ fiscal_year }} ดังต่อไปนี้")
    tag(doc, "{%p for g in guidelines %}")
    par(doc, "Memo List", "{{ g.no }}) {{ g.text }}")
    tag(doc, "{%p endfor %}")
    par(doc, "Memo Body",
        "การดำเนินการในปี {{ fiscal_year }} หน่วยงานจึงมีความจำเป็นต้องมีการพัฒนาองค์กร"
        "ให้เป็นหน่วยงานที่มีคุณธรรมและความโปร่งใสในการบริหารงาน เพื่อเป็นการเสริมสร้าง"
        "วัฒนธรรมองค์กรให้เจ้าหน้าที่ของหน่วยงานมีทัศนคติ ค่านิยม ในการปฏิบัติงาน"
        "อย่างซื่อสัตย์สุจริตอย่างชัดเจนเพิ่มมากขึ้น")

    # ๓. ข้อเสนอเพื่อพิจารณา
    par(doc, "Memo Heading", "๓. ข้อเสนอเพื่อพิจารณา")
    tag(doc, "{%p for p in proposals %}")
    par(doc, "Memo List", "{{ p.no }} {{ p.text }}")
    tag(doc, "{%p endfor %}")
    par(doc, "Memo Closing", "จึงเรียนมาเพื่อโปรดพิจารณา")
    _memo_signatures(doc)
    page_numbers(doc)
    return build_bytes(doc)


def build_period_memo() -> bytes:
    """The cover memo of a period's report: proposed for acknowledgement."""
    doc = _memo_document()
    _memo_header(doc)
    par(doc, "Memo Heading", "๑. เรื่องเดิม")
    par(doc, "Memo Body", "{{ background }}")
    par(doc, "Memo Heading", "๒. ข้อเท็จจริง")
    par(doc, "Memo Body", "{{ facts }}")
    loop_table(
        doc,
        # ลำดับ and "๖ จาก ๖ เดือน" each on one line at 16 pt.
        [1.8, 5.2, 3.8, 5.2],
        [["ลำดับ"], ["ส่วนราชการ"], ["ส่งรายงาน"], ["หมายเหตุ"]],
        "{%tr for d in divisions %}",
        [
            text_cell("{{ d.no }}", "Table Center"),
            text_cell("{{ d.name }}"),
            text_cell("{{ d.months }}", "Table Center"),
            text_cell("{{ d.missing }}"),
        ],
    )
    par(doc, "Memo Heading", "๓. ข้อเสนอเพื่อพิจารณา")
    tag(doc, "{%p for p in proposals %}")
    par(doc, "Memo List", "{{ p.no }} {{ p.text }}")
    tag(doc, "{%p endfor %}")
    par(doc, "Memo Closing", "จึงเรียนมาเพื่อโปรดทราบ")
    _memo_signatures(doc)
    page_numbers(doc)
    return build_bytes(doc)


# --------------------------------------------------------------------------
# report.docx — รายงานการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส
# --------------------------------------------------------------------------


def build_report(period: bool = False) -> bytes:
    """The consolidated report; `period`: of some months of the year (its
    label and months on the title page and above each table) instead of the
    whole year."""
    doc = new_document("รายงานการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส")
    set_page(doc.sections[0], landscape=False, **MEMO_MARGINS)

    para_style(doc, "Report Title", size=26, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
               before=130, contextual=True)
    para_style(doc, "Report Issuer", size=20, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
               before=190, contextual=True)
    para_style(doc, "Group Title", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
               keep_next=True)
    para_style(doc, "Group Heading", bold=True, before=6, after=6, keep_next=True,
               align=WD_ALIGN_PARAGRAPH.THAI_JUSTIFY)
    _table_styles(doc, 14)

    # title page (portrait)
    # the title is too long for one line at this size: break it where a
    # reader would, rather than where the line happens to end
    par(doc, "Report Title", "รายงานการดำเนินการตามมาตรการ", BREAK,
        "ส่งเสริมคุณธรรมและความโปร่งใส")
    par(doc, "Report Title", "{{ org.name }}", BREAK,
        "ประจำปีงบประมาณ พ.ศ. {{ fiscal_year }}")
    if period:
        par(doc, "Report Title", "{{ period_label }}", BREAK, "(เดือน {{ period_text }})")
    par(doc, "Report Issuer", "{{ org.owner_division }}")
    par(doc, "Report Issuer", "{{ org.name }}")
    last = par(doc, "Report Issuer", "{{ org.address }}")
    move_section_break_into(last, doc)

    # the tables (landscape)
    body = doc.sections[-1]
    body.start_type = WD_SECTION.NEW_PAGE
    set_page(body, landscape=True, **LANDSCAPE_MARGINS)

    tag(doc, "{%p for g in groups %}")
    # every group after the first starts on a new page
    par(doc, "Group Title",
        "{% if not loop.first %}", PAGE_BREAK, "{% endif %}",
        "ผลการดำเนินการตามมาตรการของหน่วยงานที่จะดำเนินการประจำปีงบประมาณ พ.ศ. {{ fiscal_year }}")
    par(doc, "Group Title", "เพื่อขับเคลื่อนการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงานให้ดีขึ้น")
    par(doc, "Group Title", "{{ period_label }} (เดือน {{ period_text }})" if period else "(เดือน {{ period_text }} )")
    par(doc, "Group Heading", "{{ g.heading }}")
    loop_table(
        doc,
        # Widths from the longest unbreakable lines at 14 pt: a division such
        # as "งานตรวจสอบภายใน" or "กองคลัง (งานพัสดุฯ)" and a period
        # "ต.ค.๖๕-ก.ย.๖๖" each on one line. Header cells break where a
        # reader would, not inside a word.
        [4.3, 5.0, 4.5, 3.5, 4.2, 4.2],
        [["มาตรการ/แนวทาง"], ["ขั้นตอนหรือวิธีการ", BREAK, "ดำเนินงาน"], ["ผู้รับผิดชอบ"],
         ["ระยะเวลา", BREAK, "ดำเนินการ"], ["สรุปผลการ", BREAK, "ดำเนินการ"],
         ["ผลลัพธ์/", BREAK, "ความสำเร็จ"]],
        "{%tr for m in g.measures %}",
        [
            text_cell("{{ m.no }}) {{ m.title }}"),
            lines_cell("m.steps", "s"),
            lines_cell("m.responsible", "r"),
            text_cell("{{ m.period }}", "Table Center"),
            lines_cell("m.summary", "x"),
            lines_cell("m.outcomes", "o"),
        ],
    )
    tag(doc, "{%p endfor %}")
    end_paragraph(doc)
    page_numbers(doc)
    return build_bytes(doc)


# --------------------------------------------------------------------------
# monthly.docx — รายงานผลการดำเนินงานประจำเดือน (A4 landscape)
# --------------------------------------------------------------------------


def build_monthly() -> bytes:
    doc = new_document("รายงานผลการดำเนินงานตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำเดือน")
    set_page(doc.sections[0], landscape=True, **LANDSCAPE_MARGINS)

    para_style(doc, "Report Title", size=18, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
               keep_next=True)
    para_style(doc, "Report Note", size=14, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
    para_style(doc, "Status Line", after=3)
    para_style(doc, "Alert", base="Status Line", bold=True, shading="FFE699")
    para_style(doc, "Division Heading", size=18, bold=True, before=12, keep_next=True)
    # Not kept with the table: LibreOffice then moves a whole long table to
    # the next page, leaving the page before it nearly empty.
    para_style(doc, "Division Info", after=4)
    _table_styles(doc, 14)

    par(doc, "Report Title",
        "รายงานผลการดำเนินงานตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส", BREAK,
        "ประจำเดือน {{ month_text }}")
    par(doc, "Report Title", "{{ org.name }} ปีงบประมาณ พ.ศ. {{ fiscal_year }}")
    par(doc, "Report Note", "{{ generated_note }}")
    par(doc, "Status Line",
        "ส่วนราชการที่ส่งรายงานแล้ว {{ n_reported }} จาก {{ n_expected }} ส่วนราชการ")
    tag(doc, "{%p if missing %}")
    par(doc, "Alert", "ส่วนราชการที่ยังไม่ส่งรายงาน: {{ missing|join(', ') }}")
    tag(doc, "{%p else %}")
    par(doc, "Status Line", "ทุกส่วนราชการส่งรายงานครบแล้ว")
    tag(doc, "{%p endif %}")

    tag(doc, "{%p for d in divisions %}")
    par(doc, "Division Heading", "{{ d.name }}")
    par(doc, "Division Info",
        "ผู้รายงาน {{ d.reporter }} {{ d.position }} วันที่รายงาน {{ d.report_date }}")
    loop_table(
        doc,
        # สถานะ fits "ดำเนินการแล้ว" on one line; headers break between words.
        [1.5, 5.0, 5.4, 4.3, 4.4, 3.3, 1.8],
        [["ลำดับ"], ["มาตรการ/แนวทาง"], ["การดำเนินงานในเดือนนี้"], ["ผลการดำเนินการ", BREAK, "(ที่เพิ่มในเดือนนี้)"],
         ["ผลลัพธ์/", BREAK, "ความสำเร็จ", BREAK, "(ที่เพิ่มในเดือนนี้)"], ["สถานะ"], ["ร้อยละ"]],
        "{%tr for m in d.measures %}",
        [
            text_cell("{{ m.no }}", "Table Center"),
            text_cell("{{ m.title }}"),
            lines_cell("m.activity", "a"),
            lines_cell("m.result", "r"),
            lines_cell("m.outcome", "o"),
            text_cell("{{ m.status }}", "Table Center"),
            text_cell("{{ m.progress }}", "Table Center"),
        ],
    )
    tag(doc, "{%p endfor %}")
    end_paragraph(doc)
    page_numbers(doc)
    return build_bytes(doc)


BUILDERS = {"memo.docx": build_memo, "report.docx": build_report, "monthly.docx": build_monthly,
            "period_report.docx": lambda: build_report(period=True), "period_memo.docx": build_period_memo}
MANIFEST = HERE / "built.sha256"  # what this script last wrote, as `sha256sum` prints it


def last_built(manifest: Path = MANIFEST) -> dict[str, str]:
    if not manifest.exists():
        return {}
    pairs = (line.split(maxsplit=1) for line in manifest.read_text(encoding="utf-8").splitlines() if line.strip())
    return {name.strip(): digest for digest, name in pairs}


def restyled(folder: Path, built: dict[str, str], new: dict[str, bytes]) -> list[str]:
    """Templates whose file is neither what this script last wrote nor what
    it would write now: someone restyled them in Word."""
    changed = []
    for name, data in new.items():
        target = folder / name
        if target.exists():
            current = target.read_bytes()
            if current != data and hashlib.sha256(current).hexdigest() != built.get(name):
                changed.append(name)
    return changed


def write_templates(folder: Path = HERE, *, force: bool = False) -> list[Path]:
    """Build every template into `folder`; returns those written. Refuses,
    writing nothing, when a template there differs from what was last built
    (a clerk's restyling would be lost), unless `force`."""
    manifest = folder / MANIFEST.name
    built = last_built(manifest)
    new = {name: build() for name, build in BUILDERS.items()}
    changed = restyled(folder, built, new)
    if changed and not force:
        raise SystemExit(
            "ไม่เขียนทับแม่แบบที่มีผู้แก้ไขรูปแบบใน Word แล้ว: " + ", ".join(str(folder / n) for n in changed)
            + " — เก็บสำเนาไฟล์เหล่านี้ไว้ก่อน แล้วรันอีกครั้งด้วย --force หากต้องการสร้างใหม่จากโค้ด")
    written = []
    for name, data in new.items():
        target = folder / name
        if not target.exists() or target.read_bytes() != data:
            temporary = target.with_name(f".{name}.part")
            temporary.write_bytes(data)
            temporary.replace(target)
            written.append(target)
    manifest.write_text("".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in new.items()),
                        encoding="utf-8")
    return written


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    for path in write_templates(force="--force" in args):
        print(path)


if __name__ == "__main__":
    main()
