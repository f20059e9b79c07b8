"""The authenticator's QR code, drawn on the server as inline SVG: no image URL carrying the
secret, no script, nothing for a Content-Security-Policy to allow."""

from __future__ import annotations

from base64 import b32encode

import qrcode
import qrcode.image.svg


def qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=20)
    return image.to_string(encoding="unicode")


def secret_for_typing(key: bytes) -> str:
    """The base32 secret in groups of four, for an app without a camera."""
    secret = b32encode(key).decode("ascii").rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
