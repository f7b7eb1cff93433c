"""The renderer of a binary download (a highlight report's PDF): the file itself is streamed past it (a
FileResponse); only a refusal goes through it, as problem details in JSON like every other refusal."""

from rest_framework.renderers import BaseRenderer, JSONRenderer


class PdfRenderer(BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return JSONRenderer().render(data, "application/json", renderer_context)
