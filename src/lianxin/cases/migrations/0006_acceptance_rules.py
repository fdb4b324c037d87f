from django.db import migrations


def seed(apps, schema_editor):
    from lianxin.cases.categories import RULES

    Category = apps.get_model("cases", "Category")
    for sub in Category.objects.filter(parent__isnull=False, acceptance_rule="").select_related("parent"):
        sub.acceptance_rule = RULES.get(sub.parent.code, "")
        sub.save(update_fields=["acceptance_rule"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_seed_response_templates")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
