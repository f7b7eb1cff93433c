"""The provider's directory: claims of each user from directory.json, read at every token, so a test
changes a user's roles between two sign-ins. `"tamper"` in the same file makes the provider issue one kind
of bad ID token through its real flow, to show that the application refuses it:
  bad_signature   signed by a key that is not in the JWKS, under the real key's kid
  wrong_audience  aud is another client
  expired         exp (and iat) an hour ago, past any leeway
  wrong_nonce     a nonce other than the one the application sent
A token request with a client assertion (private_key_jwt) is authenticated by client_assertions.py.
"""

import json
import time

from django.conf import settings
from jwcrypto import jwk, jwt
from oauth2_provider.models import AbstractApplication
from oauth2_provider.oauth2_validators import OAuth2Validator

from tests.oidc_provider.client_assertions import authenticate_client_assertion


def directory() -> dict:
    return json.loads((settings.STATE / "directory.json").read_text())


class DirectoryValidator(OAuth2Validator):
    oidc_claim_scope = None  # every claim below goes into the ID token

    def authenticate_client(self, request, *args, **kwargs):
        if getattr(request, "client_assertion", None) is None:
            return super().authenticate_client(request, *args, **kwargs)  # a client secret
        return self._load_application(authenticate_client_assertion(request), request) is not None

    def get_additional_claims(self, request):
        return dict(directory()["users"][request.user.username])

    def finalize_id_token(self, id_token, token, token_handler, request):
        # django-oauth-toolkit's own method, with the tampering of the module's docstring before signing.
        claims, expiration_time = self.get_id_token_dictionary(token, token_handler, request)
        id_token.update(**claims)
        if "nonce" not in id_token and request.nonce:
            id_token["nonce"] = request.nonce
        tamper = directory().get("tamper")
        key = request.client.jwk_key
        if tamper == "wrong_audience":
            id_token["aud"] = "another-client"
        elif tamper == "expired":
            id_token["exp"], id_token["iat"] = int(time.time()) - 3600, int(time.time()) - 7200
        elif tamper == "wrong_nonce":
            id_token["nonce"] = "not-the-nonce-that-was-sent"
        elif tamper == "bad_signature":
            key = jwk.JWK.generate(kty="RSA", size=2048)
        header = {"typ": "JWT", "alg": request.client.algorithm}
        if request.client.algorithm == AbstractApplication.RS256_ALGORITHM:
            header["kid"] = request.client.jwk_key.thumbprint()
        jwt_token = jwt.JWT(header=json.dumps(header, default=str), claims=json.dumps(id_token, default=str))
        jwt_token.make_signed_token(key)
        id_token = self._save_id_token(id_token["jti"], request, expiration_time)
        request.access_token = id_token
        request.id_token = id_token
        return jwt_token.serialize()
