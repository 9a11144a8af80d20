"""Schemathesis extension hooks (SCHEMATHESIS_HOOKS=tests.support.schemathesis_hooks): a PDF request body
is sent as the raw bytes it generates, as for application/octet-stream."""
import schemathesis

schemathesis.serializer.alias("application/pdf", "application/octet-stream")
