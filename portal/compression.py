"""Compressed pages (issue 13: weight), and why that is safe here.

Static files are compressed once by collectstatic (WhiteNoise's CompressedManifestStaticFilesStorage
writes a .gz beside each hashed file; nginx serves it with `gzip_static`). This middleware compresses
what Django renders: HTML pages, htmx fragments and JSON. Files (PDF, .xlsx, .docx, uploads) are
compressed formats already and pass through untouched.

BREACH (compression + a secret in the body + text the attacker controls in the same body) is why
compression is not switched on blindly. Decided: compress every text response, because
- the only secret our pages carry is the CSRF token, and Django masks it anew on every response
  (the token in one page never repeats in the next, so it cannot be guessed byte by byte);
- Django's GZipMiddleware pads each compressed response with random bytes ("Heal the BREACH",
  Django >= 4.2), which hides the length differences the attack reads;
- session and CSRF cookies are SameSite=Lax, so another site cannot make the browser fetch our pages
  with the session as subresources to measure them;
- no page prints another secret (API tokens are never shown again once made; the password-reset
  link's token lives in the session after its first use, not in the form page).
A page that ever prints a secret that is not masked must be marked `@gzip_exempt`.
"""

from django.middleware.gzip import GZipMiddleware

COMPRESSIBLE = ("text/", "application/json", "application/javascript", "image/svg+xml", "application/xml")


def gzip_exempt(view):
    """Marks a view whose response must never be compressed (it prints an unmasked secret)."""
    view.gzip_exempt = True
    return view


class TextGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware (with its random padding) for text responses only."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "gzip_exempt", False):
            request._gzip_exempt = True

    def process_response(self, request, response):
        if getattr(request, "_gzip_exempt", False):
            return response
        if not response.get("Content-Type", "").startswith(COMPRESSIBLE):
            return response
        return super().process_response(request, response)
