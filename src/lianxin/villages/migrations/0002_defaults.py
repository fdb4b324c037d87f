from django.db import migrations


def load(apps, schema_editor):
    from lianxin.villages import defaults

    defaults.load(apps)


class Migration(migrations.Migration):
    dependencies = [("villages", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
