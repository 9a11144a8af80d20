"""Schemathesis extension hooks (SCHEMATHESIS_HOOKS=tests.support.schemathesis_hooks): a PDF request body
is sent as the raw bytes it generates, as for application/octet-stream; and when the test names a real
copy and dossier (ST_VERIFY_CODE, ST_DOSSIER_CODE), every other generated `code` becomes that one, so the
200 answers are checked against the document too, not only the 404s."""
import os

import schemathesis
from hypothesis import strategies as st

schemathesis.serializer.alias("application/pdf", "application/octet-stream")


@schemathesis.hook
def flatmap_path_parameters(context, path_parameters):
    path = context.operation.path if context.operation is not None else ""
    real = os.environ.get("ST_VERIFY_CODE" if path.startswith("/copies/") else "ST_DOSSIER_CODE")
    if not real or not path_parameters or "code" not in path_parameters:
        return st.just(path_parameters)
    return st.sampled_from([path_parameters, {**path_parameters, "code": real}])
