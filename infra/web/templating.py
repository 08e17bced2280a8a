"""The Jinja environment of the pages: autoescaped templates from `templates/`, gettext in the
page's locale (`{{ _("...") }}`, `{% trans %}`), and Babel's formatting of dates, numbers
and percentages for it (`{{ when|date }}`, `{{ 0.7|percent }}`, `{{ n|number }}`).

The locale is the template context's `locale` (see infra/web/page.py), so one environment
serves every language: the gettext callables read the context's catalog (ADR 39)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from litestar.contrib.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

from infra.web.locales import DEFAULT_LOCALE, babel_locale, translations

TEMPLATES = Path(__file__).parent / "templates"


def _locale(context: Context) -> str:
    return str(context.get("locale") or DEFAULT_LOCALE)


@pass_context
def _gettext(context: Context, message: str) -> str:
    return translations(_locale(context)).gettext(message)


@pass_context
def _ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return translations(_locale(context)).ngettext(singular, plural, n)


@pass_context
def _date(context: Context, value: date | datetime, form: str = "long") -> str:
    """A date (or the date of an instant) as the locale writes it: « 20 janvier 2016 »."""
    day = value.date() if isinstance(value, datetime) else value
    return format_date(day, form, locale=babel_locale(_locale(context)))


@pass_context
def _datetime(context: Context, value: datetime, form: str = "medium") -> str:
    return format_datetime(value, form, locale=babel_locale(_locale(context)))


@pass_context
def _number(context: Context, value: float, digits: int = 0) -> str:
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, pattern, locale=babel_locale(_locale(context)))


@pass_context
def _percent(context: Context, value: float) -> str:
    """A fraction (0.7) as a percentage: « 70 % » in French (narrow no-break space)."""
    return format_percent(value, locale=babel_locale(_locale(context)))


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True,
                      undefined=StrictUndefined, extensions=["jinja2.ext.i18n"],
                      trim_blocks=True, lstrip_blocks=True)
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters |= {"date": _date, "datetime": _datetime, "number": _number,
                    "percent": _percent}
    return env


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    return TemplateConfig(engine=JinjaTemplateEngine.from_environment(environment()))

