"""Reading articles: bad input through the real `kg build`, legacy encodings, saved web pages."""
from __future__ import annotations

import inspect
import os
import random
import threading
from pathlib import Path

import pytest

from graph.errors import InputError
from graph.text.read import MAX_SIZE, read_document, read_text

# ------------------------------------------------------------------------------- bad input

_RNG = random.Random(20231126)
# 0xFF is a lead byte in none of UTF-8, GB18030 and Big5; the random tail is high bytes only.
UNDECODABLE = b"\xff\xfe\xfa" * 50 + bytes(_RNG.randrange(0x80, 0x100) for _ in range(400))
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00"


def _missing(tmp: Path) -> Path:
    return tmp / "no-such-article.txt"


def _folder_without_articles(tmp: Path) -> Path:
    # A folder is read recursively for .txt/.html/.htm files (tests/test_ingest.py); one with
    # none of them is bad input.
    path = tmp / "articles"
    path.mkdir()
    (path / "inside.pdf").write_text("谷歌发布新模型。\n", encoding="utf-8")
    return path


def _file(name: str, data: bytes):
    def make(tmp: Path) -> Path:
        path = tmp / name
        path.write_bytes(data)
        return path
    return make


BAD_INPUTS = {
    "missing": _missing,
    "folder-without-articles": _folder_without_articles,
    "empty": _file("empty.txt", b""),
    "whitespace": _file("blank.txt", b"  \n\t \r\n   \n\n"),
    "unicode-whitespace": _file("blank-cjk.txt", "\ufeff\u3000 \n\u3000\u3000\r\n".encode("utf-8")),
    "binary": _file("image.txt", PNG_HEADER + b"\x00" * 64 + bytes(range(256)) * 4),
    "undecodable": _file("garbled.txt", UNDECODABLE),
}


def test_undecodable_bytes_decode_in_none_of_the_supported_encodings():
    for encoding in ("utf-8", "utf-8-sig", "gb18030", "big5"):
        with pytest.raises(UnicodeDecodeError):
            UNDECODABLE.decode(encoding)


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _assert_one_line_error(proc, input_path: Path) -> None:
    assert proc.returncode == 2, f"exit {proc.returncode}, stderr:\n{proc.stderr}"
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and proc.stderr.endswith("\n"), f"want one line on stderr, got:\n{proc.stderr}"
    assert lines[0].startswith("kg: error:"), lines[0]
    assert input_path.name in lines[0], f"the message should name the input: {lines[0]}"


@pytest.mark.parametrize("case", BAD_INPUTS, ids=list(BAD_INPUTS))
def test_bad_input_is_a_one_line_error_and_writes_nothing(case, tmp_path, run_kg):
    src = BAD_INPUTS[case](_mkdir(tmp_path / "in"))
    out_dir = _mkdir(tmp_path / "out")
    out = out_dir / "graph.trig"

    proc = run_kg("build", src, "-o", out, cwd=tmp_path)

    _assert_one_line_error(proc, src)
    assert not out.exists(), f"{out} was created for bad input"
    assert list(out_dir.iterdir()) == [], f"stray files left behind: {list(out_dir.iterdir())}"


@pytest.mark.parametrize("case", BAD_INPUTS, ids=list(BAD_INPUTS))
def test_bad_input_leaves_an_existing_output_untouched(case, tmp_path, run_kg):
    src = BAD_INPUTS[case](_mkdir(tmp_path / "in"))
    out_dir = _mkdir(tmp_path / "out")
    out = out_dir / "graph.trig"
    previous = "# graph from an earlier build\n<urn:a> <urn:b> \"谷歌\" .\n".encode("utf-8")
    out.write_bytes(previous)

    proc = run_kg("build", src, "-o", out, cwd=tmp_path)

    _assert_one_line_error(proc, src)
    assert out.read_bytes() == previous, "an existing output was changed by a failed build"
    assert sorted(p.name for p in out_dir.iterdir()) == ["graph.trig"], "stray files left behind"


# ------------------------------------------------------------------------------- encodings

# Traditional characters, so that one text has a Big5 form as well as a GB18030 one.
TRADITIONAL = (
    "百度與谷歌加碼人工智慧\n"
    "據報導，百度週二在北京發布新一代大型語言模型，並表示將於今年內向企業客戶開放。"
    "谷歌則宣布擴大自研晶片的投資，以降低對外部供應商的依賴。"
    "分析師認為，兩家公司的策略都反映出市場對算力需求的快速成長。\n"
)
SIMPLIFIED = (
    "百度与谷歌加码人工智能\n"
    "据报道，百度周二在北京发布新一代大语言模型，并表示将在今年内向企业客户开放。"
    "谷歌则宣布扩大自研芯片的投资，以降低对外部供应商的依赖。\n"
)
ENCODED = {
    "gb18030-traditional": (TRADITIONAL, TRADITIONAL.encode("gb18030")),
    "big5-traditional": (TRADITIONAL, TRADITIONAL.encode("big5")),
    "utf8-bom-traditional": (TRADITIONAL, TRADITIONAL.encode("utf-8-sig")),
    "gb18030-simplified": (SIMPLIFIED, SIMPLIFIED.encode("gb18030")),
    "gbk-simplified": (SIMPLIFIED, SIMPLIFIED.encode("gbk")),
    "utf8-bom-simplified": (SIMPLIFIED, SIMPLIFIED.encode("utf-8-sig")),
}


