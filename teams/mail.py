"""Mail in the app's look: text and HTML from one pair of templates, links to the site, and for mail that
comes by itself a signed one-click unsubscribe for its kind (RFC 8058's List-Unsubscribe headers)."""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends import console
from django.template.loader import render_to_string
from django.urls import reverse

from .models import MailKind, Person

UNSUBSCRIBE_SALT = "teams.mail.unsubscribe"


def site_url(path):
    """An address on the site as people reach it (SITE_URL), for links in mail."""
    return settings.SITE_URL + path


def unsubscribe_url(person, kind):
    """A link that turns `kind` off for `person`, signed so that no one else can make one; it never expires."""
    token = signing.dumps([person.pk, kind], salt=UNSUBSCRIBE_SALT, compress=True)
    return site_url(reverse("teams:unsubscribe", args=[token]))


def read_unsubscribe(token):
    """(person, kind) from an unsubscribe link's token; None for a token not ours or a person gone."""
    try:
        person_id, kind = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    person = Person.objects.filter(pk=person_id).first() if kind in MailKind.values else None
    return (person, kind) if person else None


def mail_message(*, to, subject, template, context, unsubscribe=None):
    """A mail to `to` from `<template>.txt` and `<template>.html` (both extend mail/base). With `unsubscribe`,
    a (person, kind): a signed link to stop that kind, in the mail and in its List-Unsubscribe headers."""
    settings_url = site_url(reverse("teams:account") + "#mail")
    context = {"subject": subject, "site_url": settings.SITE_URL, "settings_url": settings_url} | context
    headers = {}
    if unsubscribe:
        person, kind = unsubscribe
        context |= {"unsubscribe_url": unsubscribe_url(person, kind), "kind_name": MailKind(kind).label}
        headers = {
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    message = EmailMultiAlternatives(subject, render_to_string(f"{template}.txt", context), to=[to], headers=headers)
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message


class ConsoleBackend(console.EmailBackend):
    """Mail printed for a person to read (development, or a server without SMTP): the headers that matter and
    the text part, instead of the MIME source with its encoded HTML."""

    def write_message(self, message):
        headers = {"From": message.from_email, "To": ", ".join(message.to), "Subject": message.subject}
        headers |= message.extra_headers
        html = " (and an HTML part)" if getattr(message, "alternatives", None) else ""
        lines = [f"{name}: {value}" for name, value in headers.items()]
        self.stream.write("\n".join(lines) + f"\n\n{message.body}\n{'-' * 30} end of mail{html} {'-' * 30}\n")
