"""Uploaded evidence (issue 4, point 6): type by content, limits, refusals in plain words, and
metadata really gone — read back with pikepdf, with Pillow and by parsing the files' own
structure. Every file is made here, with fictional content."""

from __future__ import annotations

import io
import struct
import zlib

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String
from PIL import ExifTags, Image, ImageCms

from refugio.errors import RefugioError, UploadError
from refugio.uploads import MAX_BYTES, Checked, Kind, inspect, server_name

CANARIES = (
    b"FICTIONAL-AUTHOR",
    b"FICTIONAL-XMP",
    b"FICTIONAL-SCRIPT",
    b"FICTIONAL-EMBEDDED",
    b"fictional.example",
    b"FICTIONAL-COMMENT",
    b"FICTIONAL-IPTC",
    b"FictionalPhone",
)


# --- files made for the tests -------------------------------------------------------------------


def plain_pdf(pages: int = 1, text: bytes = b"Fictional evidence page") -> pikepdf.Pdf:
    pdf = pikepdf.new()
    for _ in range(pages):
        page = pdf.add_blank_page()
        font = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
        page.Resources = Dictionary(Font=Dictionary(F1=font))
        page.Contents = pdf.make_stream(b"BT /F1 12 Tf 72 720 Td (" + text + b") Tj ET")
    return pdf


def to_bytes(pdf: pikepdf.Pdf, **options: object) -> bytes:
    out = io.BytesIO()
    pdf.save(out, **options)  # type: ignore[arg-type]
    return out.getvalue()


def loaded_pdf() -> bytes:
    """A PDF with everything that must go: Info, XMP, JavaScript on open and in the name tree,
    an embedded file, a file attachment annotation, a link to a web address, a launch action
    and an automatic page action."""
    pdf = plain_pdf(pages=2)
    pdf.trailer.Info = pdf.make_indirect(
        Dictionary(Author=String("FICTIONAL-AUTHOR Ana Example"), Creator=String("Scanner"))
    )
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
        xmp["dc:creator"] = ["FICTIONAL-XMP Ana Example"]
    script = Dictionary(S=Name.JavaScript, JS=String("app.alert('FICTIONAL-SCRIPT')"))
    pdf.Root.OpenAction = pdf.make_indirect(script)
    pdf.Root.Names = Dictionary(
        JavaScript=Dictionary(Names=Array([String("init"), pdf.make_indirect(script)]))
    )
    pdf.attachments["notes.txt"] = pikepdf.AttachedFileSpec(pdf, b"FICTIONAL-EMBEDDED notes")
    page = pdf.pages[0]
    page.AA = Dictionary(O=Dictionary(S=Name.JavaScript, JS=String("FICTIONAL-SCRIPT 2")))
    link = Dictionary(
        Type=Name.Annot,
        Subtype=Name.Link,
        Rect=Array([0, 0, 100, 20]),
        A=Dictionary(S=Name.URI, URI=String("https://tracker.fictional.example/seen")),
    )
    launch = Dictionary(
        Type=Name.Annot,
        Subtype=Name.Link,
        Rect=Array([0, 30, 100, 50]),
        A=Dictionary(S=Name.Launch, F=String("FICTIONAL-SCRIPT.exe")),
    )
    attached = pikepdf.AttachedFileSpec(pdf, b"FICTIONAL-EMBEDDED in an annotation")
    clip = Dictionary(
        Type=Name.Annot,
        Subtype=Name.FileAttachment,
        Rect=Array([0, 60, 20, 80]),
        FS=attached.obj,
    )
    page.Annots = Array([pdf.make_indirect(a) for a in (link, launch, clip)])
    return to_bytes(pdf)


