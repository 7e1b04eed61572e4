"""Demo libraries: a few documents, images and versions in four bodies, files made in code.

Everything goes through the services, so the files are sniffed, stored under random
names and recorded like real uploads; the work does not grow with the member count.
"""

import io

from commonweal.organisation.selectors import assembly_of

from . import samples, services

CSV = "route,weekday buses per hour,evening buses per hour\n1,6,2\n4,4,1\n12,3,0\n"
NOTES = """# Notes from the bus campaign stall

- 84 people signed the petition for evening services.
- Three people asked how to join; their details went to the branch secretary.
- Next stall: Saturday at the market.
"""


def _file(content: bytes, name: str) -> io.BytesIO:
    file = io.BytesIO(content)
    file.name = name
    return file


def load(ctx) -> None:
    people = ctx.people
    leeds = assembly_of(ctx.units["leeds"])
    plan = [
        (ctx.bodies["national-committee"], people["admin"], [
            ("Standing orders", samples.pdf("Standing orders of the National Committee"),
             "standing-orders.pdf", "How the committee runs its meetings."),
            ("Organisation logo", samples.png(64, 64), "logo.png",
             "For leaflets and banners; keep the colours."),
        ]),
        (ctx.bodies["transport"], people["transport_chair"], [
            ("Bus frequency survey", samples.text(CSV), "bus-survey.csv",
             "What members counted at their stops in October."),
            ("Draft transport policy", samples.pdf("Draft transport policy, first reading"),
             "transport-draft.pdf", "The draft as it went to circulation."),
        ]),
        (ctx.bodies["health"], people["health_chair"], [
            ("Clinic closures briefing", samples.pdf("Clinic closures: what we know"),
             "clinics.pdf", ""),
        ]),
        (leeds, people["leeds_secretary"], [
            ("Campaign stall notes", samples.text(NOTES), "stall-notes.md",
             "Written up after Saturday's stall."),
            ("Stall photo", samples.png(48, 32, (30, 94, 47)), "stall.png", ""),
        ]),
    ]  # fmt: skip
    added = []
    for body, uploader, documents in plan:
        for title, content, name, description in documents:
            added.append(
                services.document_add(
                    body=body,
                    title=title,
                    description=description,
                    file=_file(content, name),
                    uploaded_by=uploader,
                )
            )
    draft = added[3]
    services.version_add(
        document=draft,
        file=_file(samples.pdf("Draft transport policy, second reading"), "transport-draft.pdf"),
        uploaded_by=people["transport_chair"],
        note="Takes in the Housing Section's comments on estate routes.",
    )
    services.document_withdraw(
        document=added[2],
        officer=people["transport_chair"],
        reason="The survey counted the wrong stops on route 12; a corrected count will follow.",
    )
    for document in (added[0], draft, added[5]):
        document.refresh_from_db()
        services.version_download(version=document.current_version, member=people["member"])
    ctx.say(f"  {len(added)} library documents in {len(plan)} bodies")
