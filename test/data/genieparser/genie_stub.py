"""Ours, not genieparser's: the few genie modules the copied parser classes import, so that
they run without pyATS. MetaParser.parse checks what cli() returns against the class's schema
as genie's schema engine does: mandatory and Optional(k) keys, pattern keys (Any(), a type such
as int, Or(a, b)), value types, nested dicts and lists."""
import sys
import types


class Any:
    def __repr__(self):
        return "Any()"


class Optional:
    def __init__(self, key):
        self.key = key


class Or:
    def __init__(self, *choices):
        self.choices = choices


class ListOf:
    def __init__(self, item):
        self.item = item


class Schema:
    def __init__(self, schema):
        self.schema = schema


def check(schema, value, path="root"):
    """Raises AssertionError where @value does not fit @schema."""
    if isinstance(schema, Schema):
        schema = schema.schema
    if isinstance(schema, Or):
        errors = []
        for c in schema.choices:
            try:
                return check(c, value, path)
            except AssertionError as e:
                errors.append(str(e))
        raise AssertionError(f"{path}: none of {errors}")
    if isinstance(schema, ListOf):
        assert isinstance(value, list), f"{path}: {value!r} is not a list"
        for i, v in enumerate(value):
            check(schema.item, v, f"{path}[{i}]")
        return
    if isinstance(schema, type):
        assert isinstance(value, schema), f"{path}: {value!r} is not {schema.__name__}"
        return
    if isinstance(schema, dict):
        assert isinstance(value, dict), f"{path}: {value!r} is not a dict"
        # Pattern keys: Any() takes any key, a type any key of that type (int: 1, 2, ...).
        pattern = [(k, v) for k, v in schema.items() if isinstance(k, (Any, type))]
        fixed = {k: v for k, v in schema.items()
                 if not isinstance(k, (Any, Or, type))}
        # A key Or(a, b): any of those keys, checked against its value's schema.
        for k, sub in schema.items():
            if isinstance(k, Or):
                for name in k.choices:
                    if name in value:
                        check(sub, value[name], f"{path}.{name}")
        ors = {c for k in schema if isinstance(k, Or) for c in k.choices}
        for k, sub in fixed.items():
            name = k.key if isinstance(k, Optional) else k
            if name in value:
                check(sub, value[name], f"{path}.{name}")
            else:
                assert isinstance(k, Optional), f"{path}: missing mandatory key {name!r}"
        names = {k.key if isinstance(k, Optional) else k for k in fixed}
        for k, v in value.items():
            if k in names or k in ors:
                continue
            subs = [sub for p, sub in pattern if isinstance(p, Any) or isinstance(k, p)]
            assert subs, f"{path}: unexpected key {k!r}"
            check(subs[0], v, f"{path}.{k}")
        return
    if isinstance(schema, list):
        assert isinstance(value, list), f"{path}: {value!r} is not a list"
        return
    assert value == schema, f"{path}: {value!r} != {schema!r}"


class MetaParser:
    schema = {}

    def __init__(self, device=None, **kwargs):
        self.device = device

    def parse(self, output):
        parsed = self.cli(output=output)
        check(self.schema, parsed)
        return parsed


class Common:
    @staticmethod
    def convert_intf_name(name):
        return name


def install():
    for name in ["genie", "genie.metaparser", "genie.metaparser.util",
                 "genie.metaparser.util.schemaengine", "genie.libs", "genie.libs.parser",
                 "genie.libs.parser.utils", "genie.libs.parser.utils.common"]:
        sys.modules[name] = types.ModuleType(name)
    sys.modules["genie.metaparser"].MetaParser = MetaParser
    engine = sys.modules["genie.metaparser.util.schemaengine"]
    for k, v in {"Schema": Schema, "Any": Any, "Optional": Optional, "Or": Or,
                 "ListOf": ListOf}.items():
        setattr(engine, k, v)
    sys.modules["genie.libs.parser.utils.common"].Common = Common
