"""Votes and ballots.

A secret vote keeps *who voted* (``VoterRoll``) apart from *what was voted*
(``SecretBallot``): the ballot table has no reference to a member, no timestamp and no
sequential key, so nothing stored can put the two back together (``docs/secret-ballots.md``).
An open vote's ballots (``OpenBallot``) carry the voter: that is its roll call.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Vote(models.Model):
    class Method(models.TextChoices):
        MAJORITY = "majority", _("yes / no / abstain")
        APPROVAL = "approval", _("approval voting")
        SCHULZE = "schulze", _("ranked choice (Schulze method)")
        STV = "stv", _("single transferable vote")

    class State(models.TextChoices):
        DRAFT = "draft", _("not yet open")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    title = models.CharField(_("title"), max_length=300)
    body = models.ForeignKey("organisation.Body", on_delete=models.PROTECT, related_name="votes")
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    candidates = models.JSONField(_("candidates"), default=list)
    seats = models.PositiveSmallIntegerField(_("seats"), default=1)
    secret = models.BooleanField(_("secret ballot"), default=False)
    electorate = models.ForeignKey(
        "organisation.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Members in this unit and below may vote; empty: the body's members."),
    )
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"))
    state = models.CharField(
        _("state"), max_length=8, choices=State.choices, default=State.DRAFT, db_index=True
    )
    subject = models.CharField(_("subject"), max_length=120, blank=True, db_index=True)
    on_close = models.CharField(max_length=200, blank=True)
    meeting_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    agenda_item_id = models.BigIntegerField(null=True, blank=True)

    # The rules the vote is held under, fixed from the rulebook when it is created.
    majority = models.CharField(_("majority"), max_length=12, default="simple")
    majority_base = models.CharField(_("majority base"), max_length=16, default="yes_no")
    quorum_share = models.FloatField(_("quorum (share of the electorate)"), default=0)
    schulze_strength = models.CharField(max_length=8, default="winning")
    stv_rule = models.CharField(max_length=12, default="scottish")
    allow_change = models.BooleanField(_("votes may be changed while open"), default=True)
    rulebook_version = models.PositiveIntegerField(_("rulebook version"))

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    # Filled in at the close.
    entitled = models.PositiveIntegerField(null=True, blank=True)
    turnout = models.PositiveIntegerField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=24, blank=True)
    ballots_sha256 = models.CharField(max_length=64, blank=True)
    receipts_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("vote")
        ordering = ["-closes_at", "-pk"]
        indexes = [models.Index(fields=["state", "closes_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def is_closed(self) -> bool:
        return self.state == self.State.CLOSED

    @property
    def effective(self) -> bool:
        return bool(self.result and self.result.get("effective"))


class VoterRoll(models.Model):
    """Who has voted in a secret vote, and nothing about what they voted.

    ``receipt_mac`` is a keyed hash (``SECRET_KEY``) of the member's current receipt code, so
    that only their own receipt can change their ballot; the ballot keeps a plain sha256 of
    the code, and neither can be computed from the other without the code itself.
    """

    # Random, like the ballot's: a sequence would number the roll in voting order.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Found by vote through the (vote, member) constraint's index: one index fewer to write
    # for every ballot.
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="roll", db_index=False)
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    receipt_mac = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vote", "member"], name="one_roll_entry_per_voter"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} voted in {self.vote_id}"


def _ballot_id() -> uuid.UUID:
    return uuid.uuid4()


class SecretBallot(models.Model):
    """What was voted in a secret vote: a random id, the ranking, the hash of the receipt.

    ``ranking`` holds candidate indices ("2,0,1"; empty for a blank approval ballot) so that
    the tally can group identical ballots in the database.
    """

    id = models.UUIDField(primary_key=True, default=_ballot_id, editable=False)
    # Found by vote through the (vote, ranking) index, and by receipt only by equality: the
    # vote's own index and PostgreSQL's pattern index of a unique text field would be two
    # more to write for every ballot.
    vote = models.ForeignKey(
        Vote, on_delete=models.CASCADE, related_name="secret_ballots", db_index=False
    )
    ranking = models.CharField(max_length=400, blank=True)
    receipt_hash = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["vote", "ranking"])]
        constraints = [
            models.UniqueConstraint(fields=["receipt_hash"], name="one_ballot_per_receipt"),
        ]

    def __str__(self) -> str:
        return f"ballot {self.pk}"


class OpenBallot(models.Model):
    """A ballot in an open vote: voter and choice together, published as the roll call."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="open_ballots")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="open_ballots"
    )
    ranking = models.CharField(max_length=400, blank=True)
    key_hash = models.CharField(max_length=64, blank=True)
    cast_at = models.DateTimeField()
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vote", "voter"], name="one_open_ballot_per_voter"),
        ]
        indexes = [models.Index(fields=["vote", "ranking"])]

    def __str__(self) -> str:
        return f"{self.voter_id} in {self.vote_id}: {self.ranking}"
