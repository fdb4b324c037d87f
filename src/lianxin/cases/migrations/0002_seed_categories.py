from django.db import migrations


def seed(apps, schema_editor):
    from lianxin.cases.categories import seed as seed_tree

    seed_tree(apps.get_model("cases", "Category"), apps.get_model("cases", "TimeLimit"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
