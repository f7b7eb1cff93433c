"""The API's plumbing, shared by every resource: authentication and scopes, problem details, cursor
pagination, rate limits, ETags and idempotency keys, the language of the answer. Resources are built
from api.framework.base (see its docstring)."""
