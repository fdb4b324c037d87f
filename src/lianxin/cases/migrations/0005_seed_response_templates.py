from django.db import migrations


def seed(apps, schema_editor):
    from lianxin.cases.templates_seed import seed as seed_templates

    seed_templates(apps.get_model("cases", "ResponseTemplate"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_response_templates")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
