import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management.base import BaseCommand, CommandError

from claims.demo.claims import DEMO_VERIFIERS


class Command(BaseCommand):
    help = "Print the current two-step sign-in code of a demo verifier (demo accounts only)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email: str, **options):
        secrets = {address: secret for address, _name, _unions, secret in DEMO_VERIFIERS}
        if email.lower() not in secrets:
            raise CommandError(f"Only the demo verifiers have a published code: {', '.join(secrets)}")
        counter = int(time.time()) // mfa_settings.TOTP_PERIOD
        self.stdout.write(format_hotp_value(hotp_value(secrets[email.lower()], counter)))
