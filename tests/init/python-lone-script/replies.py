def reply(message):
    return {"ping": "pong"}.get(message, "?")
