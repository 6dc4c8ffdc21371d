"""Profiles: a province's thresholds, switches, severities and clause citations, as data.

A profile only overrides: each rule is declared once in its family module
(`sheetkit.rules.registry`) with its default severity, whether it is on, and its
parameters with their defaults; a rule a profile does not name keeps its declaration.
Every profile file is checked against the declarations: an unknown rule, an unknown
parameter or a value of the wrong type is a ProfileError naming the key. A profile sits
above the rules it is checked against (tests/test_layers.py).

Built-in: ``shandong-2025`` (default) and ``gansu-2022``. A user profile is a TOML file
that ``extends`` a built-in one (default ``shandong-2025``) and changes what it names::

    extends = "shandong-2025"
    title = "济南市补充条件"
    [rules."inst.experience"]
    min_years = 3            # a stricter threshold
    [rules."venue.cctv"]
    severity = "warning"     # a softer severity
    [rules."staff.employers"]
    enabled = false          # a rule switched off
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from sheetkit.errors import ProfileError
from sheetkit.register.model import EDUCATION, SKILL_LEVELS, TITLES
from sheetkit.rules import RULES
from sheetkit.rules.registry import SEVERITIES, param_type

BUILTIN = ("shandong-2025", "gansu-2022")
DEFAULT = "shandong-2025"
TOP_KEYS = {"id", "extends", "title", "province", "document", "cities", "city_aliases", "city_bureaus", "rules",
            "filing_years", "due_within_days", "basis", "website", "letter_templates"}
RULE_KEYS = {"enabled", "severity", "clause"}
TOP_TYPES = {"id": str, "extends": str, "title": str, "province": str, "document": str, "cities": list,
             "city_aliases": dict, "city_bureaus": dict, "rules": dict, "filing_years": int, "due_within_days": int,
             "basis": str, "website": str, "letter_templates": list}
def _shown(value) -> str:
    """A value from a profile file as a message quotes it, with its TOML type: “3”（字符串）
    is not 3（整数）."""
    if isinstance(value, str):
        return f"“{value}”（字符串）"
    if isinstance(value, bool):
        return f"{str(value).lower()}（true/false）"
    kind = TYPE_ZH.get(type(value), type(value).__name__)
    return f"{value}（{kind}）"


def _toml_where(exc) -> str:
    """「第3行第5列」 from tomllib's message, or nothing."""
    m = re.search(r"line (\d+), column (\d+)", str(exc))
    return f"第{m.group(1)}行第{m.group(2)}列" if m else ""


TYPE_ZH = {str: "字符串", list: "数组", dict: "表", int: "整数", float: "数值", bool: "true/false"}
PARAM_TYPE_ZH = {"number": "数值", "str": "字符串", "bool": "true/false", "list": "字符串数组"}
# Parameters naming a grade: the values they may take (register.model).
RANKED_VALUES = {"min_title": TITLES, "min_skill_level": SKILL_LEVELS[:-1], "min_education": EDUCATION}


@dataclass(frozen=True)
class RuleSettings:
    enabled: bool
    severity: str
    clause: str | None
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Profile:
    id: str
    title: str
    province: str
    document: str
    cities: tuple[str, ...]
    city_aliases: dict[str, str]
    city_bureaus: dict[str, str]
    filing_years: int
    due_within_days: int
    rules: dict[str, RuleSettings]
    source: str
    basis: str = ""  # the document the letters cite (「根据…等文件要求」)
    website: str = ""  # where the province publishes its directory (letters' 备注)
    letter_templates: tuple[str, ...] = ()  # letter kinds the built-in templates are written for

    def enabled(self, rule_id: str) -> bool:
        s = self.rules.get(rule_id)
        return bool(s and s.enabled)

    @property
    def enabled_rules(self) -> frozenset[str]:
        return frozenset(r for r, s in self.rules.items() if s.enabled)

    def param(self, rule_id: str, name: str) -> Any:
        try:
            return self.rules[rule_id].params[name]
        except KeyError:
            raise ProfileError(f"配置“{self.id}”缺少规则 {rule_id} 的参数 {name}") from None

    def clause(self, rule_id: str) -> str | None:
        """The full citation, e.g. `鲁人社函〔2025〕23号 附件1 第4项`."""
        s = self.rules.get(rule_id)
        if s is None or not s.clause:
            return None
        return self.cite(s.clause)

    def cite(self, clause: str) -> str:
        """A clause of this profile's notice as a full citation (a standard or a clause
        naming its own document is kept as it is)."""
        if own_document(clause):
            return clause
        return f"{self.document} {clause}"

    def city_bureau(self, city: str | None) -> str | None:
        """Who issues a city's letters when nothing else says (「备案所属市人力资源社会保障局」,
        鲁人社函〔2025〕23号 一(二)3、一(三)): 临沂 → 临沂市人力资源和社会保障局; a city whose
        bureau is named otherwise (临夏 → 临夏回族自治州…) is listed under ``city_bureaus``."""
        if not city:
            return None
        city = self.city_map().get(city, city)
        return self.city_bureaus.get(city) or f"{city}市人力资源和社会保障局"

    def city_map(self) -> dict[str, str]:
        """Every accepted spelling of a city → its canonical name (济南市 → 济南)."""
        out = {f"{c}市": c for c in self.cities}
        out.update(self.city_aliases)
        return out


