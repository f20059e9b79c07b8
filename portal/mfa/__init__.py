"""Two-step verification (MFA): TOTP with recovery codes, through django-otp.

Sign in with a password, then the MFA step, then a new session id. Staff must enrol before admin
opens; a reseller may require it of its users; anyone else may enrol from their profile.
"""
