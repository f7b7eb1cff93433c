"""The provider's access tokens as JWTs, like Microsoft Entra ID's (django-oauth-toolkit's are opaque random
strings unless ACCESS_TOKEN_GENERATOR says otherwise): signed with the provider's own key (the one in its
JWKS, under the same kid as its ID tokens), for the audience directory.json names (`api_audience`).
- client credentials: an application token, `azp` the client id, `sub` the service principal's id,
  `roles` the app roles directory.json gives the client (`clients`), no `scp` (Entra's v2 shape);
- a person's token (password grant, the test's shortcut to a delegated token): `scp` the granted scopes,
  `preferred_username` and the rest of the person's claims from directory.json.
`"access_tamper"` in directory.json makes it issue one kind of bad token through the real token endpoint:
bad_signature (a foreign key under the real kid), wrong_audience, expired.
"""

import json
import time
import uuid

from django.conf import settings
from jwcrypto import jwk, jwt
from oauth2_provider.settings import oauth2_settings

from tests.oidc_provider.validator import directory


def signing_key() -> jwk.JWK:
    return jwk.JWK.from_pem(settings.OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"].encode())


def access_token(request, refresh_token=False):
    state = directory()
    now = int(time.time())
    client_id = request.client.client_id
    claims = {"iss": oauth2_settings.oidc_issuer(request), "aud": state.get("api_audience", "api://pmo"),
              "iat": now, "nbf": now,
              "exp": now + oauth2_settings.ACCESS_TOKEN_EXPIRE_SECONDS, "jti": uuid.uuid4().hex,
              "azp": client_id, "ver": "2.0"}
    user = getattr(request, "user", None)
    if request.grant_type == "client_credentials" or user is None:
        claims.update(sub=f"sp-object-id-{client_id}", idtyp="app",
                      roles=state.get("clients", {}).get(client_id, {}).get("roles", []))
    else:
        claims.update(state["users"][user.username])
        claims.pop("roles", None)  # Entra puts a person's app roles in a delegated token too; kept simple here
        claims.update(sub=f"user-{user.pk}", scp=" ".join(request.scopes))
    key, tamper = signing_key(), state.get("access_tamper")
    if tamper == "wrong_audience":
        claims["aud"] = "api://another-api"
    elif tamper == "expired":
        claims["exp"], claims["iat"], claims["nbf"] = now - 3600, now - 7200, now - 7200
    header = {"typ": "JWT", "alg": "RS256", "kid": key.thumbprint()}
    if tamper == "bad_signature":
        key = jwk.JWK.generate(kty="RSA", size=2048)
    token = jwt.JWT(header=json.dumps(header), claims=json.dumps(claims))
    token.make_signed_token(key)
    return token.serialize()
