"""Parsing the dossier pages' forms, and the words they show (issue 5, points 1 and 4).

The forms only read what was typed into the core's models (``Event``, ``Evidence``, the
declaration's settings); every error names its field, and a form with errors keeps every value
as typed (nothing is lost: the page comes back with it). What the user may change is decided by
``refugio_web.dossiers``; the forms for interpreters only leave the rest out of the page.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_noop as noop
from django_stubs_ext import StrOrPromise
from pydantic import ValidationError

from refugio.claim.model import (
    APPLICANT,
    Actor,
    DocumentKind,
    Dossier,
    Element,
    Event,
    Evidence,
    Ground,
    Harm,
    Interpreter,
    Section,
    Translation,
    When,
)
from refugio_web.dossiers import DeclarationSettings, Upload, UploadRefused

__all__ = [
    "ACTORS",
    "ELEMENTS",
    "GROUNDS",
    "HARMS",
    "KINDS",
    "SECTIONS",
    "DeclarationForm",
    "EventForm",
    "EventTranslationForm",
    "EvidenceForm",
    "declaration_initial",
    "event_initial",
    "event_label",
    "evidence_initial",
    "paragraph_texts",
    "upload_error",
    "when_text",
]

L = gettext_lazy

ACTORS: dict[str, StrOrPromise] = {
    Actor.POLICE: L("Police"),
    Actor.SECURITY_SERVICES: L("Security services"),
    Actor.MILITARY: L("Military"),
    Actor.PARTY_OFFICIALS: L("Party officials"),
    Actor.GOVERNMENT_OFFICIALS: L("Government officials"),
    Actor.PROSECUTORS_OR_COURTS: L("Prosecutors or courts"),
    Actor.ARMED_GROUP: L("Armed group"),
    Actor.GANG: L("Gang"),
    Actor.COMMUNITY_OR_FAMILY: L("Community or family"),
    Actor.UNKNOWN: L("Unknown"),
    Actor.OTHER: L("Other"),
}
HARMS: dict[str, StrOrPromise] = {
    Harm.THREAT: L("Threat"),
    Harm.DETENTION: L("Detention"),
    Harm.INTERROGATION: L("Interrogation"),
    Harm.BEATING: L("Beating"),
    Harm.TORTURE: L("Torture"),
    Harm.SEXUAL_VIOLENCE: L("Sexual violence"),
    Harm.SURVEILLANCE: L("Surveillance"),
    Harm.DEVICE_HACKING: L("Hacking of phone or computer"),
    Harm.FAMILY_PRESSURE: L("Pressure on family"),
    Harm.BUSINESS_PRESSURE: L("Pressure on business or partners"),
    Harm.INTERPOL_NOTICE: L("Interpol notice"),
    Harm.EXTRADITION_REQUEST: L("Extradition request"),
    Harm.TRAVEL_BAN: L("Travel ban"),
    Harm.CONFISCATION: L("Confiscation"),
    Harm.PROSECUTION: L("Prosecution"),
    Harm.DISMISSAL: L("Dismissal from work or study"),
    Harm.DISAPPEARANCE: L("Disappearance"),
    Harm.KILLING: L("Killing"),
    Harm.OTHER: L("Other"),
}
GROUNDS: dict[str, StrOrPromise] = {
    Ground.RACE: L("Race"),
    Ground.RELIGION: L("Religion"),
    Ground.NATIONALITY: L("Nationality"),
    Ground.POLITICAL_OPINION: L("Political opinion"),
    Ground.PARTICULAR_SOCIAL_GROUP: L("Membership in a particular social group"),
    Ground.TORTURE_CONVENTION: L("Torture Convention"),
}
ELEMENTS: dict[str, StrOrPromise] = {
    Element.IDENTITY: L("Identity"),
    Element.RELATIONSHIP: L("Family relationship"),
    Element.PAST_PERSECUTION: L("Past persecution"),
    Element.NEXUS: L("Link to a protected ground"),
    Element.WELL_FOUNDED_FEAR: L("Well-founded fear"),
    Element.STATE_PROTECTION: L("No protection by the state"),
    Element.NO_RELOCATION: L("No safe place to relocate"),
    Element.COUNTRY_CONDITIONS: L("Country conditions"),
    Element.ONE_YEAR_EXCEPTION: L("Exception to the one-year deadline"),
}
KINDS: dict[str, StrOrPromise] = {
    DocumentKind.PASSPORT: L("Passport"),
    DocumentKind.IDENTITY: L("Identity document"),
    DocumentKind.RELATIONSHIP: L("Family document (birth or marriage certificate)"),
    DocumentKind.STATEMENT: L("Statement of a witness"),
    DocumentKind.MEDICAL: L("Medical record"),
    DocumentKind.OFFICIAL: L("Official document (summons, warrant, decision)"),
    DocumentKind.MEDIA: L("News article or publication"),
    DocumentKind.COUNTRY_CONDITIONS: L("Country conditions report"),
    DocumentKind.PHOTO: L("Photo"),
    DocumentKind.OTHER: L("Other"),
}
SECTIONS: dict[str, StrOrPromise] = {
    Section.BACKGROUND: L("Background"),
    Section.BELIEFS: L("Beliefs and activities"),
    Section.HARMS: L("What happened"),
    Section.GROUNDS: L("Why it happened"),
    Section.RETURN: L("What would happen on return"),
    Section.PROTECTION: L("Why the authorities would not protect"),
    Section.FAMILY: L("Family"),
    Section.JOURNEY: L("Leaving and the journey"),
    Section.ONE_YEAR: L("The one-year deadline"),
}

# The core's fixed upload messages (refugio.uploads), so that makemessages lists them and the
# page shows them translated; one with numbers in it is worded here instead ("too big").
UPLOAD_MESSAGES = (
    noop("This file is empty: choose the file again and upload it."),
    noop(
        "This file is not a PDF, a JPEG or a PNG image. Save or export it as one of those (a "
        "Word document as PDF, an iPhone photo as JPEG) and upload it again."
    ),
    noop("This PDF is password-protected: remove the password and upload it again."),
    noop(
        "This PDF is damaged and cannot be read completely: open it, save or print it as a new "
        "PDF, and upload that."
    ),
    noop("This image is animated: upload a still image."),
    noop(
        "This image cannot be read: it may be damaged or incomplete. Take or export it again "
        "and upload it."
    ),
)

_WHEN = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")  # BCP 47, loosely
_DATE_HINT = L("YYYY-MM-DD, YYYY-MM or YYYY, for example 2016-03")


def when_text(when: When | None) -> str:
    """A date as the applicant gave it: "March 5, 2016", "March 2016", "around 2014"."""
    if when is None:
        return ""
    if when.day is not None and when.month is not None:
        text = date_format(dt.date(when.year, when.month, when.day), "DATE_FORMAT")
    elif when.month is not None:
        text = date_format(dt.date(when.year, when.month, 1), "YEAR_MONTH_FORMAT")
    else:
        text = str(when.year)
    return _("around %(date)s") % {"date": text} if when.around else text


def event_label(event: Event) -> str:
    """An event in a few words, for links and choices: its date, place and kinds."""
    parts = [when_text(event.when), event.place, ", ".join(str(HARMS[k]) for k in event.kinds)]
    return " · ".join(p for p in parts if p)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _choices(labels: dict[str, StrOrPromise]) -> list[tuple[str, StrOrPromise]]:
    return list(labels.items())


def _when_field(label: StrOrPromise, *, required: bool) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=10, help_text=_DATE_HINT)


def _parse_when(text: str, around: bool) -> When | None:
    """``text`` (YYYY-MM-DD, YYYY-MM or YYYY) as a When; ValidationError names the problem."""
    text = text.strip()
    if not text:
        return None
    if not _WHEN.match(text):
        raise forms.ValidationError(
            _("Enter the date as YYYY-MM-DD, YYYY-MM or YYYY, for example 2016-03.")
        )
    try:
        return When.parse(("~" if around else "") + text)
    except ValueError:
        raise forms.ValidationError(
            _("This date does not exist (the year must be between 1900 and 2100).")
        ) from None


def _text(**kwargs: Any) -> forms.CharField:
    return forms.CharField(required=False, strip=False, **kwargs)


def _area(label: StrOrPromise, **kwargs: Any) -> forms.CharField:
    return _text(label=label, widget=forms.Textarea, **kwargs)


class _Named(forms.Form):
    """Errors of the whole page, each naming its field (the error summary)."""

    def _choose(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared as one below
        field.choices = choices

    def error_summary(self) -> list[tuple[str, str]]:
        out = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else ""
            for error in errors:
                out.append((f"id_{name}", f"{label}: {error}" if label else str(error)))
        return out


# --- events -------------------------------------------------------------------------------


class EventForm(_Named):
    """Every field of an Event (issue 5, point 2)."""

    when = _when_field(L("When it happened (or began)"), required=True)
    when_around = forms.BooleanField(label=L("Around this date"), required=False)
    until = _when_field(L("When it ended, if it did"), required=False)
    until_around = forms.BooleanField(label=L("Around this date"), required=False)
    place = _text(label=L("Where"), max_length=300, help_text=L("City and country, or “online”"))
    kinds = forms.MultipleChoiceField(
        label=L("What happened"), choices=_choices(HARMS), required=False
    )
    actors = forms.MultipleChoiceField(
        label=L("Who did it"), choices=_choices(ACTORS), required=False
    )
    actor_detail = _text(label=L("Which unit, office or person"), max_length=300)
    summary = _area(L("What happened, in the applicant's words"))
    summary_en = _area(L("The same in English"))
    harmed_applicant = forms.BooleanField(label=L("The applicant was harmed"), required=False)
    harmed_others = _area(L("Other people harmed"), help_text=L("One name per line"))
    witnesses = _area(L("Who saw it or knows of it"), help_text=L("One name per line"))
    grounds = forms.MultipleChoiceField(
        label=L("Why: the protected grounds"), choices=_choices(GROUNDS), required=False
    )
    evidence = forms.MultipleChoiceField(label=L("Evidence for it"), required=False)

    def __init__(self, *args: Any, dossier: Dossier, event_id: str = "new", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.event_id = event_id
        self._choose("evidence", [(x.id, x.title) for x in dossier.evidence])
        self.event: Event | None = None

    def clean_when(self) -> When | None:
        return _parse_when(self.cleaned_data.get("when", ""), self.data.get("when_around") == "on")

    def clean_until(self) -> When | None:
        around = self.data.get("until_around") == "on"
        return _parse_when(self.cleaned_data.get("until", ""), around)

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if self.errors:
            return data
        harmed = [APPLICANT] if data["harmed_applicant"] else []
        try:
            self.event = Event(
                id=self.event_id,
                when=data["when"],
                until=data["until"],
                place=data["place"].strip(),
                actors=data["actors"],
                actor_detail=data["actor_detail"].strip(),
                kinds=data["kinds"],
                summary=data["summary"],
                summary_en=data["summary_en"],
                harmed=harmed + _lines(data["harmed_others"]),
                witnesses=_lines(data["witnesses"]),
                grounds=data["grounds"],
                evidence=data["evidence"],
            )
        except ValidationError:
            self.add_error("until", _("It ends before it begins."))
        return data


def event_initial(event: Event) -> dict[str, Any]:
    """The form's values for a stored event (the dates as they were given)."""
    return {
        "when": str(event.when).lstrip("~"),
        "when_around": event.when.around,
        "until": str(event.until).lstrip("~") if event.until else "",
        "until_around": bool(event.until and event.until.around),
        "place": event.place,
        "kinds": [str(k) for k in event.kinds],
        "actors": [str(a) for a in event.actors],
        "actor_detail": event.actor_detail,
        "summary": event.summary,
        "summary_en": event.summary_en,
        "harmed_applicant": APPLICANT in event.harmed,
        "harmed_others": "\n".join(h for h in event.harmed if h != APPLICANT),
        "witnesses": "\n".join(event.witnesses),
        "grounds": [str(g) for g in event.grounds],
        "evidence": list(event.evidence),
    }


