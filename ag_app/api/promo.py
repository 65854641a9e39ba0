"""The promo campaign «#ВыбираемВместе» over the REST API: the published campaign and draw files,
the citizen's own state and actions, and the staff routes the pages use.

Thin: every route calls the use cases of :mod:`ag_app.services.promo` with the actor taken from the
server-side session only, and the services check the rights and the deadlines. Public answers
carry no code, phone, SNILS or name: a draw's list holds pseudonymous keys, and the code appears
only in ``/promo/me`` of its owner.
"""

import logging
from collections.abc import Callable, Iterator
from datetime import datetime

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, StrictBool
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.datastructures import UploadFile

from ag_app.api.deps import actor_id, bearer_token, clock, db, db_engine
from ag_app.api.guard import BodyTooLarge
from ag_app.api.params import Id
from ag_app.db import read_transaction, run_in_transaction
from ag_app.domain.errors import InvalidInput, NotAuthenticated, NotFound
from ag_app.domain.limits import UPLOAD_LIMIT_BYTES
from ag_app.domain.promo import VoteFileError, VoteRow, parse_votes
from ag_app.models import PromoDraw
from ag_app.services.access import Capability, require
from ag_app.services.promo import campaigns, citizen, draws, public, votes
from ag_app.services.promo.citizen import REASON_LIMIT, CitizenView
from ag_app.services.promo.draws import ENTROPY_LIMIT
from ag_app.services.promo.public import CampaignView, DrawView

logger = logging.getLogger(__name__)

router = APIRouter(tags=["Акция «#ВыбираемВместе»"])

# A published file is sent in chunks of about this many bytes.
CHUNK_BYTES = 64 * 1024
# The multipart form field of the vote file.
VOTE_FILE_FIELD = "file"


class CampaignItem(BaseModel):
    """A campaign in the list: what it is called and which phase it is in."""

    id: int
    slug: str
    title: str
    phase: str
    phase_name: str


class _Body(BaseModel):
    """A request body: any field not listed is refused."""

    model_config = ConfigDict(extra="forbid")


class OptOutIn(_Body):
    """«Отказаться от участия»: the campaign and an optional reason."""

    campaign_id: Id
    reason: str = Field(default="", max_length=REASON_LIMIT * 4)


class RulesIn(_Body):
    """An action that needs the rules accepted: «Стать участником акции» or «Активировать код»."""

    campaign_id: Id
    accept_rules: StrictBool


class CategoryIn(_Body):
    """The category draw to register for: «sport», «culture» or «home»."""

    campaign_id: Id
    category: str = Field(max_length=40)


class EntropyIn(_Body):
    """Public randomness published after the window closed (e.g. the numbers of a lottery draw)."""

    entropy: str = Field(max_length=ENTROPY_LIMIT * 4)


class ActionOut(BaseModel):
    """The citizen's state after an action (as ``GET /promo/me`` shows it)."""

    state: CitizenView


class ImportOut(BaseModel):
    """What a vote import did: counts, the line numbers it could not apply by reason, and those
    reasons as Russian sentences."""

    rows: int
    added: int
    unchanged: int
    unmatched: list[int]
    not_eligible: list[int]
    conflicting: list[int]
    closed: list[int]
    refused: list[str]


@router.get("/promo/campaigns")
def list_campaigns(
    session: Session = Depends(db, scope="function"), now: datetime = Depends(clock)
) -> list[CampaignItem]:
    """Every campaign, the newest first, with its current phase."""
    items = []
    for campaign in campaigns.campaigns(session):
        view = public.campaign_view(session, campaign_id=campaign.id, now=now)
        items.append(
            CampaignItem(
                id=view.id, slug=view.slug, title=view.title, phase=view.phase, phase_name=view.phase_name
            )
        )
    return items


@router.get("/promo/campaigns/{campaign_id}")
def campaign_detail(
    campaign_id: Id, session: Session = Depends(db, scope="function"), now: datetime = Depends(clock)
) -> CampaignView:
    """The campaign: phase, deadlines in plain words, and its draws with the published inputs —
    the seed's SHA-256 commitment, the frozen list's SHA-256 and count, the seed once the draw has
    run, the public randomness, and the links of the files."""
    return public.campaign_view(session, campaign_id=campaign_id, now=now)


def _chunked(lines: Iterator[bytes]) -> Iterator[bytes]:
    """Lines joined into chunks of about :data:`CHUNK_BYTES`."""
    buffer: list[bytes] = []
    size = 0
    for line in lines:
        buffer.append(line)
        size += len(line)
        if size >= CHUNK_BYTES:
            yield b"".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield b"".join(buffer)


