"""The cover letter on top of the filing packet (issue 5, point 6).

It lists what is filed, package by package, as the instructions arrange it (Part 1 §X): no
placeholder sheet is listed or counted, since those are taken out before mailing. It goes to
USCIS or, for a case in proceedings, to the Immigration Court (Part 1 §XII).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING

from refugio.claim.fees import FeeDue
from refugio.claim.members import Member
from refugio.claim.typeset import Pages
from refugio.claim.wording import date_words
from refugio.fill import FillReport
from refugio.model import Address, Application

if TYPE_CHECKING:  # packet imports this module: the type only, at run time nothing
    from refugio.claim.packet import Package

__all__ = ["address_lines", "cover_letter"]


def cover_letter(
    app: Application,
    members: list[Member],
    packages: list[Package],
    report: FillReport,
    fee: FeeDue,
    today: dt.date,
    represented: bool,
) -> bytes:
    a, preparer = app.applicant, app.preparer
    doc = Pages(footer=lambda n, t: "" if t == 1 else f"Page {n} of {t}")
    # The return address: the preparer's (Part E), else the applicant's mailing address
    # (Part A.I, item 9), else the residence (item 8).
    mail = a.mailing_address
    if preparer is not None and preparer.address.street:
        doc.text("\n".join([preparer.name, *address_lines(preparer.address)]))
    elif mail is not None and mail.street:
        care = [f"c/o {mail.in_care_of}"] if mail.in_care_of else []
        doc.text("\n".join([app.full_name, *care, *address_lines(mail)]))
    else:
        doc.text("\n".join([app.full_name, *address_lines(a.residence)]))
    doc.text(date_words(today))
    if fee.where == "court":
        # Part 1 §XII: filed with the Immigration Court having jurisdiction over the case.
        doc.text("Clerk of the Immigration Court")
        doc.rule("Address of the Immigration Court having jurisdiction over the case")
    else:
        doc.text("U.S. Citizenship and Immigration Services")
        doc.rule("Address (see www.uscis.gov/I-589 for where to file)")
    born = date_words(a.date_of_birth) if a.date_of_birth else "unknown"
    doc.text(
        "Re: Form I-589, Application for Asylum and for Withholding of Removal\n"
        f"Applicant: {app.name_as_in_part_a}; A-Number: {a.a_number or 'none'}; "
        f"date of birth: {born}; nationality: {a.present_nationality or 'unknown'}"
    )
    family = [f"{m.name} ({m.relation})" for m in members[1:]]
    if family:
        doc.text("Family members included (Part A.II): " + "; ".join(family) + ".")
    doc.text(
        f"Enclosed is the application of {app.full_name} in {len(packages)} packages, arranged "
        "as the Form I-589 instructions ask (Part 1 §X):"
    )
    for n, package in enumerate(packages, 1):
        # What is filed: no placeholder sheet is listed or counted (they are taken out).
        listed = [
            f"{p.what}: {p.pages} page{'s' if p.pages != 1 else ''}" if p.pages else p.what
            for p in package.parts
            if p.enclosed
        ]
        doc.text(f"{n}. {package.title}: {'; '.join(listed)}.", indent=12.0)
    doc.text(f"Form I-589 edition {report.edition}.")
    if fee.amount:
        doc.text(f"Fee: ${fee.amount}, paid to {fee.payee} ({fee.source}).")
    else:
        doc.text(f"Fee: none ({fee.source}).")
    doc.keep(90.0)  # the closing and the signature line on one page
    doc.text("Sincerely,")
    doc.space(24.0)
    signer = preparer.name if represented and preparer is not None else app.full_name
    doc.rule(signer)
    return _bytes(doc)


def address_lines(a: Address) -> list[str]:
    """An address as a letter heads it: street, city line, telephone."""
    unit = a.apartment.strip()
    unit = f"Apt. {unit}" if unit[:1].isdigit() else unit
    phone = f"({a.phone_area_code}) {a.phone_number[:3]}-{a.phone_number[3:]}"
    lines = [
        ", ".join(p for p in (a.street, unit) if p),
        ", ".join(p for p in (a.city, f"{a.state} {a.zip_code}".strip()) if p),
        phone if a.phone_area_code and len(a.phone_number) == 7 else "",
    ]
    return [line for line in lines if line]


def _bytes(doc: Pages) -> bytes:
    with doc.build() as pdf:
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
    return out.getvalue()
