"""A small WordprocessingML (.docx) writer: exactly what an editable declaration needs.

Lawyers edit declarations in a word processor, so Refugio hands over a .docx beside the PDF.
The package is written by hand with :mod:`zipfile` (ECMA-376 Part 1, the parts a word processor
needs and no more) rather than adding a dependency: titles, headings, paragraphs, two-column
tables (the applicant's language | English), signature lines, a header on every page (the name
and A-Number: instructions Part 1 §X NOTE) and a footer with PAGE and NUMPAGES fields.

    doc = Document(header="Cen, Liheng   A-Number: none", lang="zh")
    doc.heading("Declaration of Liheng Cen", size=14, centre=True)
    doc.columns("中文", "English")  # the first row of a table is its header
    doc.columns("我在温州出生。", "I was born in Wenzhou.")
    data = doc.build()

Every text goes through :func:`escape`: markup characters are escaped and characters that XML
1.0 forbids (a stray form feed pasted from another program) are dropped, because a single one
makes the whole file unreadable. The output is byte-for-byte reproducible (fixed zip dates).
"""

from __future__ import annotations

import io
import re
import zipfile

from refugio.fill.fonts import is_rtl_text

__all__ = ["Document", "escape"]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_OFFICE = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

# US Letter with 0.75 inch side margins, in twentieths of a point (the PDF's MARGIN is 54 pt).
PAGE_W, PAGE_H, SIDE = 12240, 15840, 1080
TEXT_W = PAGE_W - 2 * SIDE

# XML 1.0 allows tab, newline, carriage return and everything from U+0020 except surrogates and
# U+FFFE/U+FFFF; anything else cannot appear even escaped.
_ILLEGAL = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_FIELD = re.compile(r"\{(PAGE|NUMPAGES)\}")


def escape(text: str) -> str:
    """``text`` made safe for XML content and attribute values."""
    text = _ILLEGAL.sub("", text)
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _lang(lang: str) -> str:
    """A run's language (spell checking, the right font for Chinese or Arabic letters)."""
    code = escape(lang)
    return f'<w:lang w:val="{code}" w:eastAsia="{code}" w:bidi="{code}"/>'


