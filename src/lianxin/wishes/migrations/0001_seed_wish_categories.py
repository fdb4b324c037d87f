from django.db import migrations


def seed(apps, schema_editor):
    from lianxin.wishes.seed import seed as seed_wishes

    seed_wishes(apps.get_model("cases", "Category"), apps.get_model("cases", "TimeLimit"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_acceptance_rules")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
