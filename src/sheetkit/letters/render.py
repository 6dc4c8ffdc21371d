"""Rendering letters with docxtpl — the only module that imports it.

A `LetterTemplate` reads a template's bytes once, lets docxtpl clean its XML
(`patch_xml`: tags split by Word, `{%tr %}` rows) and compiles the Jinja template once.
Each letter is then one Jinja render of the body, docxtpl's post-processing
(`resolve_listing`, `fix_tables`) and a zip written from the in-memory copy of the
template's other parts — the same steps as `DocxTemplate.render` + `save`, without
re-reading, re-parsing and re-compiling the template for every row.

The Jinja environment is sandboxed (templates may come from users), escapes every value
(a name with `&`, `<`, `>` renders as text) and refuses undefined variables. A template
is untrusted (`letters.template_guard`): its package is checked before it is opened (no
external relationships, bounded part sizes, no DTD), `include`/`import`/`extends` are
refused, `range` and `*`/`**` are bounded, and letters are rendered in a child process
with a budget of time and memory (`render_many`). `templates check` runs the same checks
and one trial render (`template_problems`).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import jinja2
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from sheetkit.errors import TemplateError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = "{%s}" % W
HEADER_FOOTER = re.compile(r"^word/(header|footer)\d*\.xml$")
_TAG = re.compile(r"<[^>]+>")


MAX_RANGE = 1_000  # items of range() in a template
MAX_RESULT = 1_000_000  # characters or items a `*` in a template may make; digits of a `**`
RENDER_MEMORY = 1 << 30  # address space for rendering, above what the child starts with
RENDER_SECONDS = 30.0  # for a template's letters, plus RENDER_SECONDS_EACH per letter
RENDER_SECONDS_EACH = 1.0


class LetterEnvironment(SandboxedEnvironment):
    """The sandbox, with `range` and the operators that make large values bounded."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, **kw):
        super().__init__(**kw)
        self.globals["range"] = _bounded_range

    def call_binop(self, context, operator, left, right):
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > MAX_RESULT:
                    raise jinja2.exceptions.SecurityError(f"“*”的结果过大（超过 {MAX_RESULT:,}）")
        if operator == "**" and isinstance(left, (int, float)) and isinstance(right, (int, float)):
            import math

            if abs(left) > 1 and right * math.log10(abs(left)) > 1_000:
                raise jinja2.exceptions.SecurityError("“**”的结果过大")
        return super().call_binop(context, operator, left, right)


def _bounded_range(*args):
    r = range(*args)
    if len(r) > MAX_RANGE:
        raise jinja2.exceptions.SecurityError(f"range 的长度超过上限 {MAX_RANGE}")
    return r


def environment() -> SandboxedEnvironment:
    """The Jinja environment every letter is rendered with (no loader: nothing outside the
    template can be included)."""
    return LetterEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)


_REFUSED_NODES = {"Include": "include", "Import": "import", "FromImport": "from … import", "Extends": "extends"}


def refused_tags(env, src: str) -> list[str]:
    """`include`, `import`, `extends` in a template's source: a template is one file."""
    from jinja2 import nodes

    out = []
    for node in env.parse(src).find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
        out.append(_REFUSED_NODES[type(node).__name__])
    return out


def paragraph_text(xml_lines: list[str], lineno: int | None, around: int = 1) -> str:
    """The text of the paragraphs around Jinja line ``lineno`` (one paragraph a line)."""
    if not lineno:
        return ""
    lo, hi = max(lineno - 1 - around, 0), lineno + around
    texts = [_TAG.sub("", line).strip() for line in xml_lines[lo:hi]]
    return " / ".join(t for t in texts if t)


@dataclass
class _Part:
    name: str  # zip entry name
    template: jinja2.Template
    head: str  # XML before the rendered part (document.xml: up to <w:body>)
    tail: str


