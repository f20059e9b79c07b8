"""The "other requests": the request hub and one sub-package per request kind.

Each kind (admin_cases, privacy, remote_access, macd, features, credits) holds its own models,
services, forms, views, urls, admin and emails, and imports no other kind: what they share is in
cases.requests.common. Models keep the ``cases`` app label (Django finds the app by module prefix)
and are imported by cases.models so that they are registered.
"""
