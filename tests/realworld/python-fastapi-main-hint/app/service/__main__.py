import sys

print(
    "this package is an ASGI app; serve it with:\n"
    "    uvicorn service.api:api --host 0.0.0.0 --port 8000",
    file=sys.stderr,
)
sys.exit(1)