def cities_elsewhere(profile: Profile) -> dict[str, tuple[str, str]]:
    """Every spelling of a city of another province's built-in profile → (that province,
    its profile id): what tells a clerk who checked a 甘肃 register as 山东's to add
    ``--profile gansu-2022``."""
    out: dict[str, tuple[str, str]] = {}
    for name in BUILTIN:
        other = load_profile(name)
        if other.province != profile.province:
            for city in [*other.cities, *other.city_map()]:
                out.setdefault(city, (other.province, other.id))
    return out


def load_profile(name_or_path: str | Path | None = None) -> Profile:
    """A built-in profile by id, or a user TOML file extending one."""
    if isinstance(name_or_path, Profile):
        return name_or_path
    name = str(name_or_path or DEFAULT)
    data, source = _load_raw(name, seen=())
    return _build(data, source)


def _load_raw(name: str, seen: tuple[str, ...]) -> tuple[dict, str]:
    key = name if name in BUILTIN else str(Path(name).resolve())
    if key in seen:
        raise ProfileError(f"配置继承出现循环：{name} 又继承回自身")
    seen = (*seen, key)
    if name in BUILTIN:
        text = resources.files(__package__).joinpath(f"{name}.toml").read_text(encoding="utf-8")
        source = f"builtin:{name}"
    else:
        path = Path(name)
        if not path.is_file():
            raise ProfileError(f"找不到配置“{name}”：内置配置有 {', '.join(BUILTIN)}，或给出 .toml 文件路径")
        source = str(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ProfileError(f"配置文件 {source} 不是 UTF-8 编码的文本：请用 UTF-8 保存") from exc
        default_id = path.stem
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"配置文件 {source} {_toml_where(exc)}格式错误，不是有效的 TOML（{exc}）") from exc
    unknown = set(data) - TOP_KEYS
    if unknown:
        raise ProfileError(f"配置文件 {source} 有未知的键：{', '.join(sorted(unknown))}"
                           f"（可用：{', '.join(sorted(TOP_KEYS))}）")
    _check_top(data, source)
    _check_rules(data.get("rules", {}), source)
    base_name = data.get("extends")
    if base_name is None and name not in BUILTIN:
        base_name = DEFAULT
    if base_name is not None and base_name not in BUILTIN and name not in BUILTIN:
        base_path = Path(base_name)
        if not base_path.is_absolute():
            base_name = str(Path(name).parent / base_path)  # relative to the extending file
    if name not in BUILTIN:
        data.setdefault("id", default_id)
    if base_name is None:
        return data, source
    base, _ = _load_raw(str(base_name), seen)
    return _merge(base, data, source), source


def _check_top(data: dict, source: str) -> None:
    """Top-level keys have the right types; each rule's settings are a table."""
    for key, want in TOP_TYPES.items():
        if key in data and not _is(data[key], want):
            raise ProfileError(f"配置文件 {source} 中 {key} 应为{TYPE_ZH[want]}，而不是{_shown(data[key])}")
    for key in ("filing_years", "due_within_days"):
        if key in data and data[key] < (1 if key == "filing_years" else 0):
            raise ProfileError(f"配置文件 {source} 中 {key} 不能为 {data[key]}")
    if not all(isinstance(k, str) for k in data.get("letter_templates", [])):
        raise ProfileError(f"配置文件 {source} 中 letter_templates 应为文书类型的字符串数组，如 [\"filing\", \"revoke\"]")
    if not all(isinstance(c, str) for c in data.get("cities", [])):
        raise ProfileError(f"配置文件 {source} 中 cities 应为市名的字符串数组")
    for alias, city in data.get("city_aliases", {}).items():
        if not isinstance(city, str):
            raise ProfileError(f"配置文件 {source} 中 city_aliases.\"{alias}\" 应为字符串")


