from django.db import migrations, models


def first_row(apps, schema_editor):
    apps.get_model("core", "ConfigStamp").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_importjob")]

    operations = [
        migrations.CreateModel(
            name="ConfigStamp",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("n", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(first_row, migrations.RunPython.noop),
    ]
