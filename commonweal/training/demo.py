"""Demo learning: a short course on materialist dialectics, a chairing course and a reading
group, written by the Training Department for the whole organisation, with cohorts under
way and learners at different modules. Everything goes through the services; the work does
not grow with the member count (a few dozen learners)."""

from datetime import timedelta

from commonweal.core import clock
from commonweal.members.models import Member
from commonweal.organisation.services import body_membership_add

from . import services

DIALECTICS = [
    {
        "title": "Everything is in motion",
        "text": (
            "Materialist dialectics starts from two claims. First, *materialism*: the world "
            "exists independently of what we think about it, and our ideas come from our "
            "practical activity in it, not the other way round. Second, *dialectics*: "
            "nothing in nature or society is fixed. Things come into being, develop and pass "
            "away, and they are connected with one another, so a thing cannot be understood "
            "cut off from its surroundings or frozen at one moment.\n\n"
            "For an organisation this means asking of any situation: how did it come about, "
            "what is it connected with, and in which direction is it moving?"
        ),
        "reading": "- Engels, *Socialism: Utopian and Scientific* (1880), chapter II.",
        "questions": (
            "1. Name something in your town that looks permanent. How did it come about?\n"
            "2. What would change if we treated our branch as a process rather than a thing?"
        ),
        "reflection": "Which part of your own political view has changed most, and why?",
        "check": [
            {
                "prompt": "For materialism, where do our ideas ultimately come from?",
                "choices": [
                    "From our practical activity in the material world",
                    "From reason alone, before any experience",
                    "From chance",
                ],
                "correct": 0,
            },
        ],
    },
    {
        "title": "The unity and struggle of opposites",
        "text": (
            "Development is driven from within, by contradiction: opposing sides or "
            "tendencies that belong to the same thing, depend on each other and struggle "
            "with each other. Wage labour and capital cannot exist without each other, and "
            "their interests conflict; that conflict moves the whole.\n\n"
            "Not every contradiction matters equally. At any time one is the *principal "
            "contradiction* and shapes the others; finding it is the first task of analysis."
        ),
        "reading": "- Mao Zedong, *On Contradiction* (1937), sections 1–4.",
        "questions": (
            "1. What is the principal contradiction facing our campaign on bus fares?\n"
            "2. Can a contradiction inside our organisation be useful?"
        ),
        "reflection": "Describe a contradiction you see in your branch's work.",
        "check": [
            {
                "prompt": "In dialectics, what mainly drives a thing's development?",
                "choices": ["Outside forces alone", "Its internal contradictions", "Nothing"],
                "correct": 1,
            },
            {
                "prompt": "The sides of a contradiction ...",
                "choices": [
                    "exist independently of each other",
                    "depend on each other and struggle with each other",
                ],
                "correct": 1,
            },
        ],
    },
    {
        "title": "Quantity and quality",
        "text": (
            "Gradual, quantitative change builds up until it produces a change in kind, a "
            "qualitative leap: water warmed degree by degree boils at 100 °C. In society, "
            "years of small grievances can turn suddenly into a strike wave.\n\n"
            "Organisers need both: patient work that adds up, and readiness for the moment "
            "it turns into something new."
        ),
        "questions": "1. What slow build-up in your area could turn into a leap?",
        "check": [
            {
                "prompt": "A qualitative leap is ...",
                "choices": [
                    "a change in kind that follows an accumulation of small changes",
                    "a change that never has causes",
                ],
                "correct": 0,
            },
        ],
    },
    {
        "title": "The negation of the negation",
        "text": (
            "Development does not go in a straight line or a closed circle but in a spiral. "
            "A new stage negates the old one, and a later stage negates that in turn, "
            "returning to some features of the first at a higher level. What is negated is "
            "not simply destroyed: what was valuable in it is carried forward."
        ),
        "questions": "1. What should our organisation keep from the movements before it?",
    },
    {
        "title": "Theory and practice",
        "text": (
            "Knowledge begins in practice, is summed up in theory, and returns to practice "
            "to be tested and corrected. A theory that is never tested in practice is empty; "
            "practice without theory is blind. This is why the organisation assesses its "
            "interventions and learns from its own experience."
        ),
        "reading": "- Marx, *Theses on Feuerbach* (1845), theses II and XI.",
        "reflection": "What will you do differently in your next piece of work?",
    },
]

CHAIRING = [
    {
        "title": "Before the meeting",
        "text": (
            "A good meeting is prepared: an agenda sent in time, papers with it, and a clear "
            "purpose for every item (to inform, to discuss or to decide)."
        ),
        "check": [
            {
                "prompt": "What should every agenda item say?",
                "choices": ["Its purpose", "Who will speak longest"],
                "correct": 0,
            },
        ],
    },
    {
        "title": "Keeping the speakers' list fairly",
        "text": (
            "Take names in order, give priority to those who have not yet spoken, keep to "
            "the rulebook's speaking time and say so kindly. Never use the chair to argue "
            "your own view: hand the chair over if you must speak."
        ),
        "reflection": "Whose voice is heard least in your meetings, and what can the chair do?",
    },
    {
        "title": "Reaching and recording a decision",
        "text": (
            "State the motion before the vote, count clearly, announce the result, and make "
            "sure the minutes record what was decided, by whom it will be done, and by when."
        ),
    },
]

