"""One factory per model, nothing surprising in them."""

import datetime as dt

import factory
from django.contrib.auth.models import Group

from portal.models import Agency, AgencyGroup, AgencyKind, AgencyLineage, AgencyVersion, Notification, Province, User
from portal.services import user_set_roles


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"tinh-{n}")
    name = factory.Sequence(lambda n: f"Tỉnh {n}")
    place_name = factory.SelfAttribute("name")


class AgencyGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgencyGroup

    province = factory.SubFactory(ProvinceFactory)
    code = factory.Sequence(lambda n: f"khoi-{n}")
    name = factory.Sequence(lambda n: f"Khối {n}")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        skip_postgeneration_save = True

    province = factory.SubFactory(ProvinceFactory)
    code = factory.Sequence(lambda n: f"co-quan-{n}")

    @factory.post_generation
    def version(self, create, extracted, **kwargs):
        """Every agency gets one open version unless `version=False`."""
        if extracted is False or not create:
            return
        AgencyVersionFactory(agency=self, **kwargs)


class AgencyVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgencyVersion

    agency = factory.SubFactory(AgencyFactory, version=False)
    name = factory.Sequence(lambda n: f"Sở thử nghiệm {n}")
    short_name = ""
    kind = AgencyKind.SO
    valid_from = dt.date(2019, 1, 1)
    valid_to = None


class AgencyLineageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgencyLineage

    kind = "rename"
    predecessor = factory.SubFactory(AgencyVersionFactory)
    successor = factory.SubFactory(AgencyVersionFactory)
    effective_on = dt.date(2025, 3, 1)
    legal_basis = "Quyết định thử nghiệm"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Cán bộ {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    agency = factory.SubFactory(AgencyFactory)
    province = factory.LazyAttribute(lambda u: u.agency.province if u.agency else None)
    password = factory.PostGenerationMethodCall("set_password", "Mat-khau-2026!")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        self.save()
        if create and extracted:
            user_set_roles(user=self, roles=extracted)


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"group{n}")


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    key = factory.Sequence(lambda n: f"key-{n}")
    title = factory.Sequence(lambda n: f"Thông báo {n}")


# --- plans ---------------------------------------------------------------------------------------
from plans.models import Deliverable, DeliverableType, Plan, Reminder, ReminderPolicy, Target, Task  # noqa: E402


class ReminderPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReminderPolicy

    province = factory.SubFactory(ProvinceFactory)
    name = "Mặc định"
    days_before = [7, 3, 1]


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    province = factory.SubFactory(ProvinceFactory)
    year = 2021
    title = factory.LazyAttribute(lambda p: f"Kế hoạch dân vận chính quyền năm {p.year}")
    status = Plan.Status.DRAFT


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: f"II.{n}")
    title = factory.Sequence(lambda n: f"Nhiệm vụ {n}")


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: str(n))
    title = factory.Sequence(lambda n: f"Chỉ tiêu {n}")
    threshold = 100


class DeliverableTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliverableType

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: f"report_{n}")
    title = factory.Sequence(lambda n: f"Báo cáo {n}")
    due_on = dt.date(2021, 11, 22)


class DeliverableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deliverable

    type = factory.SubFactory(DeliverableTypeFactory)
    agency = factory.SubFactory(AgencyFactory)
    agency_version = factory.LazyAttribute(lambda d: d.agency.versions.first())
    due_on = factory.LazyAttribute(lambda d: d.type.due_on)


class ReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reminder

    recipient = factory.SubFactory(UserFactory)
    deliverable = factory.SubFactory(DeliverableFactory)
    kind = "before_3"
    due_on = factory.LazyAttribute(lambda r: r.deliverable.due_on)
    scheduled_on = factory.LazyAttribute(lambda r: r.due_on - dt.timedelta(days=3))


# --- reports -------------------------------------------------------------------------------------
from reports.models import DocumentSigner, DocumentTexts  # noqa: E402
from reports.selectors import default_texts  # noqa: E402


class DocumentTextsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentTexts

    province = factory.SubFactory(ProvinceFactory)
    program = "dvcq"
    valid_from_year = 2019

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # The province's default texts, with what the test names on top.
        defaults = default_texts(kwargs["province"], kwargs["program"], kwargs["valid_from_year"])
        return super()._create(model_class, *args, **{**defaults, **kwargs})


class DocumentSignerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentSigner

    province = factory.SubFactory(ProvinceFactory)
    program = "dvcq"
    kind = "decision"
    valid_from_year = 2019
    title = "CHỦ TỊCH"
    name = factory.Sequence(lambda n: f"Người Ký {n}")
