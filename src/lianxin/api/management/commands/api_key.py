"""``lianxin api_key create --user U --name N [--area CODE]`` / ``revoke --name N | --prefix P`` / ``list``."""

from django.core.management.base import BaseCommand, CommandError

from lianxin.accounts.models import User
from lianxin.api.models import ApiKey
from lianxin.areas.models import Area


class Command(BaseCommand):
    help = "Create, list or revoke API keys (REST API tokens and Open311 keys). Administrators only."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Issue a key; it is printed once and never stored.")
        create.add_argument("--user", required=True, help="Username of the account the key acts as.")
        create.add_argument("--name", required=True, help="What the key is for (e.g. the client program).")
        create.add_argument("--area", help="Area code where Open311 reports without coordinates are filed.")
        revoke = sub.add_parser("revoke", help="Revoke keys by name or by prefix.")
        revoke.add_argument("--name")
        revoke.add_argument("--prefix")
        sub.add_parser("list", help="List keys (prefix, name, owner, state).")

    def handle(self, *args, action, **options):
        if action == "create":
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No account named {options['user']!r}.")
            area = None
            if options.get("area"):
                area = Area.objects.filter(code=options["area"]).first()
                if area is None:
                    raise CommandError(f"No area with code {options['area']!r}.")
            key, raw = ApiKey.issue(owner=user, name=options["name"], area=area)
            self.stdout.write(raw)
            self.stderr.write(f"Key {key.prefix}… for {user.username} ({key.name}). Store it now: it is not kept.")
        elif action == "revoke":
            if not options.get("name") and not options.get("prefix"):
                raise CommandError("Give --name or --prefix.")
            keys = ApiKey.objects.filter(is_active=True)
            if options.get("name"):
                keys = keys.filter(name=options["name"])
            if options.get("prefix"):
                keys = keys.filter(prefix=options["prefix"])
            count = 0
            for key in keys:
                key.revoke()
                count += 1
            if not count:
                raise CommandError("No active key matches.")
            self.stdout.write(f"Revoked {count} key(s).")
        else:
            for key in ApiKey.objects.select_related("owner"):
                state = "active" if key.is_active else f"revoked {key.revoked:%Y-%m-%d}"
                self.stdout.write(f"{key.prefix}…\t{key.name}\t{key.owner.username}\t{state}")
