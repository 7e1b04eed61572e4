from django_tasks import task


@task(queue_name="default")
def mix_secret_ballots(vote_id: int) -> int:
    """After a secret vote closes, rewrite its ballots in random order; safe to run twice."""
    from .models import Vote
    from .services import secret_ballots_mix

    vote = Vote.objects.filter(pk=vote_id).first()
    return 0 if vote is None else secret_ballots_mix(vote=vote)


@task(queue_name="default")
def sweep_votes() -> dict[str, int]:
    """Open and close votes whose times have come."""
    from .services import votes_sweep

    return votes_sweep()