def _check_rules(rules: dict, source: str) -> None:
    """Each ``[rules."…"]`` table names a declared rule, and each key in it is
    ``enabled``, ``severity``, ``clause`` or one of the rule's declared parameters, of the
    declared type."""
    for rule_id, settings in rules.items():
        if not isinstance(settings, dict):
            raise ProfileError(f"配置文件 {source} 中 rules.\"{rule_id}\" 应为表（[rules.\"{rule_id}\"]）")
        declared = RULES.get(rule_id)
        if declared is None:
            raise ProfileError(f"配置文件 {source} 中 rules.\"{rule_id}\" 不是已知规则（`sheetkit rules` 列出全部规则）")
        for key, want in (("enabled", bool), ("severity", str), ("clause", str)):
            if key in settings and not _is(settings[key], want):
                raise ProfileError(f"配置文件 {source} 中 rules.\"{rule_id}\".{key} 应为{TYPE_ZH[want]}，"
                                   f"而不是{_shown(settings[key])}")
        if "severity" in settings and settings["severity"] not in SEVERITIES:
            raise ProfileError(f"配置文件 {source} 中 rules.\"{rule_id}\".severity 应为 {'/'.join(SEVERITIES)} 之一，"
                               f"而不是“{settings['severity']}”")
        for key, value in settings.items():
            if key in RULE_KEYS:
                continue
            if key not in declared.params:
                allowed = sorted(RULE_KEYS | set(declared.params))
                raise ProfileError(f"配置文件 {source} 中 rules.\"{rule_id}\".{key} 不是该规则的参数"
                                   f"（可用：{', '.join(allowed)}）")
            want = param_type(declared.params[key])
            if param_type(value) != want:
                raise ProfileError(f"配置文件 {source} 中 rules.\"{rule_id}\".{key} 应为{PARAM_TYPE_ZH[want]}，"
                                   f"而不是{_shown(value)}")
            if key in RANKED_VALUES and value not in RANKED_VALUES[key]:
                raise ProfileError(f"配置文件 {source} 中 rules.\"{rule_id}\".{key} 应为 "
                                   f"{'、'.join(RANKED_VALUES[key])} 之一，而不是“{value}”")


def _is(value, want: type) -> bool:
    """TOML type check: an integer is not a boolean; a number may be int or float."""
    if want is bool:
        return isinstance(value, bool)
    if want in (int, float):
        return isinstance(value, (int, float)) and not isinstance(value, bool) and \
            (want is float or isinstance(value, int))
    return isinstance(value, want)


def own_document(clause: str) -> bool:
    """A citation that names its own source (a standard, another notice), not a clause
    of the profile's notice."""
    return clause.startswith("GB") or "〔" in clause


def _merge(base: dict, over: dict, source: str) -> dict:
    out = {k: v for k, v in base.items() if k != "rules"}
    out.update({k: v for k, v in over.items() if k not in ("rules", "extends")})
    rules = {k: dict(v) for k, v in base.get("rules", {}).items()}
    if over.get("province", base.get("province")) != base.get("province"):
        # Another province, another notice: the base's clause numbers mean nothing in it
        # (Gansu's notice has no 附件1). Only what the extending profile cites itself is
        # cited; standards (GB …) and citations naming their own document are kept.
        for settings in rules.values():
            if settings.get("clause") and not own_document(settings["clause"]):
                del settings["clause"]
        if "basis" not in over or "website" not in over:
            raise ProfileError(f"配置文件 {source} 换了省份（province），还须给出 basis（文书引用的依据）"
                               "和 website（公布考核机构目录的网站）")
        out["letter_templates"] = over.get("letter_templates", [])
    for rule_id, settings in over.get("rules", {}).items():  # checked by `_check_rules`
        rules.setdefault(rule_id, {}).update(settings)
    out["rules"] = rules
    return out


def _build(data: dict, source: str) -> Profile:
    given = data.get("rules", {})
    rules = {}
    for rule_id, declared in RULES.items():  # a rule the profile does not name keeps its declaration
        settings = dict(given.get(rule_id, {}))
        enabled = settings.pop("enabled", declared.enabled)
        severity = settings.pop("severity", declared.severity)
        clause = settings.pop("clause", None)
        rules[rule_id] = RuleSettings(enabled, severity, clause, {**declared.params, **settings})
    for key in ("id", "title", "province", "document", "cities"):
        if key not in data:
            raise ProfileError(f"配置 {source} 缺少键 {key}")
    aliases = data.get("city_aliases", {})
    for alias, city in aliases.items():
        if city not in data["cities"]:
            raise ProfileError(f"配置 {source} 中 city_aliases.\"{alias}\" 指向未列出的市“{city}”")
    return Profile(
        id=str(data["id"]),
        title=str(data["title"]),
        province=str(data["province"]),
        document=str(data["document"]),
        cities=tuple(data["cities"]),
        city_aliases=dict(aliases),
        city_bureaus=dict(data.get("city_bureaus", {})),
        filing_years=int(data.get("filing_years", 3)),
        due_within_days=int(data.get("due_within_days", 180)),
        rules=rules,
        source=source,
        basis=str(data.get("basis", "")),
        website=str(data.get("website", "")),
        letter_templates=tuple(data.get("letter_templates", ())),
    )
