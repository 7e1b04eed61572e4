from django_tasks import task


@task(queue_name="default")
def import_members(import_id: int) -> dict[str, int]:
    """Write a confirmed members list; safe to run twice (an address is imported once)."""
    from .services.imports import member_import_run

    done = member_import_run(import_id=import_id)
    return {"added": done.added, "skipped": done.skipped}


@task(queue_name="default")
def sweep_member_imports() -> int:
    """Discard members lists left unconfirmed for a day, so their rows do not linger."""
    from .services.imports import member_imports_sweep

    return member_imports_sweep()


@task(queue_name="default")
def sweep_applications() -> dict[str, int]:
    """Remind officers of applications waiting for them; escalate those left too long."""
    from .services.reminders import applications_sweep

    return applications_sweep()
