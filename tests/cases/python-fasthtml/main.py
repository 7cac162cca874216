from fasthtml.common import *

app, rt = fast_app()


@rt("/")
def get():
    return Titled("FastHTML", P("Let's ship this!"))


serve()
