"""Serialise a fitted LeadScorer to bytes and load it back only if its sha256 matches.

The bytes are a pickle, and unpickling runs code: only the system may write them. The Odoo side keeps the
bytes and their hash in system-only fields (no user group can write them) and stores the hash apart from
the bytes; :func:`loads` refuses any bytes whose sha256 differs from the expected one, so bytes altered
after training are never unpickled.
"""

import hashlib
import hmac
import pickle

FORMAT = b"crm_agent_scoring.lead_scorer.v1\n"


class ModelIntegrityError(ValueError):
    """The stored model bytes do not match their recorded hash."""


def dumps(scorer):
    """Return ``(data, sha256_hex)`` for a fitted scorer."""
    data = FORMAT + pickle.dumps(scorer, protocol=pickle.HIGHEST_PROTOCOL)
    return data, hashlib.sha256(data).hexdigest()


def loads(data, expected_sha256):
    """Load a scorer after checking ``sha256(data) == expected_sha256``; raise ModelIntegrityError if not."""
    if not expected_sha256:
        raise ModelIntegrityError("no expected hash given: refusing to load model bytes")
    actual = hashlib.sha256(data).hexdigest()
    if not hmac.compare_digest(actual, str(expected_sha256).lower()):
        raise ModelIntegrityError("model bytes do not match their sha256: refusing to load")
    if not data.startswith(FORMAT):
        raise ModelIntegrityError("not a lead scorer produced by this engine")
    return pickle.loads(data[len(FORMAT) :])  # noqa: S301 - hash checked above, bytes written by the system only