READING = [
    (
        "Chapter I: Utopian socialism",
        "Engels on Saint-Simon, Fourier and Owen: why good plans for a better society were "
        "not enough.",
    ),
    (
        "Chapter II: Dialectics",
        "The method that sees things in their connection and movement, from the Greeks to Hegel.",
    ),
    (
        "Chapter III: Historical materialism",
        "Production as the basis of social life; the contradiction between social production "
        "and private appropriation.",
    ),
]


def _write(author, course, modules) -> None:
    for module in modules:
        services.module_save(
            actor=author,
            course=course,
            title=module["title"],
            text=module["text"],
            reading=module.get("reading", ""),
            questions=module.get("questions", ""),
            reflection_prompt=module.get("reflection", ""),
            check=module.get("check"),
        )
    services.course_publish(actor=author, course=course, note="First version.")
    course.refresh_from_db()


def _advance(enrolment, learner, steps: int) -> None:
    """Take `steps` modules, answering each check rightly on the way."""
    for module in enrolment.version.modules.order_by("position")[:steps]:
        questions = list(module.check_questions.order_by("position"))
        if questions:
            services.check_answer(
                actor=learner,
                enrolment=enrolment,
                module=module,
                answers=[q.correct for q in questions],
            )
        services.module_done(actor=learner, enrolment=enrolment, module=module)


def load(ctx) -> None:
    department = ctx.bodies["training"]
    nation = ctx.units["national"]
    author = ctx.people["admin"]
    tutor = ctx.people["leeds_secretary"]
    body_membership_add(body=department, member=author)
    today = clock.now().date()

    dialectics = services.course_create(
        actor=author,
        body=department,
        unit=nation,
        title="Materialist dialectics",
        slug="materialist-dialectics",
        summary=(
            "The organisation's philosophy in five short modules: how things change, why, "
            "and what that means for our work. Take it at your own pace or with a cohort."
        ),
        completion="checks",
    )
    _write(author, dialectics, DIALECTICS)
    chairing = services.course_create(
        actor=author,
        body=department,
        unit=nation,
        title="Chairing meetings",
        slug="chairing",
        summary="For chairs and those who will be: preparing, running and recording a meeting.",
        self_paced=False,
    )
    _write(author, chairing, CHAIRING)
    reading = services.course_create(
        actor=author,
        body=department,
        unit=nation,
        title="Reading group: Socialism, Utopian and Scientific",
        slug="reading-group-engels",
        kind="reading_group",
        summary="We read Engels' short classic a chapter a fortnight and discuss it together.",
        self_paced=False,
    )
    _write(
        author,
        reading,
        [
            {
                "title": title,
                "text": text,
                "reading": f"- Engels, *Socialism: Utopian and Scientific*, {title.split(':')[0]}.",
                "questions": "1. What is Engels arguing against?\n2. Does it hold today?",
            }
            for title, text in READING
        ],
    )

    cohorts = {
        "dialectics": services.cohort_create(
            actor=author,
            course=dialectics,
            name="Winter cohort, North",
            tutor=tutor,
            starts_on=today - timedelta(days=21),
        ),
        "chairing": services.cohort_create(
            actor=author,
            course=chairing,
            name="New chairs",
            tutor=tutor,
            starts_on=today - timedelta(days=7),
        ),
        "reading": services.cohort_create(
            actor=author,
            course=reading,
            name="Tuesday readers",
            tutor=author,
            starts_on=today - timedelta(days=14),
        ),
    }
    now = clock.now().replace(minute=0, second=0, microsecond=0)
    for key, cohort in cohorts.items():
        for week, module in enumerate(cohort.version.modules.order_by("position")):
            starts = now + timedelta(days=7 * week - 7, hours=19 - now.hour)
            services.session_schedule(
                actor=cohort.tutor,
                cohort=cohort,
                title=f"{cohort.name}: {module.title}",
                starts_at=starts,
                ends_at=starts + timedelta(hours=1, minutes=30),
                place="Online" if key == "dialectics" else "Leeds branch office",
                module=module,
            )

    # The printed plain member is midway through dialectics, with a reflection answered.
    member = ctx.people["member"]
    enrolment = services.enrol(actor=member, course=dialectics, cohort=cohorts["dialectics"])
    _advance(enrolment, member, 1)
    first = dialectics.current_version.modules.get(position=1)
    reflection = services.reflection_write(
        actor=member,
        enrolment=enrolment,
        module=first,
        text="I used to think of the party as fixed. Now I see it as something we keep making.",
    )
    services.reflection_feedback(
        actor=tutor,
        reflection=reflection,
        feedback="Good. Next module, ask what drives that making: what pulls it two ways?",
    )

    # Learners at different places: enough to show the progress page and the overview.
    others = list(
        Member.objects.filter(status=Member.Status.MEMBER, unit__isnull=False)
        .exclude(pk__in=[p.pk for p in ctx.people.values()])
        .order_by("pk")[:36]
    )
    plan = [
        (dialectics, cohorts["dialectics"], [0, 1, 2, 2, 3, 5, 5, 4, 1, 0, 5, 3]),
        (dialectics, None, [1, 0, 2, 5, 0, 1]),
        (chairing, cohorts["chairing"], [0, 1, 1, 2, 3, 0, 2, 1]),
        (reading, cohorts["reading"], [1, 1, 2, 1, 0, 1, 2, 1, 1, 2]),
    ]
    for course, cohort, steps_list in plan:
        for steps in steps_list:
            if not others:
                return
            learner = others.pop()
            taking = services.enrol(actor=learner, course=course, cohort=cohort)
            _advance(taking, learner, steps)
