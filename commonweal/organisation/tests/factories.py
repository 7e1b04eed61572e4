import factory

from commonweal.organisation import services
from commonweal.organisation.models import Body, Unit


class UnitFactory(factory.django.DjangoModelFactory):
    """Builds units through the service, so each gets its assembly as in real life."""

    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"Branch {n}")
    kind = Unit.Kind.BRANCH
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.unit_create(
            name=kwargs["name"], kind=kwargs["kind"], parent=kwargs.get("parent")
        )


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")
    kind = Body.Kind.POLICY_SECTION
    unit = factory.SubFactory(UnitFactory, kind=Unit.Kind.NATIONAL, name="Nation")
    subject = ""
