"""Prints the nginx site configuration for this installation, from the portal's own settings.

    manage.py nginx_config --server-name dvcq.tayninh.gov.vn \
        --cert /etc/ssl/dvcq/fullchain.pem --key /etc/ssl/dvcq/privkey.pem > /etc/nginx/sites-available/dvcq
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.template import Context, Engine

DEPLOY = Path(settings.BASE_DIR) / "deploy" / "nginx"
# nginx lets slightly more through than Django accepts, so that Django's own message (beside the
# form, in the page's language) is what a person sees for a file just over the limit.
NGINX_MARGIN_BYTES = 1024 * 1024


class Command(BaseCommand):
    help = "Print the nginx site configuration (upload limit and static files from the settings)."

    def add_arguments(self, parser):
        parser.add_argument("--server-name", default="_")
        parser.add_argument("--listen", default="443", help="HTTPS port (or address:port)")
        parser.add_argument("--redirect-port", default="80", help="plain-HTTP port that redirects; '' for none")
        parser.add_argument("--cert", required=True)
        parser.add_argument("--key", required=True)
        parser.add_argument(
            "--upstream", action="append", help="gunicorn address; repeat for several (default 127.0.0.1:8001)"
        )
        parser.add_argument("--proxy-include", default=str(DEPLOY / "proxy_params.conf"))

    def handle(self, *args, **options):
        context = {
            "server_name": options["server_name"],
            "listen": options["listen"],
            "redirect_port": options["redirect_port"],
            "cert": options["cert"],
            "key": options["key"],
            "upstreams": options["upstream"] or ["127.0.0.1:8001"],
            "static_root": str(Path(settings.STATIC_ROOT).resolve()),
            "django_limit": settings.UPLOAD_REQUEST_MAX_BYTES,
            "nginx_limit": settings.UPLOAD_REQUEST_MAX_BYTES + NGINX_MARGIN_BYTES,
            "errors_root": str((DEPLOY / "errors").resolve()),
            "proxy_include": options["proxy_include"],
        }
        template = Engine(autoescape=False).from_string((DEPLOY / "dvcq.conf.tmpl").read_text(encoding="utf-8"))
        self.stdout.write(template.render(Context(context)), ending="")
