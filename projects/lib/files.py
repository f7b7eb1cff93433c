from django.http import FileResponse


def stored_file_response(stored) -> FileResponse:
    """Stream an uploaded file as a download under the user's file name; the caller checked access."""
    response = FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.original_name,
                            content_type=stored.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def pdf_response(field, filename: str) -> FileResponse:
    """Stream a generated PDF (a FileField) as a download; the caller checked access."""
    response = FileResponse(field.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