def _published(
    engine: Engine, draw_id: int, content: Callable[[Session, PromoDraw], Iterator[bytes]]
) -> Iterator[bytes]:
    """A published file read in its own read-only transaction while it is sent (the request's
    transaction ends before the response starts)."""
    with read_transaction(engine) as session:
        draw = session.get(PromoDraw, draw_id)
        yield from _chunked(content(session, draw))


def _file_response(
    session: Session,
    draw: PromoDraw,
    content: Callable[[Session, PromoDraw], Iterator[bytes]],
    *,
    media_type: str,
    filename: str,
) -> StreamingResponse:
    return StreamingResponse(
        _published(session.get_bind(), draw.id, content),
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get(
    "/promo/campaigns/{campaign_id}/draws/{draw_id}/participants.txt",
    responses={200: {"content": {"text/plain": {}}, "description": "Список участников"}},
)
def participants_txt(campaign_id: Id, draw_id: Id, session: Session = Depends(db, scope="function")):
    """The frozen list of a draw: one pseudonymous key per line, sorted, UTF-8 — its SHA-256 is the
    ``list_sha256`` of the campaign. 404 until the draw's window has closed."""
    draw = public.get_draw(session, campaign_id=campaign_id, draw_id=draw_id)
    if draw.frozen_at is None:
        raise NotFound("promo.list_not_frozen")
    return _file_response(
        session,
        draw,
        draws.participants_file,
        media_type="text/plain; charset=utf-8",
        filename=f"promo-{campaign_id}-draw-{draw_id}-participants.txt",
    )


@router.get(
    "/promo/campaigns/{campaign_id}/draws/{draw_id}/winners.csv",
    responses={200: {"content": {"text/csv": {}}, "description": "Победители розыгрыша"}},
)
def winners_csv(campaign_id: Id, draw_id: Id, session: Session = Depends(db, scope="function")):
    """The result of a draw: «key;prize» by key. 404 until the draw has run."""
    draw = public.get_draw(session, campaign_id=campaign_id, draw_id=draw_id)
    if draw.drawn_at is None:
        raise NotFound("promo.draw_not_run")
    return _file_response(
        session,
        draw,
        draws.winners_file,
        media_type="text/csv; charset=utf-8",
        filename=f"promo-{campaign_id}-draw-{draw_id}-winners.csv",
    )


def _campaign_of(session: Session, campaign_id: int | None) -> int:
    """The campaign asked for, or the current one (the one that started last)."""
    if campaign_id is not None:
        return campaign_id
    current = campaigns.current_campaign(session)
    if current is None:
        raise NotFound("promo.no_campaign")
    return current.id


@router.get("/promo/me")
def my_state(
    campaign_id: Id | None = None,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> CitizenView:
    """The citizen's own state in a campaign (the current one by default): status in plain words,
    the code and the pseudonymous key, the draw date, prizes, balances, what they may do now and
    why not. 401 for guests."""
    if actor is None:
        raise NotAuthenticated("auth.required")
    return citizen.my_state(session, actor_id=actor, campaign_id=_campaign_of(session, campaign_id), now=now)


def _after(session: Session, actor: int | None, campaign_id: int, now: datetime) -> ActionOut:
    session.flush()
    return ActionOut(state=citizen.my_state(session, actor_id=actor, campaign_id=campaign_id, now=now))


@router.post("/promo/me/opt-out")
def opt_out(
    body: OptOutIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> ActionOut:
    """«Отказаться от участия» (the reason is optional) until 23:59 of the deadline."""
    citizen.opt_out(session, actor_id=actor, campaign_id=body.campaign_id, reason=body.reason, now=now)
    return _after(session, actor, body.campaign_id, now)


@router.post("/promo/me/opt-in")
def opt_in(
    body: RulesIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> ActionOut:
    """«Стать участником акции»: cancel an opt-out until 22:59 of the deadline, the rules accepted."""
    citizen.opt_in(
        session, actor_id=actor, campaign_id=body.campaign_id, accept_rules=body.accept_rules, now=now
    )
    return _after(session, actor, body.campaign_id, now)


@router.post("/promo/me/activate")
def activate(
    body: RulesIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> ActionOut:
    """«Активировать код»: a winner accepts the prize rules; the prize points are credited once."""
    citizen.activate(
        session, actor_id=actor, campaign_id=body.campaign_id, accept_rules=body.accept_rules, now=now
    )
    return _after(session, actor, body.campaign_id, now)


@router.post("/promo/me/category")
def choose_category(
    body: CategoryIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> ActionOut:
    """Register once for one category draw during the registration window (no change afterwards)."""
    citizen.choose_category(
        session, actor_id=actor, campaign_id=body.campaign_id, category=body.category, now=now
    )
    return _after(session, actor, body.campaign_id, now)


async def vote_file(request: Request) -> bytes:
    """The vote file's bytes: the «file» field of a multipart form, or the request body itself
    (``text/csv``); empty when none was sent (the route refuses it after checking the rights and
    the ids). The body limit of the route is the upload limit (20 MB). Received on the event loop,
    before the request takes its database transaction."""
    content_type = request.headers.get("content-type", "").lower()
    if content_type.startswith("multipart/form-data"):
        async with request.form(max_files=1, max_fields=4) as form:
            upload = form.get(VOTE_FILE_FIELD)
            data = await upload.read(UPLOAD_LIMIT_BYTES + 1) if isinstance(upload, UploadFile) else b""
    else:
        data = await request.body()
    if len(data) > UPLOAD_LIMIT_BYTES:
        raise BodyTooLarge(UPLOAD_LIMIT_BYTES)
    return data


_VOTE_FILE_BODY = {
    "requestBody": {
        "required": True,
        "description": "Файл системы голосования (UTF-8, «;», заголовок person;voted_at;channel;first_online)",
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {VOTE_FILE_FIELD: {"type": "string", "format": "binary"}},
                    "required": [VOTE_FILE_FIELD],
                }
            },
            "text/csv": {"schema": {"type": "string"}},
        },
    }
}


def _staff_actor(session: Session, *, token: str, campaign_id: int, now: datetime) -> int:
    """The acting staff member of the token (401 for a guest, 403 for a resident) and an existing
    campaign (404) — checked before a file is parsed."""
    from ag_app.services.auth import user_id_for_token

    actor = user_id_for_token(session, token, now=now)
    require(session, actor, Capability.PROMO_MANAGE)
    campaigns.get_campaign(session, campaign_id)
    return actor


def _parsed(data: bytes) -> list[VoteRow]:
    """The rows of the vote file (UTF-8), or the whole file refused listing its bad lines."""
    if not data:
        raise InvalidInput("promo.votes_file_missing")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise VoteFileError("promo.votes_encoding") from None
    return parse_votes(text)


@router.post("/promo/campaigns/{campaign_id}/votes", openapi_extra=_VOTE_FILE_BODY)
async def import_votes(
    campaign_id: Id,
    data: bytes = Depends(vote_file),
    token: str = Depends(bearer_token),
    engine: Engine = Depends(db_engine),
    now: datetime = Depends(clock),
) -> ImportOut:
    """Staff import the voting system's file. A malformed file is refused whole (422, listing the
    line numbers) and nothing changes; importing the same file again changes nothing; the rows
    that could not be applied are reported with their line numbers.

    Three steps, none on the event loop: the rights in a read transaction (a guest's or a
    resident's file is not even parsed), the parse outside any transaction (a 20 MB file takes
    seconds, and on SQLite no writer waits for it), then the import in one write transaction (the
    use case checks the rights again).
    """
    actor = await run_in_transaction(
        lambda s: _staff_actor(s, token=token, campaign_id=campaign_id, now=now), read=True, engine=engine
    )
    rows = await run_in_threadpool(_parsed, data)
    report = await run_in_transaction(
        lambda s: votes.import_votes(s, actor_id=actor, campaign_id=campaign_id, rows=rows, now=now),
        engine=engine,
    )
    logger.info("Импорт голосов акции %s: строк %s, добавлено %s", campaign_id, report.rows, report.added)
    return ImportOut(
        rows=report.rows,
        added=report.added,
        unchanged=report.unchanged,
        unmatched=list(report.unmatched),
        not_eligible=list(report.not_eligible),
        conflicting=list(report.conflicting),
        closed=list(report.closed),
        refused=votes.report_lines(report),
    )


@router.post("/promo/campaigns/{campaign_id}/draws/{draw_id}/entropy")
def set_entropy(
    body: EntropyIn,
    campaign_id: Id,
    draw_id: Id,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> DrawView:
    """Staff add public randomness to a closed window's draw before it runs; returns the draw."""
    require(session, actor, Capability.PROMO_MANAGE)
    public.get_draw(session, campaign_id=campaign_id, draw_id=draw_id)
    draws.set_entropy(session, actor_id=actor, draw_id=draw_id, entropy=body.entropy, now=now)
    session.flush()
    return public.draw_view(public.get_draw(session, campaign_id=campaign_id, draw_id=draw_id))
