from pathlib import Path

from flask import Flask
from pdf2image import convert_from_path, pdfinfo_from_path

app = Flask(__name__)
SAMPLE = Path(__file__).with_name("invoice.pdf")


@app.route("/")
def index():
    info = pdfinfo_from_path(SAMPLE)
    pages = convert_from_path(SAMPLE, dpi=100)
    w, h = pages[0].size
    return f"{SAMPLE.name}: {info['Pages']} page(s), first page rendered at {w}x{h} px by poppler\n"
