"""The test OIDC provider speaks real OIDC: Authlib (what st.login uses) completes a code flow with
PKCE against it, and the id_token verifies against its JWKS with the claims Streamlit reads."""
from __future__ import annotations

import html
import re

import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.jwk import KeySet

from tests.oidc_provider import NO_CLAIM, OIDCProvider, User

REDIRECT = "http://127.0.0.1:1/oauth2callback"  # never opened: the test reads the Location


def _authorize(idp: OIDCProvider, nonce: str = "n-0S6_WzA2Mj"):
    client = OAuth2Session(idp.client_id, idp.client_secret, scope="openid email profile",
                           redirect_uri=REDIRECT, code_challenge_method="S256")
    metadata = requests.get(idp.metadata_url, timeout=5).json()
    verifier = "v" * 64
    url, state = client.create_authorization_url(metadata["authorization_endpoint"], nonce=nonce,
                                                 code_verifier=verifier)
    answer = requests.get(url, allow_redirects=False, timeout=5)
    return client, metadata, verifier, state, answer


def test_code_flow_with_pkce_gives_a_verifiable_id_token():
    with OIDCProvider(client_id="baz", client_secret="s3cret") as idp:
        idp.login_as("Baz@ATK.example.org", "Partner ATK")
        client, metadata, verifier, state, answer = _authorize(idp)
        assert answer.status_code == 302
        location = answer.headers["Location"]
        assert location.startswith(REDIRECT) and f"state={state}" in location
        token = client.fetch_token(metadata["token_endpoint"], authorization_response=location,
                                   code_verifier=verifier)
        keys = KeySet.import_key_set(requests.get(metadata["jwks_uri"], timeout=5).json())
        claims = jwt.decode(token["id_token"], keys, algorithms=["RS256"]).claims
        assert claims["email"] == "Baz@ATK.example.org" and claims["email_verified"] is True
        assert claims["name"] == "Partner ATK"
        assert claims["aud"] == "baz" and claims["iss"] == idp.issuer == metadata["issuer"]
        assert claims["nonce"] == "n-0S6_WzA2Mj" and claims["exp"] > claims["iat"]
        info = requests.get(metadata["userinfo_endpoint"], timeout=5,
                            headers={"Authorization": f"Bearer {token['access_token']}"}).json()
        assert info["email"] == "Baz@ATK.example.org" and info["sub"] == claims["sub"]
        assert ("GET", "/authorize") in idp.requests and ("POST", "/token") in idp.requests


def test_a_code_is_single_use_and_needs_the_secret_and_the_verifier():
    with OIDCProvider(client_id="baz", client_secret="s3cret") as idp:
        idp.login_as("a@example.org")
        _, metadata, verifier, _, answer = _authorize(idp)
        code = answer.headers["Location"].split("code=")[1].split("&")[0]
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
                "code_verifier": verifier}
        url = metadata["token_endpoint"]
        assert requests.post(url, data=form, auth=("baz", "fout"), timeout=5).status_code == 401
        assert requests.post(url, data={**form, "code_verifier": "x" * 64}, auth=("baz", "s3cret"),
                             timeout=5).status_code == 400
        # (a failed PKCE check used the code up too, as single use demands)
        _, _, verifier, _, answer = _authorize(idp)
        code = answer.headers["Location"].split("code=")[1].split("&")[0]
        form.update(code=code, code_verifier=verifier)
        assert requests.post(url, data=form, auth=("baz", "s3cret"), timeout=5).status_code == 200
        assert requests.post(url, data=form, auth=("baz", "s3cret"), timeout=5).status_code == 400


def test_without_auto_approve_the_user_chooses_an_account_in_a_form():
    users = [User("an@example.org", "An"), User("cas@example.org", "Cas")]
    with OIDCProvider(users=users, auto_approve=False) as idp:
        _, _, _, state, answer = _authorize(idp)
        assert answer.status_code == 200
        assert "cas@example.org" in answer.text and "an@example.org" in answer.text
        form = {k: html.unescape(v) for k, v in
                re.findall(r"<input type='hidden' name='([^']*)' value='([^']*)'>", answer.text)}
        assert form["client_id"] == idp.client_id and form["state"] == state
        chosen = requests.post(f"{idp.issuer}/authorize", data={**form, "email": "cas@example.org"},
                               allow_redirects=False, timeout=5)
        assert chosen.status_code == 302 and f"state={state}" in chosen.headers["Location"]


def test_logout_redirects_back():
    with OIDCProvider() as idp:
        answer = requests.get(f"{idp.issuer}/logout", params={"post_logout_redirect_uri": REDIRECT},
                              allow_redirects=False, timeout=5)
        assert answer.status_code == 302 and answer.headers["Location"] == REDIRECT
        assert idp.logouts == 1


@pytest.mark.parametrize("verified", [True, False, None, "FALSE", "0", "no", NO_CLAIM],
                         ids=["true", "false", "none", "text-FALSE", "text-0", "text-no", "missing"])
def test_email_verified_is_sent_as_given_or_left_out(verified):
    with OIDCProvider(client_id="baz", client_secret="s3cret") as idp:
        idp.login_as("a@example.org", email_verified=verified)
        client, metadata, verifier, _, answer = _authorize(idp)
        token = client.fetch_token(metadata["token_endpoint"],
                                   authorization_response=answer.headers["Location"],
                                   code_verifier=verifier)
        keys = KeySet.import_key_set(requests.get(metadata["jwks_uri"], timeout=5).json())
        claims = jwt.decode(token["id_token"], keys, algorithms=["RS256"]).claims
        if verified is NO_CLAIM:
            assert "email_verified" not in claims
        else:
            assert claims["email_verified"] == verified and type(claims["email_verified"]) is \
                type(verified)