class EventTranslationForm(_Named):
    """An interpreter's form: the English summary only (issue 5, point 5)."""

    summary_en = _area(L("The same in English"))

    def __init__(self, *args: Any, original: Event, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.original = original
        self.event: Event | None = None

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if not self.errors:
            self.event = self.original.model_copy(update={"summary_en": data["summary_en"]})
        return data


# --- evidence -----------------------------------------------------------------------------


class EvidenceForm(_Named):
    """Every field of an Evidence, its translation's certificate details, and the files; the
    file inputs come last in the page, so that the fields before them reach the server even
    when a file is refused for its size while the request is read."""

    title = forms.CharField(label=L("Title"), max_length=200, help_text=L("For the exhibit index"))
    description = _area(L("What it shows"))
    kind = forms.ChoiceField(label=L("Kind of document"), choices=_choices(KINDS))
    language = forms.CharField(
        label=L("Language of the document"),
        max_length=35,
        initial="en",
        help_text=L("A language code: en, es, ru, zh, fa …"),
    )
    date = _when_field(L("Date of the document"), required=False)
    date_around = forms.BooleanField(label=L("Around this date"), required=False)
    place = _text(label=L("Where it was issued or taken"), max_length=300)
    issued_by = _text(label=L("Who issued or wrote it"), max_length=300)
    person = _text(
        label=L("Whom it is about"), max_length=200, help_text=L("Leave empty for the applicant")
    )
    people = _area(L("Other people it names"), help_text=L("One name per line"))
    events = forms.MultipleChoiceField(label=L("Events it supports"), required=False)
    elements = forms.MultipleChoiceField(
        label=L("What it corroborates"), choices=_choices(ELEMENTS), required=False
    )
    translator = _text(label=L("Translator's full name"), max_length=200)
    translator_address = _text(label=L("Translator's address"), max_length=300)
    translator_phone = _text(label=L("Translator's telephone number"), max_length=40)
    translation_date = forms.CharField(
        label=L("Date of the translator's certificate"),
        required=False,
        max_length=10,
        help_text=L("YYYY-MM-DD"),
    )
    # Empty files too: refugio.uploads says so, naming the file.
    document = forms.FileField(
        label=L("The document (PDF, JPEG or PNG)"), required=False, allow_empty_file=True
    )
    translation_file = forms.FileField(
        label=L("Its English translation (PDF, JPEG or PNG)"),
        required=False,
        allow_empty_file=True,
    )

    def __init__(
        self,
        *args: Any,
        dossier: Dossier,
        original: Evidence | None = None,
        refused: bool = False,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self._choose("events", [(e.id, event_label(e)) for e in dossier.timeline()])
        self.original, self.refused = original, refused
        self.evidence: Evidence | None = None
        self.uploads: dict[str, Upload] = {}

    def clean_language(self) -> str:
        language: str = self.cleaned_data["language"].strip()
        if not _LANGUAGE.match(language):
            raise forms.ValidationError(_("Enter a language code such as en, es, ru or zh-Hant."))
        return language

    def clean_date(self) -> When | None:
        return _parse_when(self.cleaned_data.get("date", ""), self.data.get("date_around") == "on")

    def clean_translation_date(self) -> dt.date | None:
        text = self.cleaned_data.get("translation_date", "").strip()
        if not text:
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise forms.ValidationError(_("Enter the date as YYYY-MM-DD.")) from None

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        self._files(data)
        translation = self._translation(data)
        if self.errors:
            return data
        person = data["person"].strip() or APPLICANT
        self.evidence = Evidence(
            id=self.original.id if self.original else "new",
            title=data["title"].strip(),
            description=data["description"],
            kind=data["kind"],
            file=self.original.file if self.original else "new",
            language=data["language"],
            date=data["date"],
            place=data["place"].strip(),
            issued_by=data["issued_by"].strip(),
            person=person,
            people=_lines(data["people"]),
            events=data["events"],
            elements=data["elements"],
            translation=translation,
        )
        return data

    def _files(self, data: dict[str, Any]) -> None:
        for name in ("document", "translation_file"):
            upload = data.get(name)
            if isinstance(upload, UploadedFile):
                self.uploads[name] = Upload(name, upload.name or "", upload.read())
        if self.refused:  # the request was cut while read (files.upload_refused)
            limit = _megabytes(settings.REFUGIO_UPLOAD_MAX_BYTES)
            message = _("A file was too big to be received (the limit is %(limit)s MB).")
            self.add_error(None, message % {"limit": limit})
        elif self.original is None and "document" not in self.uploads:
            self.add_error("document", _("Choose the document to upload."))

    def _translation(self, data: dict[str, Any]) -> Translation | None:
        keys = ("translator", "translator_address", "translator_phone", "translation_date")
        given = any(data.get(k) for k in keys) or "translation_file" in self.uploads
        if not given:
            return None
        stored = self.original is not None and self.original.translation is not None
        if not str(data.get("translator", "")).strip():
            self.add_error("translator", _("Enter the translator's name for the certificate."))
        if "translation_file" not in self.uploads and not stored:
            self.add_error("translation_file", _("Upload the English translation as well."))
        if self.errors:
            return None
        return Translation(
            file="new",
            translator=data["translator"].strip(),
            address=data["translator_address"].strip(),
            phone=data["translator_phone"].strip(),
            date=data["translation_date"],
        )


def evidence_initial(item: Evidence) -> dict[str, Any]:
    t = item.translation
    return {
        "title": item.title,
        "description": item.description,
        "kind": str(item.kind),
        "language": item.language,
        "date": str(item.date).lstrip("~") if item.date else "",
        "date_around": bool(item.date and item.date.around),
        "place": item.place,
        "issued_by": item.issued_by,
        "person": "" if item.person == APPLICANT else item.person,
        "people": "\n".join(item.people),
        "events": list(item.events),
        "elements": [str(e) for e in item.elements],
        "translator": t.translator if t else "",
        "translator_address": t.address if t else "",
        "translator_phone": t.phone if t else "",
        "translation_date": t.date.isoformat() if t and t.date else "",
    }


def upload_error(exc: UploadRefused) -> str:
    """The refusal in the page's language, naming the file the user chose."""
    if exc.reason == "too big":
        why = _("it is too big (%(size)s MB; the limit is %(limit)s MB).") % {
            "size": _megabytes(exc.size),
            "limit": _megabytes(exc.limit),
        }
    else:
        why = _(exc.reason)
    return _("%(name)s: %(why)s") % {"name": exc.name or _("the file"), "why": why}


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")


# --- the declaration ----------------------------------------------------------------------


class DeclarationForm(_Named):
    """The declaration's language and its interpreter (issue 5, point 4)."""

    language = forms.CharField(
        label=L("The applicant's language (code)"),
        max_length=35,
        help_text=L("A language code: en, es, ru, zh, fa …"),
    )
    language_name = _text(
        label=L("Its name in English"), max_length=80, help_text=L("For example Russian")
    )
    interpreter_name = _text(label=L("Interpreter's full name"), max_length=200)
    interpreter_address = _text(label=L("Interpreter's address"), max_length=300)
    interpreter_phone = _text(label=L("Interpreter's telephone number"), max_length=40)
    interpreter_language = _text(
        label=L("Language the declaration was read in"),
        max_length=80,
        help_text=L("For example Russian"),
    )

    def clean_language(self) -> str:
        language: str = self.cleaned_data["language"].strip()
        if not _LANGUAGE.match(language):
            raise forms.ValidationError(_("Enter a language code such as en, es, ru or zh-Hant."))
        return language

    def settings(self) -> DeclarationSettings | None:
        """The settings as typed (None while the form has errors)."""
        if not self.is_valid():
            return None
        data = self.cleaned_data
        parts = {k: data[f"interpreter_{k}"].strip() for k in ("name", "address", "phone")}
        spoken = data["interpreter_language"].strip()
        interpreter = None
        if any(parts.values()) or spoken:
            if not parts["name"]:
                self.add_error("interpreter_name", _("Enter the interpreter's name."))
            if not spoken:
                self.add_error("interpreter_language", _("Enter the language it was read in."))
            if self.errors:
                return None
            interpreter = Interpreter(language=spoken, **parts)
        return DeclarationSettings(data["language"], data["language_name"].strip(), interpreter)


def declaration_initial(dossier: Dossier) -> dict[str, str]:
    i = dossier.interpreter
    return {
        "language": dossier.language,
        "language_name": dossier.language_name,
        "interpreter_name": i.name if i else "",
        "interpreter_address": i.address if i else "",
        "interpreter_phone": i.phone if i else "",
        "interpreter_language": i.language if i else "",
    }


def paragraph_texts(data: Any, count: int) -> list[tuple[str, str]]:
    """The posted texts of ``count`` paragraphs (``native-<i>``, ``english-<i>``)."""
    return [(data.get(f"native-{i}", ""), data.get(f"english-{i}", "")) for i in range(count)]
