"""Creates one auth group per role, so roles can be granted in the admin from day one."""

from django.db import migrations

ROLES = ["agency_staff", "agency_head", "reviewer", "co_reviewer", "leader", "admin"]


def create_role_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
