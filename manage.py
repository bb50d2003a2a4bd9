#!/usr/bin/env python
"""Django's command-line utility for the DVCQ Portal."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    from django.core.management import execute_from_command_line
    from django_scopes import scopes_disabled

    # Commands act for the whole installation (demo loading, backups, imports): the province scopes
    # of portal/scopes.py are for web requests. A request served by runserver gets its own scope.
    with scopes_disabled():
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
