"""Evaluator URLs: /evaluasi/<link code>/<question path>/<signature>/.

The signature is an HMAC (SECRET_KEY, own salt) of the link code and the question path, so a URL
cannot be changed to reach another question or unit. Revoking or expiring the link row closes every
URL built from it (docs/portalrb.md, "Evaluator links").
"""

import hmac

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import salted_hmac

SALT = "portal.evaluator-link"


def signature(link_code, question_path: str) -> str:
    return salted_hmac(SALT, f"{link_code}:{question_path}", algorithm="sha256").hexdigest()[:40]


def signature_valid(link_code, question_path: str, given: str) -> bool:
    return hmac.compare_digest(signature(link_code, question_path), given)


def evaluator_path(link, question_path: str) -> str:
    return reverse("evaluator:page", args=[link.code, question_path, signature(link.code, question_path)])


def evaluator_url(link, question_path: str, request=None) -> str:
    """Absolute URL: from the request when there is one, else from REPORT_SITE_URL."""
    path = evaluator_path(link, question_path)
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.REPORT_SITE_URL.rstrip("/") + path


def download_path(link, question_path: str, version_code) -> str:
    return reverse("evaluator:download",
                   args=[link.code, question_path, signature(link.code, question_path), version_code])
