from django.db import migrations


def seed(apps, schema_editor):
    from lianxin.talent.seed import seed as seed_talent

    seed_talent(apps.get_model("talent", "Tier"), apps.get_model("cases", "Category"),
                apps.get_model("cases", "TimeLimit"))


class Migration(migrations.Migration):
    dependencies = [("talent", "0001_initial"), ("cases", "0007_stats_tallies")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
