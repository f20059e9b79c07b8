"""Production-like settings (DEBUG off) put CSP, HSTS, Permissions-Policy and Referrer-Policy on
every page, redirect plain HTTP to HTTPS, and trust the proxy's header only when told."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings


@pytest.mark.django_db
@override_settings(DEBUG=False, SECURE_SSL_REDIRECT=True)
def test_a_portal_page_over_https_carries_the_security_headers():
    response = Client().get("/accounts/login/", secure=True)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_the_admin_login_page_carries_the_policy_too():
    response = Client().get("/admin/login/", secure=True)
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True)
def test_plain_http_is_redirected_except_the_health_and_metrics_endpoints():
    response = Client().get("/accounts/login/")
    assert response.status_code == 301 and response["Location"].startswith("https://")
    assert Client().get("/healthz").status_code == 200


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
def test_behind_a_tls_proxy_its_header_marks_the_request_secure():
    response = Client().get("/accounts/login/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert "Strict-Transport-Security" in response


def test_the_proxy_header_setting_is_read_from_the_environment(tmp_path):
    from tests.portal.observability.settings_probe import settings_in_subprocess

    values = settings_in_subprocess(
        tmp_path, {"SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https"}, "SECURE_PROXY_SSL_HEADER"
    )
    assert values == ["HTTP_X_FORWARDED_PROTO", "https"]
