from flask import Flask, Response
from lxml import etree

app = Flask(__name__)

STYLESHEET = etree.XSLT(
    etree.XML(
        b"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="text"/>
  <xsl:template match="/greeting">Hello from <xsl:value-of select="@from"/> (libxslt)</xsl:template>
</xsl:stylesheet>"""
    )
)


@app.route("/")
def index():
    result = STYLESHEET(etree.XML(b'<greeting from="XSLT"/>'))
    linked = ".".join(map(str, etree.LIBXML_VERSION))
    compiled = ".".join(map(str, etree.LIBXML_COMPILED_VERSION))
    return Response(f"{result}; lxml {etree.__version__}, libxml2 {linked} (built against {compiled})\n", mimetype="text/plain")
