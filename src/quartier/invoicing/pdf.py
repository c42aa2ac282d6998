"""An invoice's PDF, drawn with reportlab from the invoice's frozen snapshot.

Text flows through platypus (A4, 20 mm margins); a Swiss QR-bill takes the bottom of a
page of its own at the end (the payment part is 210 x 105 mm, drawn from `qrbill`'s SVG
via svglib); an EPC QR ("GiroCode") sits beside the payment text. Standard PDF fonts
(Helvetica) keep the renderer free of system libraries.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics import renderPDF
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from svglib.svglib import svg2rlg

from .payment import epc_code, qr_bill_svg
from .wording import day, money, say

_STYLES = getSampleStyleSheet()
BODY = ParagraphStyle(
    "body", parent=_STYLES["Normal"], fontName="Helvetica", fontSize=9.5, leading=12.5
)
SMALL = ParagraphStyle(
    "small", parent=BODY, fontSize=8, leading=10, textColor=colors.HexColor("#444444")
)
BOLD = ParagraphStyle("bold", parent=BODY, fontName="Helvetica-Bold")
TITLE = ParagraphStyle("title", parent=BODY, fontName="Helvetica-Bold", fontSize=16, leading=20)
RIGHT = ParagraphStyle("right", parent=BODY, alignment=2)


def render_pdf(snapshot: dict[str, Any]) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"{snapshot['title']} {snapshot['number']}",
        author=snapshot["issuer"]["name"],
    )
    story = _story(snapshot)
    qr = (snapshot.get("payment") or {}).get("qr")
    if qr and qr["kind"] == "swiss_qr":
        svg = qr_bill_svg(qr, language=snapshot["language"])
        story += [PageBreak(), QrBillPage(_drawing(svg))]
    footer = _footer(snapshot)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


def _drawing(svg: str | bytes) -> Any:
    drawing = svg2rlg(io.BytesIO(svg.encode() if isinstance(svg, str) else svg))
    if drawing is None:
        raise ValueError("The payment code's SVG could not be read.")
    return drawing


class QrBillPage(Flowable):
    """Fills a page's frame and draws the QR-bill's payment part at the page's bottom."""

    def __init__(self, drawing: Any) -> None:
        super().__init__()
        self.drawing = drawing

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return avail_width, avail_height - 0.5

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        # From the frame's origin (margin + 6 pt padding + 0.5) back to the page's corner.
        canvas.translate(-(20 * mm + 6), -(18 * mm + 6.5))
        scale = A4[0] / self.drawing.width
        canvas.scale(scale, scale)
        renderPDF.draw(self.drawing, canvas, 0, 0)
        canvas.restoreState()


def _footer(snapshot: dict[str, Any]) -> Any:
    def draw(canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        page = say(snapshot["language"], "page", page=canvas.getPageNumber())
        text = f"{snapshot['number']} · {page}"
        canvas.drawRightString(A4[0] - 20 * mm, 10 * mm, text)
        canvas.restoreState()

    return draw


def _p(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(escape(text), style)


def _story(s: dict[str, Any]) -> list[Flowable]:
    lang = s["language"]
    story: list[Flowable] = [
        _head(s),
        Spacer(1, 6 * mm),
        _p(s["heading"], BOLD),
        _p(s["agent_note"], SMALL),
    ]
    if s.get("corrects"):
        story.append(_p(s["corrects"], BOLD))
    story += [Spacer(1, 5 * mm), _parties(s), Spacer(1, 6 * mm), _lines(s), Spacer(1, 2 * mm)]
    story.append(_totals(s))
    story.append(Spacer(1, 5 * mm))
    for note in s["notes"]:
        story.append(_p(note))
    block = s.get("block_35a")
    if block:
        story.append(Spacer(1, 4 * mm))
        story.append(KeepTogether(_block(block)))
    story.append(Spacer(1, 4 * mm))
    story += _payment(s, lang)
    return story


def _head(s: dict[str, Any]) -> Table:
    lang = s["language"]
    facts = [
        [_p(say(lang, "number")), _p(s["number"], RIGHT)],
        [_p(say(lang, "issued_on")), _p(day(date.fromisoformat(s["issued_on"]), lang), RIGHT)],
    ]
    if s.get("supplied_on"):
        label = "period" if s.get("period") else "supplied_on"
        value = s.get("period") or day(date.fromisoformat(s["supplied_on"]), lang)
        facts.append([_p(say(lang, label)), _p(value, RIGHT)])
    right = Table(facts, colWidths=[35 * mm, 40 * mm])
    right.setStyle(
        TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)])
    )
    table = Table([[_p(s["title"], TITLE), right]], colWidths=[95 * mm, 75 * mm])
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    return table


