import os

import uvicorn
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from pingsvc import __version__


async def ping(request):
    return PlainTextResponse(f"pong from pingsvc {__version__}\n")


app = Starlette(routes=[Route("/ping", ping)])


def main():
    uvicorn.run(app, host="0.0.0.0", port=int(os.environ.get("PORT", "9000")))
