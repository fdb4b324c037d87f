from django.db import migrations


def seed(apps, schema_editor):
    from lianxin.consultation.seed import seed as seed_tasks

    seed_tasks(apps.get_model("cases", "Category"), apps.get_model("cases", "TimeLimit"))


class Migration(migrations.Migration):
    dependencies = [("consultation", "0001_initial"), ("cases", "0006_acceptance_rules")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
