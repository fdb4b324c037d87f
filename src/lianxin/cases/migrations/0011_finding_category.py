from django.db import migrations


def add_finding(apps, schema_editor):
    Category = apps.get_model("cases", "Category")
    for cat in Category.objects.filter(full_code="2002"):
        types = [t.strip() for t in cat.case_types.split(",") if t.strip()]
        if "finding" not in types:
            cat.case_types = ",".join([*types, "finding"])
            cat.save(update_fields=["case_types"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0010_inspections")]
    operations = [migrations.RunPython(add_finding, migrations.RunPython.noop)]
