"""The transactional outbox: every piece of background work is a row written in the same
transaction as the change that needs it, then handed to the broker by a relay that retries until
the broker takes it. The bottom app: accounts and everything above it queue work through it, and
it imports none of them (tasks are named by their dotted path)."""