def _party(label: str, party: dict[str, Any]) -> list[Paragraph]:
    rows = [_p(label, SMALL), _p(party["name"], BOLD)]
    rows += [_p(line) for line in party.get("lines", [])]
    rows += [_p(line, SMALL) for line in party.get("tax", [])]
    return rows


def _parties(s: dict[str, Any]) -> Table:
    lang = s["language"]
    table = Table(
        [
            [
                _party(say(lang, "supplier"), s["issuer"]),
                _party(say(lang, "recipient"), s["recipient"]),
            ]
        ],
        colWidths=[85 * mm, 85 * mm],
    )
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    return table


def _lines(s: dict[str, Any]) -> Table:
    lang, cur = s["language"], s["currency"]
    with_rate = bool(s["vat"]) and s["template"] != "de_small_amount"
    header = [say(lang, k) for k in ("description", "quantity", "unit", "amount")]
    rows: list[list[Any]] = [[_p(h, BOLD) for h in header]]
    for line in s["lines"]:
        rows.append(
            [
                _p(line["label"]),
                _p(line["quantity"], RIGHT),
                _p(money(line["unit_minor"], cur, lang), RIGHT),
                _p(money(line["total_minor"], cur, lang), RIGHT),
            ]
        )
    widths = [90 * mm, 15 * mm, 30 * mm, 35 * mm]
    if with_rate:
        rows[0].append(_p(say(lang, "rate"), BOLD))
        for row, line in zip(rows[1:], s["lines"], strict=True):
            row.append(_p(f"{line['vat_rate']} %", RIGHT))
        widths = [80 * mm, 13 * mm, 28 * mm, 32 * mm, 17 * mm]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
                ("LINEBELOW", (0, -1), (-1, -1), 0.3, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _totals(s: dict[str, Any]) -> Table:
    lang, cur, template = s["language"], s["currency"], s["template"]
    rows: list[tuple[str, int]] = []
    if template.startswith("commission") and s["vat"]:
        rows.append((say(lang, "commission_net"), s["net_minor"]))
        key = "vat_on_top_ch" if template == "commission_ch" else "de_vat"
        rows += [(say(lang, key, rate=vat["rate"]), vat["vat_minor"]) for vat in s["vat"]]
    for vat in s["vat"] if not template.startswith("commission") else []:
        if template == "ch_registered":
            rows.append((say(lang, "ch_vat", rate=vat["rate"]), vat["vat_minor"]))
        elif template == "de_standard":
            rows.append((say(lang, "de_net", rate=vat["rate"]), vat["net_minor"]))
            rows.append((say(lang, "de_vat", rate=vat["rate"]), vat["vat_minor"]))
    total_label = say(lang, "total")
    if template == "ch_registered" and len(s["vat"]) == 1:
        total_label = say(lang, "ch_total", rate=s["vat"][0]["rate"])
    if template == "de_small_amount" and s["vat"]:
        total_label = say(lang, "de_gross_with_rate", rate=s["vat"][0]["rate"])
    data = [[_p(label, RIGHT), _p(money(amount, cur, lang), RIGHT)] for label, amount in rows]
    data.append(
        [
            _p(total_label, ParagraphStyle("tl", parent=BOLD, alignment=2)),
            _p(money(s["total_minor"], cur, lang), ParagraphStyle("ta", parent=BOLD, alignment=2)),
        ]
    )
    table = Table(data, colWidths=[135 * mm, 35 * mm])
    table.setStyle(
        TableStyle(
            [
                ("LINEABOVE", (0, -1), (-1, -1), 0.6, colors.black),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _block(block: dict[str, Any]) -> list[Flowable]:
    out: list[Flowable] = [_p(block["title"], BOLD)]
    if block["rows"]:
        table = Table(
            [[_p(label), _p(value, RIGHT)] for label, value in block["rows"]],
            colWidths=[135 * mm, 35 * mm],
        )
        table.setStyle(
            TableStyle(
                [
                    ("LINEABOVE", (0, -1), (-1, -1), 0.4, colors.black),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        out.append(table)
    out.append(_p(block["text"]))
    return out


def _payment(s: dict[str, Any], lang: str) -> list[Flowable]:
    pay = s.get("payment") or {}
    texts = [_p(text) for text in pay.get("texts", [])]
    qr = pay.get("qr")
    if qr and qr["kind"] == "epc":
        code = epc_code(qr)
        buffer = io.BytesIO()
        code.save(buffer, kind="svg", scale=4, border=0)
        drawing = _drawing(buffer.getvalue())
        size = 30 * mm
        drawing.scale(size / drawing.width, size / drawing.height)
        drawing.width = drawing.height = size
        table = Table([[texts, drawing]], colWidths=[135 * mm, 35 * mm])
        table.setStyle(
            TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
        )
        return [table]
    return texts
