"""Languages (issue 3, point 5): the whole UI, every question, help text and message in English,
Simplified Chinese and Spanish; switchable at any time without JavaScript; answers never
translated; right-to-left layout.

The catalogues are ``src/refugio_web/locale/*/LC_MESSAGES/django.po``, kept by ``tools/i18n.py``;
the compiled ``.mo`` files are built (``make messages``, or here when missing), never committed.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from unittest import mock

import polib  # type: ignore[import-untyped]
import pytest
from django.conf import settings
from django.template.defaultfilters import linebreaksbr
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.translation.reloader import translation_file_changed

from refugio.check import check
from refugio.interview import (
    CHOICE_ERROR,
    DATE_ERROR,
    MONTH_ERROR,
    PLAN,
    YES_NO_ERROR,
    Draft,
    apply_action,
    from_application,
    get,
    questions_of,
    visible_steps,
)
from refugio.model import Application
from refugio_web import present
from refugio_web.models import Case, User
from tests.factories import TODAY, child, valid_application
from tests.web.conftest import example, logged_in

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "src" / "refugio_web" / "locale"
CSS = ROOT / "src" / "refugio_web" / "static" / "refugio" / "app.css"
COOKIE = settings.LANGUAGE_COOKIE_NAME

# Text answers are shown as typed; choices and yes/no are shown with the form's (translated) words.
TYPED = ("text", "textarea", "lines", "date", "month_year")


@pytest.fixture(scope="module")
def tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("refugio_i18n_tool", ROOT / "tools" / "i18n.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module", autouse=True)
def compiled() -> None:
    """Compile the catalogues that have no .mo yet, or an older one (as `make messages` does)."""
    changed = False
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/django.po")):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            subprocess.run(["msgfmt", "--check", "-o", str(mo), str(po)], check=True)
            changed = True
    if changed:  # Django caches catalogues per process: forget those read before
        translation_file_changed(None, Path("django.mo"))


def catalogue(language: str) -> dict[str, polib.POEntry]:
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    return {entry.msgid: entry for entry in po if not entry.obsolete}


def in_language(user: User, language: str) -> Client:
    client = logged_in(user)
    client.cookies[COOKIE] = language
    return client


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def step_url(case: Case, slug: str) -> str:
    return reverse("step", kwargs={"case_id": case.pk, "slug": slug})


def save_draft(case: Case, draft: Draft) -> None:
    case.draft = draft
    case.save()


# --- the catalogues ---------------------------------------------------------------------------


def test_it_has_every_message_translated_in_chinese_and_spanish(tool: ModuleType) -> None:
    assert tool.problems() == []


def test_it_collects_every_check_message_template(tool: ModuleType) -> None:
    core = tool.core_msgids()
    app = valid_application(married=True)
    app.applicant.city_and_country_of_birth = "Кабул, Афганистан"
    app.applicant.a_number = "12"
    app.applicant.residence.zip_code = "6270"
    app.children = [child(in_us=False), child(date_of_birth=dt.date(1990, 1, 1))]
    app.claim.past_harm.explanation = (
        "Los hombres que vinieron a la casa de mis padres eran de la policía y nos dijeron que "
        "nos iban a matar"
    )
    findings = check(app, today=TODAY)
    findings += check(example("b-"), today=dt.date(2040, 1, 1))
    empty = Application.model_validate({"applicant": {"last_name": "", "first_name": ""}})
    findings += check(empty, today=TODAY)
    assert len({f.template for f in findings}) > 10
    for f in findings:
        assert f.text.render() == f.message
        assert set(f.text.templates()) <= core.keys(), f


def test_it_refuses_a_check_message_built_at_run_time(
    tool: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "rule.py").write_text('error(path, f"{label} is wrong")\n', encoding="utf-8")
    monkeypatch.setattr(tool, "CHECK", tmp_path)
    monkeypatch.setattr(tool, "SRC", tmp_path)
    with pytest.raises(SystemExit, match="must be a string literal"):
        tool.check_templates()


def full_draft() -> Draft:
    """Example (b) with one more entry in every list, an error of every kind, and a finding."""
    draft = from_application(example("b-"))
    for step in PLAN:
        draft = apply_action(step, draft, "add")
    draft["meta"] |= {"has_children": "yes", "mailing_different": "yes"}
    draft["applicant"] |= {"date_of_birth": "31/31/1980", "marital_status": "engaged"}
    draft["background"]["residences"][0]["start"] = "spring"
    draft["claim"]["past_harm"]["answer"] = "maybe"
    return draft


def test_it_translates_every_string_the_screens_ask_for(case: Case) -> None:
    """Whatever present.py hands to gettext on any screen is in both catalogues."""
    draft = full_draft()
    app = example("b-")
    app.applicant.city_and_country_of_birth = "温州"
    findings = check(app, today=TODAY)
    asked: set[str] = set()

    def record(text: str) -> str:
        asked.add(text)
        return text

    with mock.patch.object(present, "_", record):
        steps = visible_steps(draft)
        for step in PLAN:
            errors = {q.path: DATE_ERROR for q in questions_of(step, draft)}
            present.screen(step, draft, errors, present.step_findings(step, draft, findings))
            present.error_list(step, draft, errors)
            present.navigation(draft, steps, step.slug)
        present.review_sections(draft, {"applicant.sex": CHOICE_ERROR}, findings)
        for message in (MONTH_ERROR, YES_NO_ERROR):
            present.error_text("Part A.I, item 12", "date of birth", message)
        for f in findings:
            present.finding_text(f)
    assert len(asked) > 200
    for language in ("zh_Hans", "es"):
        assert sorted(asked - catalogue(language).keys()) == [], language


# --- pages in another language ----------------------------------------------------------------


def test_it_shows_a_step_in_chinese(alice: User, case: Case) -> None:
    html = page(in_language(alice, "zh-hans"), step_url(case, "personal"))
    assert '<html lang="zh-hans" dir="ltr">' in html
    assert "出生日期" in html  # date of birth
    assert "第 A.I 部分，第 12 项" in html  # Part A.I, item 12
    assert "婚姻状况" in html and "已婚" in html  # marital status, Married
    assert "保存并继续" in html  # Save and continue
    assert "date of birth" not in html.lower()


def test_it_shows_every_step_title_and_question_in_chinese(alice: User, case_b: Case) -> None:
    client = in_language(alice, "zh-hans")
    zh = catalogue("zh_Hans")
    for step in visible_steps(case_b.draft):
        html = page(client, step_url(case_b, step.slug))
        assert zh[step.title].msgstr in html, step.slug
        for q in questions_of(step, case_b.draft)[:3]:
            label = zh[q.label].msgstr
            assert label[:1].upper() + label[1:] in html, q.path


def test_it_shows_a_format_error_in_spanish(alice: User, case: Case) -> None:
    client = in_language(alice, "es")
    url = step_url(case, "personal")
    response = client.post(
        url, {"version": case.version, "action": "save", "applicant.date_of_birth": "31/31/1980"}
    )
    assert response.status_code == 302
    html = page(client, url)
    assert "escriba una fecha real como mm/dd/aaaa (mes/día/año), por ejemplo 03/05/2016" in html
    assert "Parte A.I, ítem 12 (fecha de nacimiento): escriba una fecha real" in html
    assert 'value="31/31/1980"' in html  # kept as typed
    assert "enter a real date" not in html


def test_it_says_in_chinese_that_the_form_needs_english(alice: User, case_b: Case) -> None:
    draft = case_b.draft
    draft["applicant"]["city_and_country_of_birth"] = "温州, 中国"
    save_draft(case_b, draft)
    html = page(in_language(alice, "zh-hans"), reverse("review", kwargs={"case_id": case_b.pk}))
    assert "第 A.I 部分，第 13 项：不是英文：&#x27;温州, 中国&#x27; 不是拉丁字母" in html
    assert "表格必须用英文填写" in html
    assert "not in English" not in html


def test_it_says_in_spanish_that_an_answer_looks_spanish(alice: User, case_b: Case) -> None:
    draft = case_b.draft
    draft["claim"]["fear_of_return"]["explanation"] = (
        "Los hombres que vinieron a la casa de mis padres eran de la policía y nos dijeron que "
        "nos iban a matar si no nos íbamos del país"
    )
    save_draft(case_b, draft)
    html = page(in_language(alice, "es"), step_url(case_b, "harm"))
    assert "parece estar en español, no en inglés" in html
    assert "las respuestas deben completarse en inglés" in html
    assert "looks like" not in html


def test_it_shows_check_phrases_and_lists_in_chinese(alice: User, case_b: Case) -> None:
    draft = case_b.draft
    draft["meta"]["has_children"] = "yes"
    draft["children"] = [
        {
            "last_name": "Fictiva",
            "first_name": "Ana",
            "date_of_birth": "01/01/1990",
            "marital_status": "married",
            "in_us": "yes",
            "include_in_application": "yes",
        }
    ]
    save_draft(case_b, draft)
    html = page(in_language(alice, "zh-hans"), reverse("review", kwargs={"case_id": case_b.pk}))
    # Two reasons joined by the Chinese enumeration comma, the date left as it is.
    assert re.search(r"此子女不能纳入申请（已婚、在 \d{4}-\d\d-\d\d 已满 21 岁）", html)


# --- answers stay as typed --------------------------------------------------------------------


def typed_answers(draft: Draft) -> Iterator[tuple[str, str]]:
    for step in visible_steps(draft):
        for q in questions_of(step, draft):
            raw = get(draft, q.path)
            if q.kind in TYPED and isinstance(raw, str) and raw.strip():
                yield q.path, raw


def test_it_never_translates_an_answer(alice: User, case_b: Case) -> None:
    draft = case_b.draft
    # Answers that are also words of the catalogues must stay in English all the same.
    draft["background"]["employment"][0]["occupation"] = "Interpreter"
    draft["applicant"]["religion"] = "none"
    draft["applicant"]["race_ethnic_or_tribal_group"] = "Han"
    draft["signature"]["native_alphabet_name"] = "林 明"
    save_draft(case_b, draft)
    url = reverse("review", kwargs={"case_id": case_b.pk})
    english = page(in_language(alice, "en"), url)
    chinese = page(in_language(alice, "zh-hans"), url)
    answers = list(typed_answers(draft))
    assert len(answers) > 40
    values = re.compile(r'<span class="refugio-value">(.*?)</span>', re.S)
    shown_zh, shown_en = values.findall(chinese), values.findall(english)
    for path, raw in answers:
        shown = str(linebreaksbr(raw, autoescape=True))
        assert shown in shown_zh, path
        assert shown_zh.count(shown) == shown_en.count(shown), path
    assert "口译员" not in chinese  # "Interpreter" as a role is translated, as an answer not


def test_it_keeps_answers_as_typed_on_a_chinese_step(alice: User, case: Case) -> None:
    client = in_language(alice, "zh-hans")
    url = step_url(case, "identity")
    typed = {"applicant.last_name": "Fictiva  Ramos ", "applicant.first_name": "Married"}
    client.post(url, {"version": case.version, "action": "save", **typed})
    case.refresh_from_db()
    assert case.draft["applicant"]["first_name"] == "Married"
    assert case.draft["applicant"]["last_name"] == "Fictiva  Ramos "
    html = page(client, url)
    assert 'value="Married"' in html and 'value="Fictiva  Ramos "' in html


# --- switching --------------------------------------------------------------------------------


def test_it_switches_language_with_a_plain_form_post(alice: User, case: Case) -> None:
    client = logged_in(alice)
    url = step_url(case, "identity")
    html = page(client, url)
    # A form and a button: no JavaScript needed.
    assert f'<form action="{reverse("set_language")}" method="post"' in html
    assert '<option value="es" lang="es"' in html
    response = client.post(reverse("set_language"), {"language": "es", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert response.cookies[COOKIE].value == "es"
    html = page(client, url)
    assert '<html lang="es"' in html and "Guardar y continuar" in html
    assert '<option value="es" lang="es" selected>' in html
    # The cookie keeps it: the next page, and the next visit, are in Spanish too.
    assert "Casos" in page(client, reverse("case_list"))
    client.post(reverse("set_language"), {"language": "zh-hans", "next": url})
    assert "保存并继续" in page(client, url)


def test_it_switches_language_before_logging_in() -> None:
    client = Client()
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": "/login/"})
    assert response.status_code == 302
    html = page(client, reverse("login"))
    assert '<html lang="zh-hans"' in html and "登录" in html


def test_it_refuses_an_unknown_language_and_a_foreign_next(alice: User) -> None:
    client = logged_in(alice)
    response = client.post(
        reverse("set_language"), {"language": "xx", "next": "https://example.invalid/"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert COOKIE not in response.cookies


# --- right to left ----------------------------------------------------------------------------

RTL_LANGUAGES = [*settings.LANGUAGES, ("fa", "فارسی")]


@override_settings(LANGUAGES=RTL_LANGUAGES)
def test_it_lays_out_a_right_to_left_language_right_to_left(alice: User, case: Case) -> None:
    html = page(in_language(alice, "fa"), step_url(case, "identity"))
    assert '<html lang="fa" dir="rtl">' in html
    assert '<option value="fa" lang="fa" selected>فارسی</option>' in html
    html = page(in_language(alice, "zh-hans"), step_url(case, "identity"))
    assert '<html lang="zh-hans" dir="ltr">' in html


_PHYSICAL = re.compile(
    r"(?:margin|padding|border|inset)-(?:left|right)\b|(?<![-\w])(?:left|right)\s*:"
    r"|float\s*:\s*(?:left|right)|text-align\s*:\s*(?:left|right)"
)


def css_rules(css: str) -> Iterator[tuple[str, str]]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        yield selector.strip(), body


def test_it_uses_logical_css_properties() -> None:
    """Left and right appear only in rules written for one direction ([dir="rtl"] ...)."""
    rules = list(css_rules(CSS.read_text(encoding="utf-8")))
    assert len(rules) > 10
    physical: list[Any] = [
        (selector, body)
        for selector, body in rules
        if _PHYSICAL.search(body) and "[dir=" not in selector
    ]
    assert physical == []
