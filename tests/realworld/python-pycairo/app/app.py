import io

import cairo
from flask import Flask, Response

app = Flask(__name__)


def badge(text: str) -> bytes:
    surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, 160, 40)
    ctx = cairo.Context(surface)
    ctx.set_source_rgb(0.1, 0.4, 0.7)
    ctx.rectangle(0, 0, 160, 40)
    ctx.fill()
    ctx.set_source_rgb(1, 1, 1)
    ctx.select_font_face("sans-serif")
    ctx.set_font_size(16)
    ctx.move_to(10, 26)
    ctx.show_text(text)
    out = io.BytesIO()
    surface.write_to_png(out)
    return out.getvalue()


@app.route("/")
def index():
    png = badge("passing")
    return f"drew a 160x40 badge ({len(png)} bytes of PNG) with pycairo {cairo.version} on cairo {cairo.cairo_version_string()}\n"


@app.route("/badge.png")
def badge_png():
    return Response(badge("passing"), mimetype="image/png")
