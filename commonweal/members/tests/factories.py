import factory

from commonweal.core import clock
from commonweal.members.models import Member
from commonweal.organisation.tests.factories import UnitFactory

PASSWORD = "a-long-test-password-42"


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"member{n}@example.org")
    full_name = factory.Faker("name")
    unit = factory.SubFactory(UnitFactory)
    status = Member.Status.MEMBER
    joined_at = factory.LazyFunction(clock.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])
