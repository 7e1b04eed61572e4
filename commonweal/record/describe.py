"""Record entries in words for the page: "Policy: support added" and "debate 12", not
`policy.support_added` and `discussion.debate:12`.

Only the model's name and the id are shown, never the object's title: the record page is
every member's, while the object (a restricted debate, say) may not be. Record imports no
app above it; Django's app registry names the models.
"""

from django.apps import apps


def kind_in_words(kind: str) -> str:
    area, _sep, step = kind.partition(".")
    if not step:
        return kind.replace("_", " ").capitalize()
    return f"{area.replace('_', ' ').capitalize()}: {step.replace('_', ' ').replace('.', ', ')}"


def subject_in_words(subject: str) -> str:
    label, _sep, pk = subject.partition(":")
    app_label, _dot, model_name = label.partition(".")
    try:
        model = apps.get_model(app_label, model_name)
    except (LookupError, ValueError):
        return subject
    return f"{model._meta.verbose_name} {pk}".strip()
