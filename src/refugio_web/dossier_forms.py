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
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
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

ACTORS: dict[str, StrOrPromise] = {
    Actor.POLICE: _("Police"),
    Actor.SECURITY_SERVICES: _("Security services"),
    Actor.MILITARY: _("Military"),
    Actor.PARTY_OFFICIALS: _("Party officials"),
    Actor.GOVERNMENT_OFFICIALS: _("Government officials"),
    Actor.PROSECUTORS_OR_COURTS: _("Prosecutors or courts"),
    Actor.ARMED_GROUP: _("Armed group"),
    Actor.GANG: _("Gang"),
    Actor.COMMUNITY_OR_FAMILY: _("Community or family"),
    Actor.UNKNOWN: _("Unknown"),
    Actor.OTHER: _("Other"),
}
HARMS: dict[str, StrOrPromise] = {
    Harm.THREAT: _("Threat"),
    Harm.DETENTION: _("Detention"),
    Harm.INTERROGATION: _("Interrogation"),
    Harm.BEATING: _("Beating"),
    Harm.TORTURE: _("Torture"),
    Harm.SEXUAL_VIOLENCE: _("Sexual violence"),
    Harm.SURVEILLANCE: _("Surveillance"),
    Harm.DEVICE_HACKING: _("Hacking of phone or computer"),
    Harm.FAMILY_PRESSURE: _("Pressure on family"),
    Harm.BUSINESS_PRESSURE: _("Pressure on business or partners"),
    Harm.INTERPOL_NOTICE: _("Interpol notice"),
    Harm.EXTRADITION_REQUEST: _("Extradition request"),
    Harm.TRAVEL_BAN: _("Travel ban"),
    Harm.CONFISCATION: _("Confiscation"),
    Harm.PROSECUTION: _("Prosecution"),
    Harm.DISMISSAL: _("Dismissal from work or study"),
    Harm.DISAPPEARANCE: _("Disappearance"),
    Harm.KILLING: _("Killing"),
    Harm.OTHER: _("Other"),
}
GROUNDS: dict[str, StrOrPromise] = {
    Ground.RACE: _("Race"),
    Ground.RELIGION: _("Religion"),
    Ground.NATIONALITY: _("Nationality"),
    Ground.POLITICAL_OPINION: _("Political opinion"),
    Ground.PARTICULAR_SOCIAL_GROUP: _("Membership in a particular social group"),
    Ground.TORTURE_CONVENTION: _("Torture Convention"),
}
ELEMENTS: dict[str, StrOrPromise] = {
    Element.IDENTITY: _("Identity"),
    Element.RELATIONSHIP: _("Family relationship"),
    Element.PAST_PERSECUTION: _("Past persecution"),
    Element.NEXUS: _("Link to a protected ground"),
    Element.WELL_FOUNDED_FEAR: _("Well-founded fear"),
    Element.STATE_PROTECTION: _("No protection by the state"),
    Element.NO_RELOCATION: _("No safe place to relocate"),
    Element.COUNTRY_CONDITIONS: _("Country conditions"),
    Element.ONE_YEAR_EXCEPTION: _("Exception to the one-year deadline"),
}
KINDS: dict[str, StrOrPromise] = {
    DocumentKind.PASSPORT: _("Passport"),
    DocumentKind.IDENTITY: _("Identity document"),
    DocumentKind.RELATIONSHIP: _("Family document (birth or marriage certificate)"),
    DocumentKind.STATEMENT: _("Statement of a witness"),
    DocumentKind.MEDICAL: _("Medical record"),
    DocumentKind.OFFICIAL: _("Official document (summons, warrant, decision)"),
    DocumentKind.MEDIA: _("News article or publication"),
    DocumentKind.COUNTRY_CONDITIONS: _("Country conditions report"),
    DocumentKind.PHOTO: _("Photo"),
    DocumentKind.OTHER: _("Other"),
}
SECTIONS: dict[str, StrOrPromise] = {
    Section.BACKGROUND: _("Background"),
    Section.BELIEFS: _("Beliefs and activities"),
    Section.HARMS: _("What happened"),
    Section.GROUNDS: _("Why it happened"),
    Section.RETURN: _("What would happen on return"),
    Section.PROTECTION: _("Why the authorities would not protect"),
    Section.FAMILY: _("Family"),
    Section.JOURNEY: _("Leaving and the journey"),
    Section.ONE_YEAR: _("The one-year deadline"),
}