def test_legacy_encodings_are_not_utf8():
    """Otherwise the encoding tests below would only exercise the UTF-8 path."""
    for name, (_text, data) in ENCODED.items():
        if "bom" in name:
            assert data.startswith(b"\xef\xbb\xbf")
        else:
            with pytest.raises(UnicodeDecodeError):
                data.decode("utf-8")


@pytest.mark.parametrize("name", ENCODED)
def test_read_text_decodes_each_encoding_to_the_same_text(name):
    text, data = ENCODED[name]
    doc = read_text(data, source=f"{name}.txt")
    assert doc.original == text
    assert doc.title == text.splitlines()[0]


@pytest.mark.parametrize("name", ENCODED)
def test_read_document_decodes_each_encoding_from_a_file(name, tmp_path):
    text, data = ENCODED[name]
    path = tmp_path / f"{name}.txt"
    path.write_bytes(data)
    doc = read_document(path)
    assert doc.original == text
    assert not doc.original.startswith("\ufeff")
    assert doc.source == path.name


def test_gb18030_big5_and_bom_copies_agree():
    decoded = {name: read_text(data).original for name, (_t, data) in ENCODED.items() if "traditional" in name}
    assert len(set(decoded.values())) == 1, decoded


# ------------------------------------------------------------------------------- HTML

PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <title>百度发布新一代文心大模型</title>
  <meta property="og:site_name" content="科技日报网">
  <meta property="article:published_time" content="2024-03-16T09:30:00+08:00">
  <script>var tracker = "SCRIPT_IN_HEAD"; window.ads = ["广告位"];</script>
</head>
<body>
  <nav><a href="/">首页</a> <a href="/ai">NAV_MENU_人工智能频道</a></nav>
  <!-- COMMENT_EDITOR_NOTE: 待审核 -->
  <div class="content">
    <p>3月16日，百度在北京发布了新一代文心大模型，称其中文理解能力超过此前版本。</p>
    <script>document.write("SCRIPT_IN_BODY");</script>
    <p>谷歌此前也发布了同类产品，两家公司在大模型领域竞争激烈。</p>
  </div>
</body>
</html>
"""


@pytest.fixture
def page_doc(tmp_path):
    path = tmp_path / "baidu.html"
    path.write_text(PAGE, encoding="utf-8")
    return read_document(path)


def test_html_keeps_the_article_text(page_doc):
    text = page_doc.original
    assert "3月16日，百度在北京发布了新一代文心大模型，称其中文理解能力超过此前版本。" in text
    assert "谷歌此前也发布了同类产品，两家公司在大模型领域竞争激烈。" in text
    assert "<p>" not in text and "<div" not in text


@pytest.mark.parametrize("hidden", ["SCRIPT_IN_HEAD", "SCRIPT_IN_BODY", "document.write", "广告位",
                                    "NAV_MENU", "首页", "COMMENT_EDITOR_NOTE", "待审核"])
def test_html_drops_scripts_navigation_and_comments(page_doc, hidden):
    assert hidden not in page_doc.original


def test_html_metadata(page_doc):
    assert page_doc.title == "百度发布新一代文心大模型"
    assert page_doc.publisher == "科技日报网"
    assert page_doc.published == "2024-03-16"


# ------------------------------------------------------------------------------- refused before reading

def _refuses(path, **options) -> str:
    """The one-line message read_document refuses `path` with, within seconds (a FIFO must not block)."""
    outcome: list = []
    reader = threading.Thread(target=lambda: outcome.append(_refusal(path, **options)), daemon=True)
    reader.start()
    reader.join(timeout=10)
    assert outcome, f"read_document({path}) did not return within 10 s"
    assert "\n" not in outcome[0] and str(path) in outcome[0], outcome[0]
    return outcome[0]


def _refusal(path, **options) -> str:
    with pytest.raises(InputError) as info:
        read_document(path, **options)
    return str(info.value)


def test_a_file_larger_than_max_size_is_refused(tmp_path):
    path = tmp_path / "long.txt"
    path.write_bytes("谷歌发布新模型。".encode("utf-8") * 10)      # 240 bytes
    assert "240 bytes, more than the 239" in _refuses(path, max_size=239)
    assert read_document(path, max_size=240).original.startswith("谷歌")


def test_the_default_limit_is_generous_and_documented():
    assert MAX_SIZE == 20 * 1024 * 1024
    assert inspect.signature(read_document).parameters["max_size"].default == MAX_SIZE


def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "article.txt"
    os.mkfifo(fifo)
    assert "not a regular file" in _refuses(fifo)


def test_a_device_that_never_ends_is_refused():
    assert "not a regular file" in _refuses(Path("/dev/zero"))


def test_a_link_to_a_device_is_refused(tmp_path):
    link = tmp_path / "article.txt"
    link.symlink_to("/dev/zero")
    assert "not a regular file" in _refuses(link)


def test_an_impossible_publish_date_is_no_date(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE.replace("2024-03-16T09:30:00+08:00", "2023-13-45T09:30:00+08:00"), encoding="utf-8")
    assert read_document(path).published is None