class LetterTemplate:
    """One .docx template, compiled once, rendered many times."""

    def __init__(self, source: str | Path | bytes, label: str | None = None):
        from sheetkit.letters.template_guard import check_package

        data = source if isinstance(source, bytes) else Path(source).read_bytes()
        self.label = label or (str(source) if not isinstance(source, bytes) else "模板")
        problems = check_package(data)
        if problems:
            raise TemplateError(f"模板“{self.label}”不能使用：{problems[0]}")
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                self._entries = [(info, z.read(info.filename)) for info in z.infolist()]
        except zipfile.BadZipFile as exc:
            raise TemplateError(f"模板“{self.label}”不是有效的 .docx 文件") from exc
        self._tpl = DocxTemplate(io.BytesIO(data))
        try:
            self._tpl.init_docx()
        except Exception as exc:  # python-docx raises several kinds on a broken package
            raise TemplateError(f"模板“{self.label}”无法打开：{exc}") from exc
        self.env = environment()
        self._parts: dict[str, _Part] = {}
        self._sources: dict[str, str] = {}
        self._base: bytes | None = None
        self._compile_document()
        self._compile_headers_footers()

    # ---------------------------------------------------------------- compile once
    def _compile(self, name: str, xml: str) -> jinja2.Template:
        src = self._tpl.patch_xml(xml)
        src = re.sub(r"<w:p([ >])", r"\n<w:p\1", src)
        self._sources[name] = src
        try:
            refused = refused_tags(self.env, src)
            if refused:
                raise TemplateError(f"模板“{self.label}”使用了 {'、'.join(sorted(set(refused)))}：模板须自成一体，"
                                    "不能引用其他文件，已拒绝")
            return self.env.from_string(src)
        except jinja2.TemplateSyntaxError as exc:
            around = paragraph_text(src.splitlines(), exc.lineno)
            raise TemplateError(f"模板“{self.label}”有语法错误：{exc.message}；位置附近的文字：“{around}”") from exc

    def _compile_document(self) -> None:
        root = self._tpl.docx._element
        body = root.body
        body_xml = self._tpl.xml_to_string(body)
        marker = etree.SubElement(etree.Element("x"), "sheetkit-body")
        # serialise the document with the body swapped for a marker, then split there
        root.replace(body, marker)
        whole = etree.tostring(root, encoding="unicode")
        root.replace(marker, body)
        head, tail = whole.split("<sheetkit-body/>")
        head = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n" + head
        self._parts["word/document.xml"] = _Part("word/document.xml", self._compile("word/document.xml", body_xml),
                                                 head, tail)

    def _compile_headers_footers(self) -> None:
        for info, data in self._entries:
            if HEADER_FOOTER.match(info.filename):
                xml = data.decode("utf-8")
                if "{{" in xml or "{%" in xml or "{#" in xml:
                    body = re.sub(r"^<\?xml[^>]*\?>\s*", "", xml)
                    decl = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
                    self._parts[info.filename] = _Part(info.filename, self._compile(info.filename, body), decl, "")

    # ---------------------------------------------------------------- introspection
    def variables(self) -> set[str]:
        """Names the template uses that it does not define itself."""
        from jinja2 import meta

        names: set[str] = set()
        for src in self._sources.values():
            names |= meta.find_undeclared_variables(self.env.parse(src))
        return names

    # ---------------------------------------------------------------- render many
    def render_parts(self, context: dict) -> dict[str, str]:
        """The rendered XML of each templated part (entry name → XML text)."""
        from sheetkit.letters import layout

        context = {**layout.LAYOUT_DEFAULTS, **context}
        out = {}
        for name, part in self._parts.items():
            try:
                xml = part.template.render(context)
            except jinja2.exceptions.SecurityError as exc:
                raise TemplateError(f"模板“{self.label}”使用了不允许的操作（{exc}），已拒绝渲染") from exc
            except jinja2.UndefinedError as exc:
                raise TemplateError(f"模板“{self.label}”使用了未提供的变量：{exc.message}") from exc
            except jinja2.TemplateError as exc:
                raise TemplateError(f"模板“{self.label}”渲染出错：{exc}") from exc
            except (TypeError, ValueError, ArithmeticError, LookupError, RecursionError) as exc:
                raise TemplateError(f"模板“{self.label}”渲染出错（{type(exc).__name__}），请检查模板中的表达式") from exc
            xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
            xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
            xml = self._tpl.resolve_listing(xml)
            if name == "word/document.xml":
                tree = self._tpl.fix_tables(xml)
                layout.apply(tree, context)  # title lines, 署名 over 成文日期
                xml = etree.tostring(tree, encoding="unicode")
            out[name] = part.head + xml + part.tail
        return out

    def render_many(self, contexts: list[dict]) -> list[dict[str, str]]:
        """`render_parts` of each context, in a child process with a budget of memory
        (`RENDER_MEMORY`) and time (`RENDER_SECONDS` + `RENDER_SECONDS_EACH` a letter): a
        template that loops or grows without end is refused, and nothing is written."""
        from sheetkit.register.isolate import ChildFailed, call

        seconds = RENDER_SECONDS + RENDER_SECONDS_EACH * len(contexts)
        try:
            return call(_render_all, self, contexts, memory=RENDER_MEMORY, seconds=seconds)
        except ChildFailed as exc:
            raise TemplateError(f"模板“{self.label}”渲染{exc}（时间上限 {seconds:.0f} 秒、内存上限 "
                                f"{RENDER_MEMORY >> 20} MB）；请检查模板中的循环和表达式") from None
        except MemoryError:
            raise TemplateError(f"模板“{self.label}”渲染所需内存过大，已中止") from None

    def render(self, context: dict) -> bytes:
        """One letter as .docx bytes."""
        return self.package(self.render_parts(context))

    def package(self, parts: dict[str, str]) -> bytes:
        """A .docx of the template's untouched parts (compressed once, copied as bytes)
        plus the rendered ``parts``."""
        if self._base is None:
            base = io.BytesIO()
            with zipfile.ZipFile(base, "w", zipfile.ZIP_DEFLATED) as z:
                for info, data in self._entries:
                    if info.filename not in self._parts:
                        z.writestr(info, data)
            self._base = base.getvalue()
        buf = io.BytesIO(self._base)
        buf.seek(0, io.SEEK_END)
        with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
            for name, xml in parts.items():
                z.writestr(name, xml.encode("utf-8"))
        return buf.getvalue()

    def combine(self, documents: list[dict[str, str]]) -> bytes:
        """One .docx of several rendered letters (from `render_parts`): each letter its
        own section, starting on an odd page (duplex printing never puts two letters on
        one sheet) with page numbers from 1. Headers and footers are those of the first
        letter."""
        if not documents:
            raise ValueError("no letters to combine")
        bodies = []
        for parts in documents:
            doc = etree.fromstring(parts["word/document.xml"].encode("utf-8"))
            bodies.append(doc.find(_W + "body"))
        first = etree.fromstring(documents[0]["word/document.xml"].encode("utf-8"))
        body = first.find(_W + "body")
        for child in list(body):
            body.remove(child)
        for i, src in enumerate(bodies):
            children = list(src)
            sect = children[-1] if children and children[-1].tag == _W + "sectPr" else None
            if sect is not None:
                children = children[:-1]
                _restart_numbering(sect)
                if i:
                    _odd_page(sect)
            for child in children:
                body.append(child)
            if sect is None:
                continue
            if i < len(bodies) - 1:
                last = children[-1] if children and children[-1].tag == _W + "p" else None
                if last is None:
                    last = etree.SubElement(body, _W + "p")
                ppr = last.find(_W + "pPr")
                if ppr is None:
                    ppr = etree.Element(_W + "pPr")
                    last.insert(0, ppr)
                old = ppr.find(_W + "sectPr")
                if old is not None:
                    ppr.remove(old)
                ppr.append(sect)
            else:
                body.append(sect)
        merged = dict(documents[0])
        merged["word/document.xml"] = ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
                                       + etree.tostring(first, encoding="unicode"))
        return self.package(merged)


