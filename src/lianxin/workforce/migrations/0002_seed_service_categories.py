from django.db import migrations


def seed(apps, schema_editor):
    from lianxin.workforce.seed import seed as seed_services

    seed_services(apps.get_model("cases", "Category"), apps.get_model("cases", "TimeLimit"))


class Migration(migrations.Migration):
    dependencies = [("workforce", "0001_initial"), ("cases", "0006_acceptance_rules")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
