"""Printable PDFs: the donor report of a project, and the facilitator's guide and attendance sheet.

fpdf2 with Noto Sans (the fontpkg-noto-sans wheel), which has the six extra letters of Tajik
(ғ ӣ қ ӯ ҳ ҷ); only the glyphs used are embedded. The wheel ships a variable font, and making a
bold instance of it takes fontTools many seconds, so headings are drawn bold by outlining the
regular glyphs (fill and stroke) instead.
"""

import importlib.resources
import logging
from functools import cache

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from .reports import Report

# fontTools logs every step of subsetting the font at INFO: noise in the server's log.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FAMILY = "NotoSans"
HEADINGS = FontFace(fill_color=(225, 230, 236))


@cache
def font_path() -> str:
    return str(importlib.resources.files("fontpkg_noto_sans") / "files" / "NotoSans[wdth,wght].ttf")


def _number(value) -> str:
    return number_format(value, force_grouping=True) if isinstance(value, int) else str(value)


class Document(FPDF):
    def __init__(self, title: str):
        super().__init__(format="A4")
        self.add_font(FAMILY, style="", fname=font_path())
        self.set_title(title)
        self.set_creator("Mediateka")
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=15)
        self.footer_text = ""

    def footer(self):
        if self.footer_text:
            self.set_y(-12)
            self.set_font(FAMILY, size=8)
            self.set_text_color(90)
            self.cell(0, 5, self.footer_text, align="L")
            self.cell(0, 5, str(self.page_no()), align="R")
            self.set_text_color(0)

    def heading(self, text: str, size: int = 13) -> None:
        self.ln(2)
        self.set_font(FAMILY, size=size)
        with self.local_context(text_mode="FILL_STROKE", line_width=size / 60):
            self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def paragraph(self, text: str, size: int = 10) -> None:
        self.set_font(FAMILY, size=size)
        self.multi_cell(0, size * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def report_table(self, report: Report, first_width: int = 60) -> None:
        header, rows = report.as_table()
        self.heading(report.title, 11)
        if not rows:
            self.paragraph(_("No screenings recorded."))
            return
        self.set_font(FAMILY, size=8 if len(header) > 6 else 9)
        rest = (self.epw - first_width) / (len(header) - 1)
        with self.table(
            col_widths=(first_width, *([rest] * (len(header) - 1))),
            text_align=("LEFT", *(["RIGHT"] * (len(header) - 1))),
            headings_style=HEADINGS,
            line_height=self.font_size * 1.6,
            first_row_as_headings=True,
        ) as table:
            table.row(header)
            for row in rows:
                table.row([_number(v) for v in row])
        self.ln(2)


def donor_report(
    project, figures: dict, broadcasts: dict, reports: list[Report], participants: dict
) -> bytes:
    doc = Document(project.title)
    doc.footer_text = _("Mediateka · donor report · %(date)s") % {"date": date_format(timezone.localdate())}
    doc.add_page()
    doc.heading(project.title, 16)
    lines = [_("Status: %(status)s") % {"status": project.get_status_display()}]
    if project.start_date or project.end_date:
        start = date_format(project.start_date, "YEAR_MONTH_FORMAT") if project.start_date else "…"
        end = date_format(project.end_date, "YEAR_MONTH_FORMAT") if project.end_date else "…"
        lines.append(_("Period: %(start)s – %(end)s") % {"start": start, "end": end})
    for label, names in participants.items():
        if names:
            lines.append(f"{label}: {', '.join(names)}")
    doc.paragraph("\n".join(lines))
    doc.heading(_("Reach"))
    doc.paragraph(
        _(
            "%(screenings)s screenings reached %(people)s people; "
            "%(broadcasts)s broadcasts reached an estimated %(audience)s."
        )
        % {
            "screenings": _number(figures.get("screenings") or 0),
            "people": _number(figures.get("attendees") or 0),
            "broadcasts": _number(broadcasts["broadcasts"]),
            "audience": _number(broadcasts["audience"]),
        }
    )
    if figures.get("sample_screenings"):
        doc.paragraph(
            _("Includes %(count)s sample screenings (demonstration data, not real records).")
            % {"count": _number(figures["sample_screenings"])}
        )
    for report in reports:
        doc.report_table(report, first_width=45 if len(report.columns) > 4 else 80)
    return bytes(doc.output())


def screening_guide(film, synopsis: str, themes: list[str], record_url: str) -> bytes:
    """Page one: the facilitator's discussion guide; page two: the attendance tally sheet."""
    doc = Document(film.display_title)
    doc.add_page()
    doc.set_font(FAMILY, size=9)
    doc.cell(0, 5, _("Mediateka · screening kit"), new_x="LMARGIN", new_y="NEXT")
    doc.heading(_("Discussion guide: %(title)s") % {"title": film.display_title}, 15)
    if themes:
        doc.paragraph(_("Themes: %(themes)s") % {"themes": ", ".join(themes)})
    if synopsis:
        doc.paragraph(synopsis if len(synopsis) < 900 else synopsis[:900].rsplit(" ", 1)[0] + " …")
    doc.heading(_("Before the screening"), 12)
    doc.paragraph(
        "\n".join(
            f"•  {line}"
            for line in [
                _("Watch the film yourself first, and check the sound and picture where you will show it."),
                _("Choose the language version and captions your audience understands best."),
                _("Tell people the film takes a few minutes and that a conversation follows."),
            ]
        )
    )
    doc.heading(_("Questions for the discussion"), 12)
    doc.paragraph(
        "\n".join(
            f"{number}.  {line}"
            for number, line in enumerate(
                [
                    _("What happened in the film? Which moment stayed with you?"),
                    _("Has something like this happened to you, your family or your neighbours?"),
                    _("What could the people in the film have done differently, and when?"),
                    _("Before leaving to work abroad, what should a person check and carry?"),
                    _("Where can someone here get help or advice? Share phone numbers and addresses."),
                ],
                start=1,
            )
        )
    )
    doc.heading(_("After the screening"), 12)
    doc.paragraph(
        _("Count the audience on the attendance sheet, then record the screening in Mediateka: %(url)s")
        % {"url": record_url}
    )

    doc.add_page()
    doc.heading(_("Attendance sheet: %(title)s") % {"title": film.display_title}, 13)
    doc.set_font(FAMILY, size=10)
    for label in (_("Date"), _("Place (district, town or jamoat)"), _("Organiser"), _("Facilitator")):
        doc.cell(0, 8, f"{label}: " + "_" * 60, new_x="LMARGIN", new_y="NEXT")
    doc.paragraph(
        _("Tick one box in each group for every person. Do not write names: the report needs counts only."), 9
    )
    header = [
        "№",
        _("Woman"),
        _("Man"),
        _("Under 18"),
        "18–29",
        "30–44",
        _("45+"),
        _("Migrant"),
        _("Returned"),
        _("Family"),
    ]
    doc.set_font(FAMILY, size=8)
    with doc.table(
        col_widths=(8, *([19] * (len(header) - 1))),
        text_align="CENTER",
        headings_style=HEADINGS,
        line_height=6.2,
    ) as table:
        table.row(header)
        for number in range(1, 31):
            table.row([str(number), *([""] * (len(header) - 1))])
    return bytes(doc.output())