class _Sample:
    """A stand-in for any value of a trial letter: text, a record, a list of one record."""

    def __str__(self):
        return "示例"

    def __html__(self):
        return "示例"

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return _Sample()

    def __getitem__(self, key):
        return _Sample()

    def __iter__(self):
        return iter([_Sample()])

    def __len__(self):
        return 1

    def __add__(self, other):
        return self

    __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __add__

    def __eq__(self, other):
        return False

    def __lt__(self, other):
        return False

    __gt__ = __le__ = __ge__ = __lt__

    def __hash__(self):
        return 0


def _render_all(tpl: "LetterTemplate", contexts: list[dict]) -> list[dict[str, str]]:
    return [tpl.render_parts(c) for c in contexts]


def _restart_numbering(sect) -> None:
    pg = sect.find(_W + "pgNumType")
    if pg is None:
        pg = etree.SubElement(sect, _W + "pgNumType")
        # schema order: pgNumType comes before cols/titlePg/docGrid etc.; move it after pgMar
        mar = sect.find(_W + "pgMar")
        if mar is not None:
            mar.addnext(pg)
    pg.set(_W + "start", "1")


def _odd_page(sect) -> None:
    """The section starts on an odd page (w:type oddPage; schema order: before w:pgSz)."""
    kind = sect.find(_W + "type")
    if kind is None:
        kind = etree.Element(_W + "type")
        size = sect.find(_W + "pgSz")
        if size is not None:
            size.addprevious(kind)
        else:
            sect.append(kind)
    kind.set(_W + "val", "oddPage")


