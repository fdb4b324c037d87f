from django.db import migrations


def seed(apps, schema_editor):
    from lianxin.workdays.holidays import rows

    CalendarDay = apps.get_model("workdays", "CalendarDay")
    for day, kind, name, provisional in rows():
        CalendarDay.objects.update_or_create(date=day, defaults={"kind": kind, "name": name, "provisional": provisional})


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
