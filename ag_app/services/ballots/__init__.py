"""Completing a ballot (SPEC §2.4) and saving progress.

A ballot is completed in one transaction: the voter's row is locked, eligibility and answers are
checked, the ballot and its answers are written, the poll's points are credited once and the
poll's ballot counter is incremented. The ballot carries its receipt code and the voter's age
band, gender and home district at voting time. The unique key (poll, user) makes a second ballot
impossible under any concurrency; the statements are plain Core inserts/updates to keep the hot
path lean.

One module per job — statements (the hot path's prebuilt statements), complete (completing a ballot),
drafts (saved progress); this package names what other contexts call.
"""

from ag_app.domain.polls import AnswerInput
from ag_app.services.ballots.complete import BallotOutcome, complete_ballot
from ag_app.services.ballots.drafts import get_draft, save_draft

__all__ = [
    "AnswerInput",
    "BallotOutcome",
    "complete_ballot",
    "get_draft",
    "save_draft",
]