def render_plain(path: str | Path, context: dict, target) -> None:
    """The plain docxtpl way (re-reads the template each time): the benchmark's baseline
    and the reference the fast path is tested against."""
    from sheetkit.letters.layout import LAYOUT_DEFAULTS

    tpl = DocxTemplate(str(path))
    tpl.render({**LAYOUT_DEFAULTS, **context}, jinja_env=environment(), autoescape=True)
    tpl.save(target)


def docx_text(data: bytes) -> str:
    """The text of a .docx (paragraphs, tables, headers, footers), one paragraph a line:
    what two letters are compared by."""
    lines = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = ["word/document.xml"] + sorted(n for n in z.namelist() if HEADER_FOOTER.match(n))
        for name in names:
            root = etree.fromstring(z.read(name))
            for p in root.iter(_W + "p"):
                lines.append("".join(t.text or "" for t in p.iter(_W + "t")))
    return "\n".join(lines)


def template_problems(path: Path, keys: frozenset[str] | set[str] | None) -> list[str]:
    """What `sheetkit templates check` reports for one template: syntax errors (with the
    paragraph text around them), tags split across Word runs, and variables that no
    context of the kind provides. An empty list means the template is fine."""
    from sheetkit.letters.template_guard import check_package

    problems: list[str] = []
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return [f"无法读取（{exc.strerror or exc}）"]
    package = check_package(data)
    if package:
        return package  # not opened any further
    try:
        with zipfile.ZipFile(path) as z:
            raw = {n: z.read(n).decode("utf-8") for n in z.namelist()
                   if n == "word/document.xml" or HEADER_FOOTER.match(n)}
    except (zipfile.BadZipFile, OSError, KeyError) as exc:
        return [f"不是有效的 .docx 文件（{exc}）"]
    for name, xml in raw.items():
        problems.extend(_split_tags(name, xml))
    try:
        tpl = LetterTemplate(path, label=path.name)
    except TemplateError as exc:
        problems.append(str(exc))
        return problems
    if keys is not None:
        from sheetkit.letters.layout import LAYOUT_DEFAULTS

        keys = set(keys) | set(LAYOUT_DEFAULTS)
        unknown = sorted(tpl.variables() - keys)
        for var in unknown:
            problems.append(f"变量“{var}”没有数据提供（可用的变量：{'、'.join(sorted(keys))}）")
    sample = {name: _Sample() for name in (*tpl.variables(), *(keys or ()))}
    try:  # one trial letter, under the same budget as `letters`
        tpl.render_many([sample])
    except TemplateError as exc:
        problems.append(str(exc))
    return problems


def _split_tags(name: str, xml: str) -> list[str]:
    """Tags whose characters sit in more than one run of a paragraph (Word splits a tag
    when part of it is retyped or reformatted; the tag then takes the formatting of its
    first run and may not render as seen)."""
    out = []
    root = etree.fromstring(xml.encode("utf-8"))
    for p in root.iter(_W + "p"):
        runs = [r for r in p.iter(_W + "r")]
        texts = ["".join(t.text or "" for t in r.iter(_W + "t")) for r in runs]
        joined = "".join(texts)
        if "{" not in joined:
            continue
        bounds, pos = [], 0
        for t in texts:
            bounds.append((pos, pos + len(t)))
            pos += len(t)
        for m in re.finditer(r"\{[{%#].*?[}%#]\}", joined):
            touched = [i for i, (a, b) in enumerate(bounds) if a < m.end() and b > m.start()]
            if len(touched) > 1:
                out.append(f"标签“{m.group(0)}”被 Word 拆成了{len(touched)}段（所在段落：“{joined[:60]}”），"
                           f"请删除后一次性重新输入")
        for m in re.finditer(r"\{\s+[{%]|[}%]\s+\}", joined):
            out.append(f"“{m.group(0)}”中的括号之间有空格，标签不会被识别（所在段落：“{joined[:60]}”）")
    return out
