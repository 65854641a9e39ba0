"""Login by SMS code over the REST API: request a code, open a session, log out, confirm an e-mail."""

from datetime import datetime

from fastapi import APIRouter, Depends, Request, status
from pydantic import BaseModel, Field
from sqlmodel import Session

from ag_app.api.deps import bearer_token, clock, db
from ag_app.domain.errors import NotAuthenticated
from ag_app.domain.otp import forwarded_client
from ag_app.services import auth, profile
from ag_app.settings import get_settings

router = APIRouter(tags=["Вход"])


class CodeIn(BaseModel):
    """A Russian mobile number in any usual notation, e.g. «+7 916 123-45-67»."""

    phone: str = Field(max_length=40)


class CodeOut(BaseModel):
    """The normalised number the code was sent to."""

    phone: str


class SessionIn(BaseModel):
    """The phone, the code from the SMS, and for a new account the acceptance of the terms."""

    phone: str = Field(max_length=40)
    code: str = Field(max_length=20)
    accept_terms: bool = False
    # «Уникальный идентификатор» of the person whose referral link brought the new user.
    referrer: str = Field(default="", max_length=32)


class SessionOut(BaseModel):
    """The opaque session token for ``Authorization: Bearer``; ``is_new`` for a just-created account."""

    token: str
    is_new: bool


class EmailConfirmIn(BaseModel):
    """The token of the confirmation link."""

    token: str = Field(max_length=500)


def client_address(request: Request) -> str:
    """The requester's address: the connection's peer, or behind ``AG_TRUSTED_PROXY_HOPS`` trusted
    reverse proxies the address they saw (from ``X-Forwarded-For``)."""
    peer = request.client.host if request.client else ""
    forwarded = request.headers.get("x-forwarded-for", "")
    return forwarded_client(peer, forwarded, get_settings().trusted_proxy_hops)


@router.post("/auth/code", status_code=status.HTTP_202_ACCEPTED)
def request_code(
    body: CodeIn,
    session: Session = Depends(db, scope="function"),
    now: datetime = Depends(clock),
    client: str = Depends(client_address),
) -> CodeOut:
    """Send a login code by SMS: at most 3 codes per phone per hour, and per client address at most
    10 an hour (a flood of 30 in a day bans the address for the day); 429 with the time otherwise."""
    return CodeOut(phone=auth.request_code(session, phone=body.phone, now=now, client=client))


@router.post("/auth/session")
def open_session(
    body: SessionIn, session: Session = Depends(db, scope="function"), now: datetime = Depends(clock)
) -> SessionOut:
    """Log in or register with the code from the SMS."""
    result = auth.login(
        session,
        phone=body.phone,
        code=body.code,
        now=now,
        accept_terms=body.accept_terms,
        referrer_uid=body.referrer,
    )
    return SessionOut(token=result.token, is_new=result.is_new)


@router.delete("/auth/session", status_code=status.HTTP_204_NO_CONTENT)
def close_session(
    token: str = Depends(bearer_token),
    session: Session = Depends(db, scope="function"),
    now: datetime = Depends(clock),
) -> None:
    """Log out: the bearer token stops working."""
    if not token:
        raise NotAuthenticated("auth.required")
    auth.logout(session, token=token, now=now)


@router.post("/auth/email-confirmation", status_code=status.HTTP_204_NO_CONTENT)
def confirm_email(
    body: EmailConfirmIn, session: Session = Depends(db, scope="function"), now: datetime = Depends(clock)
) -> None:
    """Confirm an e-mail address with the token of the link sent to it."""
    profile.confirm_email(session, token=body.token, now=now)