def _run(text: str, *, bold: bool = False, size: int = 0, lang: str = "") -> str:
    """One run; newlines become line breaks and tabs become tabs, as typed."""
    rtl = is_rtl_text(text)
    props = (
        ("<w:b/>" if bold else "")
        + (f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>' if size else "")
        + ("<w:rtl/>" if rtl else "")  # CT_RPr order: b, sz, szCs, rtl, lang
        + (_lang(lang) if lang else "")
    )
    parts = []
    for k, line in enumerate(text.replace("\r\n", "\n").split("\n")):
        if k:
            parts.append("<w:br/>")
        for j, piece in enumerate(line.split("\t")):
            if j:
                parts.append("<w:tab/>")
            if piece:
                parts.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f"<w:r>{rpr}{''.join(parts)}</w:r>"


def _para(
    runs: str, *, style: str = "", centre: bool = False, rtl: bool = False, keep: bool = False
) -> str:
    props = (
        (f'<w:pStyle w:val="{style}"/>' if style else "")
        + ("<w:keepNext/>" if keep else "")
        + ("<w:bidi/>" if rtl else "")
        + ('<w:jc w:val="center"/>' if centre else "")  # CT_PPr order: pStyle, keepNext, bidi, jc
    )
    return f"<w:p>{f'<w:pPr>{props}</w:pPr>' if props else ''}{runs}</w:p>"


def _fields(template: str) -> str:
    """Runs for a header or footer line; ``{PAGE}`` and ``{NUMPAGES}`` become live fields."""
    out = []
    for k, piece in enumerate(_FIELD.split(template)):
        if k % 2 == 0:
            out.append(_run(piece) if piece else "")
            continue
        out.append(
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> {piece} </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            "<w:r><w:t>1</w:t></w:r>"
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        )
    return "".join(out)


class Document:
    """A document of headings, paragraphs and two-column rows, built into .docx bytes.

    Its methods are those of :class:`refugio.claim.typeset.Pages`, so one piece of code lays
    out a declaration for either.
    """

    def __init__(
        self, header: str = "", footer: str = "Page {PAGE} of {NUMPAGES}", lang: str = ""
    ) -> None:
        self.header = header
        self.footer = footer
        self.lang = lang  # the language of the left column (BCP 47)
        self.name = ""  # the title, for the document properties
        self._body: list[str] = []
        self._rows: list[str] = []

    # -- blocks -----------------------------------------------------------------------------

    def heading(self, text: str, size: float = 13.0, centre: bool = False) -> None:
        """A heading; as on :class:`Pages`, a large centred one (14 pt or more) is the title."""
        if size >= 14 and centre:
            self.name = self.name or text
            self._add(_para(_run(text), style="Title"))
        else:
            self._add(_para(_run(text), style="Heading1", keep=True, centre=centre))

    def text(self, text: str) -> None:
        self._add(_para(_run(text), rtl=is_rtl_text(text)))

    def rule(self, label: str) -> None:
        """A line to sign or date on, with its label under it."""
        self._add(_para(_run("_" * 40), keep=True) + _para(_run(label)))

    def columns(self, left: str, right: str) -> None:
        """A row of two-column table (the applicant's language | English).

        The first row of each table is its header: bold, and repeated at the top of every page
        the table runs over. No row is kept from splitting across pages (cantSplit would push a
        paragraph longer than a page off the page).
        """
        header = not self._rows
        cells = "".join(
            f'<w:tc><w:tcPr><w:tcW w:w="{TEXT_W // 2}" w:type="dxa"/></w:tcPr>'
            + "".join(
                _para(_run(line, bold=header, lang=code), rtl=is_rtl_text(line))
                for line in text.split("\n")
            )
            + "</w:tc>"
            for text, code in ((left, self.lang), (right, ""))
        )
        props = "<w:trPr><w:tblHeader/></w:trPr>" if header else ""
        self._rows.append(f"<w:tr>{props}{cells}</w:tr>")

    def _add(self, xml: str) -> None:
        self._flush()
        self._body.append(xml)

    def _flush(self) -> None:
        if not self._rows:
            return
        half = TEXT_W // 2
        self._body.append(
            '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/>'
            f'<w:tblW w:w="{TEXT_W}" w:type="dxa"/><w:tblLayout w:type="fixed"/></w:tblPr>'
            f'<w:tblGrid><w:gridCol w:w="{half}"/><w:gridCol w:w="{half}"/></w:tblGrid>'
            + "".join(self._rows)
            + "</w:tbl>"
            # A paragraph between two tables keeps them apart (adjacent tables merge).
            + "<w:p/>"
        )
        self._rows = []

    # -- output -----------------------------------------------------------------------------

    def parts(self) -> dict[str, str]:
        """Every part of the package by its name, as XML text (what :meth:`build` zips)."""
        self._flush()
        return {
            "[Content_Types].xml": _CONTENT_TYPES,
            "_rels/.rels": _ROOT_RELS,
            "docProps/core.xml": _core(self.name),
            "word/document.xml": self._document(),
            "word/_rels/document.xml.rels": _DOCUMENT_RELS,
            "word/styles.xml": _STYLES,
            "word/settings.xml": _SETTINGS,
            "word/header1.xml": _margin("hdr", _para(_fields(self.header))),
            "word/footer1.xml": _margin("ftr", _para(_fields(self.footer), centre=True)),
        }

    def build(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as package:
            for name, xml in self.parts().items():
                # Fixed dates: the same declaration gives the same bytes.
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                package.writestr(info, xml.encode("utf-8"))
        return buffer.getvalue()

    def _document(self) -> str:
        section = (
            '<w:sectPr><w:headerReference w:type="default" r:id="rIdHeader"/>'
            '<w:footerReference w:type="default" r:id="rIdFooter"/>'
            f'<w:pgSz w:w="{PAGE_W}" w:h="{PAGE_H}"/>'
            f'<w:pgMar w:top="1440" w:right="{SIDE}" w:bottom="1440" w:left="{SIDE}" '
            'w:header="720" w:footer="720" w:gutter="0"/></w:sectPr>'
        )
        return (
            f'{_XML}<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>'
            + "".join(self._body)
            + section
            + "</w:body></w:document>"
        )


_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _margin(tag: str, body: str) -> str:
    return f'{_XML}<w:{tag} xmlns:w="{W}" xmlns:r="{R}">{body}</w:{tag}>'


def _core(title: str) -> str:
    # Only the title: no author or dates, which would tell more than the document itself.
    return (
        f'{_XML}<cp:coreProperties xmlns:cp="{_PKG}/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{escape(title)}</dc:title></cp:coreProperties>"
    )


_CONTENT_TYPES = (
    f'{_XML}<Types xmlns="{_PKG}/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
    '+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/word/document.xml" ContentType="{_OFFICE}.document.main+xml"/>'
    f'<Override PartName="/word/styles.xml" ContentType="{_OFFICE}.styles+xml"/>'
    f'<Override PartName="/word/settings.xml" ContentType="{_OFFICE}.settings+xml"/>'
    f'<Override PartName="/word/header1.xml" ContentType="{_OFFICE}.header+xml"/>'
    f'<Override PartName="/word/footer1.xml" ContentType="{_OFFICE}.footer+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    "</Types>"
)

_ROOT_RELS = (
    f'{_XML}<Relationships xmlns="{_PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="word/document.xml"/>'
    f'<Relationship Id="rId2" Type="{_PKG}/relationships/metadata/core-properties" '
    'Target="docProps/core.xml"/></Relationships>'
)

_DOCUMENT_RELS = (
    f'{_XML}<Relationships xmlns="{_PKG}/relationships">'
    f'<Relationship Id="rIdStyles" Type="{_REL}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rIdSettings" Type="{_REL}/settings" Target="settings.xml"/>'
    f'<Relationship Id="rIdHeader" Type="{_REL}/header" Target="header1.xml"/>'
    f'<Relationship Id="rIdFooter" Type="{_REL}/footer" Target="footer1.xml"/>'
    "</Relationships>"
)

# Word opens a file without a compatibility setting in "compatibility mode"; 15 is Word 2013+.
_SETTINGS = (
    f'{_XML}<w:settings xmlns:w="{W}"><w:compat><w:compatSetting w:name="compatibilityMode" '
    'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>'
)

_BORDER = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="808080"/>'

_STYLES = (
    f'{_XML}<w:styles xmlns:w="{W}"><w:docDefaults><w:rPrDefault><w:rPr>'
    '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman"/>'
    '<w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="en-US"/></w:rPr></w:rPrDefault>'
    '<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr>'
    "</w:pPrDefault></w:docDefaults>"
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
    "<w:qFormat/></w:style>"
    '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/>'
    '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>'
    '<w:pPr><w:jc w:val="center"/></w:pPr><w:rPr><w:b/><w:sz w:val="30"/><w:szCs w:val="30"/>'
    "</w:rPr></w:style>"
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>'
    '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>'
    '<w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="0"/>'
    '</w:pPr><w:rPr><w:b/><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr></w:style>'
    '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:tblPr>'
    "<w:tblBorders>"
    + "".join(_BORDER.format(side) for side in ("top", "left", "bottom", "right"))
    + "".join(_BORDER.format(side) for side in ("insideH", "insideV"))
    + '</w:tblBorders><w:tblCellMar><w:left w:w="108" w:type="dxa"/>'
    '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
    "</w:styles>"
)
