import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

PASSWORD_FILE = settings.BASE_DIR / ".admin-password"


class Command(BaseCommand):
    help = (
        "Create (or repair) the local admin login and print it. The password comes from "
        "ADMIN_PASSWORD, else from .admin-password, else is generated and kept there."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("ADMIN_USERNAME", "admin"))

    def handle(self, *args, username, **options):
        password = os.environ.get("ADMIN_PASSWORD")
        if not password:
            if PASSWORD_FILE.exists():
                password = PASSWORD_FILE.read_text().strip()
            else:
                password = secrets.token_urlsafe(12)
                PASSWORD_FILE.write_text(password + "\n")
                PASSWORD_FILE.chmod(0o600)
        user, _ = get_user_model().objects.get_or_create(
            username=username, defaults={"email": f"{username}@localhost"}
        )
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()
        editors, _ = Group.objects.get_or_create(name="editors")
        user.groups.add(editors)
        # HOST and PORT as `make run` serves them.
        where = (
            f"http://{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}/admin/"
        )
        self.stdout.write(self.style.SUCCESS(f"Admin login: {username} / {password}  ({where})"))
