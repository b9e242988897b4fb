import pytest
from django.contrib.auth.models import Group, Permission

from accounts.models import User
from staff.services import staff_roles_setup
from staff.tests.helpers import administrator_create, enrollment_create, staff_client

STAFF_PASSWORD = "staff horse battery staple"


def staff_user(email, *, groups=(), permissions=(), superuser=False) -> User:
    """Return an active staff account in the given groups, with the given extra permissions ("app.codename")."""
    if superuser:
        return User.objects.create_superuser(email, STAFF_PASSWORD)
    user = User.objects.create_user(email, STAFF_PASSWORD, is_staff=True)
    user.groups.set(Group.objects.filter(name__in=groups))
    for label in permissions:
        app_label, codename = label.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return user


@pytest.fixture
def roles(db):
    return staff_roles_setup()


@pytest.fixture
def superuser(db):
    return staff_user("root@webpt.example", superuser=True)


@pytest.fixture
def reviewer(roles):
    return staff_user("reviewer@webpt.example", groups=["reviewer"])


@pytest.fixture
def support(roles):
    return staff_user("support@webpt.example", groups=["support"])


@pytest.fixture
def tin_viewer(roles):
    return staff_user("tin-viewer@webpt.example", groups=["reviewer"], permissions=["staff.view_full_tin"])


@pytest.fixture
def superuser_client(superuser):
    return staff_client(superuser)


@pytest.fixture
def reviewer_client(reviewer):
    return staff_client(reviewer)


@pytest.fixture
def support_client(support):
    return staff_client(support)


@pytest.fixture
def administrator(db):
    return administrator_create()


@pytest.fixture
def enrollment(administrator):
    """A signed-up administrator's enrollment with no steps yet."""
    return enrollment_create(administrator=administrator)
