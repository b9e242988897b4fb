from django.db import migrations


def open_2021(apps, schema_editor):
    apps.get_model("practices", "PerformanceYear").objects.get_or_create(year=2021, defaults={"is_open": True})


class Migration(migrations.Migration):
    dependencies = [("practices", "0001_initial")]
    operations = [migrations.RunPython(open_2021, migrations.RunPython.noop)]