# The core's fixed upload messages (refugio.uploads), so that makemessages lists them and the
# page shows them translated; one with numbers in it is worded here instead ("too big").
UPLOAD_MESSAGES = (
    gettext_noop("This file is empty: choose the file again and upload it."),
    gettext_noop(
        "This file is not a PDF, a JPEG or a PNG image. Save or export it as one of those (a "
        "Word document as PDF, an iPhone photo as JPEG) and upload it again."
    ),
    gettext_noop("This PDF is password-protected: remove the password and upload it again."),
    gettext_noop(
        "This PDF is damaged and cannot be read completely: open it, save or print it as a new "
        "PDF, and upload that."
    ),
    gettext_noop("This image is animated: upload a still image."),
    gettext_noop(
        "This image cannot be read: it may be damaged or incomplete. Take or export it again "
        "and upload it."
    ),
)

_WHEN = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")  # BCP 47, loosely
_DATE_HINT = _("YYYY-MM-DD, YYYY-MM or YYYY, for example 2016-03")


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

    when = _when_field(_("When it happened (or began)"), required=True)
    when_around = forms.BooleanField(label=_("Around this date"), required=False)
    until = _when_field(_("When it ended, if it did"), required=False)
    until_around = forms.BooleanField(label=_("Around this date"), required=False)
    place = _text(label=_("Where"), max_length=300, help_text=_("City and country, or “online”"))
    kinds = forms.MultipleChoiceField(
        label=_("What happened"), choices=_choices(HARMS), required=False
    )
    actors = forms.MultipleChoiceField(
        label=_("Who did it"), choices=_choices(ACTORS), required=False
    )
    actor_detail = _text(label=_("Which unit, office or person"), max_length=300)
    summary = _area(_("What happened, in the applicant's words"))
    summary_en = _area(_("The same in English"))
    harmed_applicant = forms.BooleanField(label=_("The applicant was harmed"), required=False)
    harmed_others = _area(_("Other people harmed"), help_text=_("One name per line"))
    witnesses = _area(_("Who saw it or knows of it"), help_text=_("One name per line"))
    grounds = forms.MultipleChoiceField(
        label=_("Why: the protected grounds"), choices=_choices(GROUNDS), required=False
    )
    evidence = forms.MultipleChoiceField(label=_("Evidence for it"), required=False)

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

    summary_en = _area(_("The same in English"))

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

    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("For the exhibit index"))
    description = _area(_("What it shows"))
    kind = forms.ChoiceField(label=_("Kind of document"), choices=_choices(KINDS))
    language = forms.CharField(
        label=_("Language of the document"),
        max_length=35,
        initial="en",
        help_text=_("A language code: en, es, ru, zh, fa …"),
    )
    date = _when_field(_("Date of the document"), required=False)
    date_around = forms.BooleanField(label=_("Around this date"), required=False)
    place = _text(label=_("Where it was issued or taken"), max_length=300)
    issued_by = _text(label=_("Who issued or wrote it"), max_length=300)
    person = _text(
        label=_("Whom it is about"), max_length=200, help_text=_("Leave empty for the applicant")
    )
    people = _area(_("Other people it names"), help_text=_("One name per line"))
    events = forms.MultipleChoiceField(label=_("Events it supports"), required=False)
    elements = forms.MultipleChoiceField(
        label=_("What it corroborates"), choices=_choices(ELEMENTS), required=False
    )
    translator = _text(label=_("Translator's full name"), max_length=200)
    translator_address = _text(label=_("Translator's address"), max_length=300)
    translator_phone = _text(label=_("Translator's telephone number"), max_length=40)
    translation_date = forms.CharField(
        label=_("Date of the translator's certificate"),
        required=False,
        max_length=10,
        help_text=_("YYYY-MM-DD"),
    )
    # Empty files too: refugio.uploads says so, naming the file.
    document = forms.FileField(
        label=_("The document (PDF, JPEG or PNG)"), required=False, allow_empty_file=True
    )
    translation_file = forms.FileField(
        label=_("Its English translation (PDF, JPEG or PNG)"),
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
        why = gettext(exc.reason)  # the core's words, listed in UPLOAD_MESSAGES
    return _("%(name)s: %(why)s") % {"name": exc.name or _("the file"), "why": why}


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")


# --- the declaration ----------------------------------------------------------------------


class DeclarationForm(_Named):
    """The declaration's language and its interpreter (issue 5, point 4)."""

    language = forms.CharField(
        label=_("The applicant's language (code)"),
        max_length=35,
        help_text=_("A language code: en, es, ru, zh, fa …"),
    )
    language_name = _text(
        label=_("Its name in English"), max_length=80, help_text=_("For example Russian")
    )
    interpreter_name = _text(label=_("Interpreter's full name"), max_length=200)
    interpreter_address = _text(label=_("Interpreter's address"), max_length=300)
    interpreter_phone = _text(label=_("Interpreter's telephone number"), max_length=40)
    interpreter_language = _text(
        label=_("Language the declaration was read in"),
        max_length=80,
        help_text=_("For example Russian"),
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