def everything_in(data: bytes) -> bytes:
    """Every object the file holds — referenced or not — with every stream decoded, so that a
    text search sees it all."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        parts = [pdf.trailer.unparse()]
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                parts.append(obj.read_bytes())
            if isinstance(obj, pikepdf.Object):
                parts.append(obj.unparse(resolved=True))
        return b"\n".join(parts)


def iptc_segment(text: bytes) -> bytes:
    """An APP13 (Photoshop) segment holding one IPTC By-line record."""
    record = b"\x1c\x02\x50" + struct.pack(">H", len(text)) + text
    record += b"\x00" * (len(record) % 2)
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(record)) + record
    body = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + struct.pack(">H", len(body) + 2) + body


def phone_photo() -> bytes:
    """A JPEG as a phone makes it: rotated by EXIF, with the camera, a GPS position, XMP, IPTC,
    a comment and a colour profile."""
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "FictionalPhone"
    exif[ExifTags.Base.Orientation] = 6  # to be turned 90° clockwise
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (12.0, 34.0, 56.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (65.0, 43.0, 21.0)
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    image.save(
        out,
        "JPEG",
        exif=exif,
        comment=b"FICTIONAL-COMMENT",
        xmp=b"<x:xmpmeta>FICTIONAL-XMP</x:xmpmeta>",
        icc_profile=srgb,
    )
    data = out.getvalue()
    return data[:2] + iptc_segment(b"FICTIONAL-IPTC photographer") + data[2:]


def png_with_metadata() -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "FICTIONAL-AUTHOR")
    info.add_text("Comment", "FICTIONAL-COMMENT " * 20, zip=True)
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>FICTIONAL-XMP</x:xmpmeta>")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "FictionalPhone"
    out = io.BytesIO()
    Image.new("RGBA", (30, 20), (0, 90, 200, 128)).save(out, "PNG", pnginfo=info, exif=exif)
    return out.getvalue()


def jpeg_segments(data: bytes) -> list[int]:
    """The marker of each segment before the image data (0xE1 APP1 = EXIF or XMP, 0xED APP13 =
    IPTC, 0xFE = comment, 0xE2 APP2 = colour profile), read by hand, not by Pillow."""
    assert data[:2] == b"\xff\xd8"
    markers, at = [], 2
    while data[at + 1] != 0xDA:  # start of scan: compressed pixels follow
        markers.append(data[at + 1])
        at += 2 + struct.unpack(">H", data[at + 2 : at + 4])[0]
    return markers


def png_chunks(data: bytes) -> list[bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        chunks.append(data[at + 4 : at + 8])
        at += 12 + length
    return chunks


def png_chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body)
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def png_bomb(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge picture."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
        + png_chunk(b"IEND", b"")
    )


def refusal(data: bytes, name: str = "upload.bin", **limits: int) -> str:
    with pytest.raises(UploadError) as caught:
        inspect(data, name, **limits)
    return str(caught.value)


# --- type, size, names --------------------------------------------------------------------------


def test_it_decides_the_type_by_content_whatever_the_extension_says() -> None:
    assert inspect(to_bytes(plain_pdf()), "holiday.jpg").kind is Kind.PDF
    assert inspect(phone_photo(), "statement.pdf").kind is Kind.JPEG
    assert inspect(png_with_metadata(), "photo.jpeg").kind is Kind.PNG


def test_it_refuses_a_file_of_another_type_even_named_pdf() -> None:
    word = b"PK\x03\x04" + b"\x00" * 200  # what a .docx starts with
    message = refusal(word, "statement.pdf")
    assert message.startswith("This file is not a PDF, a JPEG or a PNG image.")
    assert "Word document as PDF" in message


def test_it_refuses_an_empty_file() -> None:
    assert refusal(b"") == "This file is empty: choose the file again and upload it."


def test_it_refuses_a_file_over_the_default_limit_of_20_mb() -> None:
    message = refusal(b"%PDF-1.7\n" + b"\x00" * MAX_BYTES)
    assert message.startswith("This file is too big (20 MB; the limit is 20 MB)")
    assert MAX_BYTES == 20 * 1024 * 1024


def test_the_size_limit_is_a_parameter() -> None:
    pdf = to_bytes(plain_pdf())
    assert "the limit is" in refusal(pdf, max_bytes=len(pdf) - 1)
    assert inspect(pdf, "a.pdf", max_bytes=len(pdf)).kind is Kind.PDF


def test_upload_error_is_a_refugio_error() -> None:
    assert issubclass(UploadError, RefugioError)


def test_nothing_of_the_users_file_name_is_kept() -> None:
    checked = inspect(to_bytes(plain_pdf()), "asylum-FICTIONAL-NAME.pdf")
    assert "FICTIONAL-NAME" not in repr(checked)
    assert set(vars(checked)) == {"kind", "data"}
    assert "data" not in repr(checked)  # the bytes never reach a log through a repr
    assert Kind.PDF.download_name == "document.pdf"


def test_server_names_are_random_and_128_bits() -> None:
    names = {server_name() for _ in range(1000)}
    assert len(names) == 1000
    assert all(len(n) == 32 and int(n, 16) >= 0 for n in names)


# --- PDF ----------------------------------------------------------------------------------------


def test_it_refuses_a_password_protected_pdf() -> None:
    locked = to_bytes(plain_pdf(), encryption=pikepdf.Encryption(user="fictional", owner="o"))
    assert refusal(locked) == (
        "This PDF is password-protected: remove the password and upload it again."
    )


def test_it_removes_a_restriction_on_printing_and_keeps_the_pages() -> None:
    restricted = to_bytes(
        plain_pdf(pages=3),
        encryption=pikepdf.Encryption(
            user="", owner="fictional", allow=pikepdf.Permissions(print_highres=False)
        ),
    )
    cleaned = inspect(restricted, "bank.pdf").data
    with pikepdf.open(io.BytesIO(cleaned)) as pdf:
        assert not pdf.is_encrypted
        assert len(pdf.pages) == 3


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda d: d[: len(d) // 2], id="cut in half"),
        pytest.param(lambda d: d[:-40], id="end cut off"),
        pytest.param(lambda d: b"%PDF-1.7\nnot a pdf at all\n%%EOF\n", id="garbage"),
        pytest.param(lambda d: to_bytes(pikepdf.new()), id="no pages"),
    ],
)
def test_it_refuses_a_damaged_pdf(damage: object) -> None:
    data = damage(to_bytes(plain_pdf(pages=3)))  # type: ignore[operator]
    assert refusal(data).startswith("This PDF is damaged and cannot be read completely")


def test_it_strips_metadata_scripts_embedded_files_and_outside_actions() -> None:
    loaded = loaded_pdf()
    assert all(c in everything_in(loaded) for c in CANARIES[:5])  # the test file has them
    cleaned = inspect(loaded, "evidence.pdf").data
    with pikepdf.open(io.BytesIO(cleaned)) as pdf:
        assert "/Info" not in pdf.trailer
        assert {"/Metadata", "/OpenAction", "/AA"} & set(pdf.Root.keys()) == set()
        names = pdf.Root.get("/Names", Dictionary())
        assert "/JavaScript" not in names and "/EmbeddedFiles" not in names
        assert len(pdf.attachments) == 0
        first = pdf.pages[0]
        assert "/AA" not in first
        annots = list(first.get("/Annots", Array()))
        assert [str(a.Subtype) for a in annots] == ["/Link", "/Link"]  # the clip is gone
        assert all("/A" not in a for a in annots)  # the web address and the launch too
        assert len(pdf.pages) == 2
    dump = everything_in(cleaned)
    assert [c for c in CANARIES if c in dump] == []
    assert b"Fictional evidence page" in dump  # the content itself stays


def incremental_update(original: bytes, new_text: bytes) -> bytes:
    """``original`` with an incremental update appended, as an editor saves a change: the
    first page gets a new content stream, and the old one stays in the file, unreferenced."""
    with pikepdf.open(io.BytesIO(original)) as pdf:
        page = pdf.pages[0].obj
        contents = b"BT /F1 12 Tf 72 720 Td (" + new_text + b") Tj ET"
        page.Contents = pdf.make_indirect(pdf.make_stream(contents))
        page_number, new = page.objgen[0], page.Contents.objgen[0]
        root, page_text = pdf.Root.objgen[0], page.unparse(resolved=True)
    previous = int(original[original.rindex(b"startxref") + 9 :].split()[0])
    stream_at = len(original)
    stream = (
        f"{new} 0 obj\n<< /Length {len(contents)} >>\nstream\n".encode()
        + contents
        + b"\nendstream\nendobj\n"
    )
    page_at = stream_at + len(stream)
    page_obj = f"{page_number} 0 obj\n".encode() + page_text + b"\nendobj\n"
    xref_at = page_at + len(page_obj)
    xref = (
        f"xref\n0 1\n0000000000 65535 f \n{page_number} 1\n{page_at:010d} 00000 n \n"
        f"{new} 1\n{stream_at:010d} 00000 n \n"
        f"trailer\n<< /Size {new + 1} /Root {root} 0 R /Prev {previous} >>\n"
        f"startxref\n{xref_at}\n%%EOF\n"
    ).encode()
    return original + stream + page_obj + xref


def test_it_keeps_only_the_last_revision_of_an_edited_pdf() -> None:
    first = to_bytes(plain_pdf(text=b"Fictional first draft"), compress_streams=False)
    edited = incremental_update(first, b"Final")
    assert b"Fictional first draft" in edited  # still in the file the user has
    with pikepdf.open(io.BytesIO(edited), attempt_recovery=False) as pdf:
        assert b"Final" in pdf.pages[0].Contents.read_bytes()  # a valid update
    dump = everything_in(inspect(edited, "edited.pdf").data)
    assert b"Fictional first draft" not in dump
    assert b"(Final)" in dump


def test_it_drops_what_came_before_the_pdf_header() -> None:
    cleaned = inspect(b"JUNK-BEFORE-HEADER\n" + to_bytes(plain_pdf()), "scan.pdf").data
    assert cleaned.startswith(b"%PDF-")
    assert b"JUNK-BEFORE-HEADER" not in cleaned


def test_it_keeps_a_page_xmp_of_an_image_out_too() -> None:
    pdf = plain_pdf()
    image = pdf.make_stream(b"\xff\x00\x00", Type=Name.XObject, Subtype=Name.Image)
    image.Width, image.Height, image.BitsPerComponent = 1, 1, 8
    image.ColorSpace = Name.DeviceRGB
    image.Metadata = pdf.make_stream(b"<x:xmpmeta>FICTIONAL-XMP camera</x:xmpmeta>")
    pdf.pages[0].Resources.XObject = Dictionary(Im1=image)
    cleaned = inspect(to_bytes(pdf), "scan.pdf").data
    assert b"FICTIONAL-XMP" not in everything_in(cleaned)


# --- images -------------------------------------------------------------------------------------


def test_a_phone_photo_loses_gps_exif_xmp_iptc_comment_and_profile() -> None:
    photo = phone_photo()
    assert {0xE1, 0xED, 0xFE, 0xE2} <= set(jpeg_segments(photo))  # the test file has them all
    cleaned = inspect(photo, "IMG_0001.JPG").data
    assert set(jpeg_segments(cleaned)) & {0xE1, 0xE2, 0xED, 0xFE} == set()
    assert [c for c in CANARIES if c in cleaned] == []
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.format == "JPEG"
        assert len(image.getexif()) == 0
        assert "icc_profile" not in image.info and "comment" not in image.info
        assert image.size == (48, 64)  # the EXIF rotation was applied to the pixels
        red, green, blue = image.convert("RGB").getpixel((24, 32))  # type: ignore[misc]
        assert red > 180 and green < 60 and blue < 60


def test_a_png_keeps_only_its_pixels() -> None:
    png = png_with_metadata()
    assert {b"tEXt", b"zTXt", b"iTXt", b"eXIf"} <= set(png_chunks(png))
    cleaned = inspect(png, "screenshot.png").data
    assert set(png_chunks(cleaned)) <= {b"IHDR", b"PLTE", b"tRNS", b"pHYs", b"IDAT", b"IEND"}
    assert [c for c in CANARIES if c in cleaned] == []
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.mode == "RGBA" and image.getpixel((5, 5)) == (0, 90, 200, 128)


def test_bytes_hidden_after_an_image_are_dropped() -> None:
    polyglot = phone_photo() + b"PK\x03\x04FICTIONAL-EMBEDDED archive"
    cleaned = inspect(polyglot, "photo.jpg").data
    assert b"FICTIONAL-EMBEDDED" not in cleaned and b"PK\x03\x04" not in cleaned


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(phone_photo()[:400], id="truncated JPEG"),
        pytest.param(png_with_metadata()[:60], id="truncated PNG"),
        pytest.param(b"\xff\xd8\xff\xe0" + b"\x00" * 100, id="JPEG header only"),
    ],
)
def test_it_refuses_an_image_that_does_not_decode(data: bytes) -> None:
    assert refusal(data) == (
        "This image cannot be read: it may be damaged or incomplete. Take or export it again "
        "and upload it."
    )


def test_it_refuses_a_decompression_bomb_before_decoding_it() -> None:
    message = refusal(png_bomb(100_000, 100_000))  # 10 billion pixels in a few hundred bytes
    assert message == (
        "This image has too many pixels (the limit is 50 million): resize it and upload it again."
    )


def test_the_pixel_limit_is_a_parameter() -> None:
    assert "too many pixels" in refusal(png_with_metadata(), max_pixels=30 * 20 - 1)
    assert inspect(png_with_metadata(), "a.png", max_pixels=30 * 20).kind is Kind.PNG


def test_it_refuses_an_animated_png() -> None:
    out = io.BytesIO()
    frames = [Image.new("RGB", (8, 8), c) for c in ("red", "blue")]
    frames[0].save(out, "PNG", save_all=True, append_images=frames[1:])
    assert refusal(out.getvalue()) == "This image is animated: upload a still image."


def test_checked_is_what_inspect_returns() -> None:
    checked = inspect(png_with_metadata(), "a.png")
    assert isinstance(checked, Checked) and checked.data.startswith(b"\x89PNG")
