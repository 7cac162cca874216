import io

from flask import Flask
from pydub.generators import Sine

app = Flask(__name__)


@app.route("/")
def index():
    tone = Sine(440).to_audio_segment(duration=1000)
    buf = io.BytesIO()
    tone.export(buf, format="mp3", bitrate="64k")
    return f"encoded {len(tone)} ms of 440 Hz to mp3 with ffmpeg: {len(buf.getvalue())} bytes\n"
