import factory
from django.utils import timezone

from accounts.models import Instansi, Membership, Role, Unit, User
from areas.models import Assessment


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"pengguna{n}")
    full_name = factory.Faker("name", locale="id_ID")
    password = factory.django.Password("sandi-uji-123")


class InstansiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Instansi
        django_get_or_create = ("name",)

    name = "Kementerian Uji"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"Unit Kerja {n}")
    instansi = "Kementerian Uji"
    city = "Jakarta"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Tests name an instansi by its text; it is created on first use (a K/L unless named otherwise).
        if isinstance(kwargs.get("instansi"), str):
            kwargs["instansi"] = InstansiFactory(name=kwargs["instansi"])
        return super()._create(model_class, *args, **kwargs)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = Role.KOORDINATOR

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    unit = factory.SubFactory(UnitFactory)
    year = factory.LazyFunction(lambda: timezone.localdate().year)
