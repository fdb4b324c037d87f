from django.db import migrations


def seed(apps, schema_editor):
    from lianxin.newgroups.seed import seed as seed_closeout

    seed_closeout(apps.get_model("cases", "Category"), apps.get_model("cases", "TimeLimit"))


class Migration(migrations.Migration):
    dependencies = [("newgroups", "0001_ledger"), ("cases", "0006_acceptance_rules")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
