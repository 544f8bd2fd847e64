"""The Content-Security-Policy header on every answer (``settings.CONTENT_SECURITY_POLICY``).

Dari's pages run no inline script and no event-handler attribute: the page kit's script, forms.js,
charts.js, htmx and the vega-embed bundle are static files (tests/core/test_security_headers.py keeps
it so), so ``script-src 'self'`` stops an injected ``<script>`` or ``onerror=`` from running. A chart's
spec is JSON data (``json_script``), and Vega evaluates its expressions with its interpreter rather
than ``new Function``, so no ``'unsafe-eval'`` either (tests/browser/test_charts.py). Styles keep
``'unsafe-inline'``: SVG presentation styles and the style elements vega-embed adds for its tooltip
cannot run code.
"""

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # A view that needs another policy (none today) sets its own header.
        if settings.CONTENT_SECURITY_POLICY and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY
        return response
