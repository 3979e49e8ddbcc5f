"""docs/scenario-format.md is the scenario format's reference, and it cannot drift from what
leakprobe accepts: every key path of `leakprobe schema` has a row there with the schema's
type and default, every row is a key of the schema, every step kind, pattern target and exit
code is listed, each row's example fits the schema, and every YAML block of the document
passes `leakprobe validate`.

How the document is read (its "Reading this reference" section says the same to people):
key rows are the rows of tables headed `| key | type | default | example | meaning |`; the
step kinds, pattern targets and exit codes are the first column of the tables headed
`| step kind |`, `| pattern |` and `| exit code |`.

How the schema is read: every property is a key path, "." between map keys, "[]" for the
items of a list, NAME for a key the file chooses (a capture's name). A step, wherever it
stands (a scenario's steps, a repeat's steps...), is `steps[]`; a leaks block (a scenario's
`leaks`, a `check` step) is `leaks`; a pattern (in `ignore`, `leaks.ignore` or
`leaks.suspects`) is `pattern`. The type of a key is named by type_name() below.
"""
import copy
import json
import os
import re
import subprocess
import unittest

import yaml

from lp_e2e import E2ETest, LEAKPROBE, SOURCE_DIR

try:
    import jsonschema
except ImportError:  # scripts/setup installs python3-jsonschema
    jsonschema = None

DOC = os.path.join(SOURCE_DIR, "docs", "scenario-format.md")

# Definitions that stand for themselves wherever they are used: their keys are documented
# once, under this path.
ANCHORS = {"step": "steps[]", "leaks": "leaks", "pattern": "pattern", "suspect": "pattern"}

# Definitions whose type the reference names after what they are.
REF_NAMES = {
    "duration": "duration",
    "template": "template",
    "scalar": "scalar",
    "scalarMap": "map of scalars",
    "argv": "argv",
    "steps": "list of steps",
    "step": "step",
    "patterns": "list of patterns",
    "pattern": "pattern",
    "suspect": "pattern",
    "leaks": "leaks block",
    "scenario": "scenario",
    "stringOrList": "scalar or list of scalars",
    "growth": "growth block",
}

KEY_HEADER = ["key", "type", "default", "example", "meaning"]


def ref_name(node):
    return node["$ref"].rsplit("/", 1)[-1]


def plural(name):
    return name if name.endswith("s") else name + "s"


def type_name(node, definitions):
    """What the reference calls the type of `node`: "duration", "list of steps", "map",
    "string or integer"..."""
    if "$ref" in node:
        name = ref_name(node)
        if name in REF_NAMES:
            return REF_NAMES[name]
        return type_name(definitions[name], definitions)
    if "const" in node:
        return json.dumps(node["const"])
    for key in ("anyOf", "oneOf"):
        if key in node and "type" not in node:
            return " or ".join(type_name(sub, definitions) for sub in node[key])
    t = node.get("type")
    if t is None:
        return "any"
    if isinstance(t, list):
        return " or ".join(t)
    if t == "array":
        return "list of " + plural(type_name(node.get("items", {}), definitions))
    if t == "object":
        extra = node.get("additionalProperties")
        if isinstance(extra, dict) and "properties" not in node and not has_keys(extra, definitions):
            return "map of " + plural(type_name(extra, definitions))
        return "map"
    return t


def resolve(node, definitions):
    while "$ref" in node:
        node = definitions[ref_name(node)]
    return node


def has_keys(node, definitions):
    node = resolve(node, definitions)
    return "properties" in node


def schema_keys(schema):
    """{key path: its schema} for every key the schema allows, in the order it lists them."""
    definitions = schema.get("definitions", {})
    keys = {}
    expanded = set()

    def walk(node, path):
        if "$ref" in node:
            name = ref_name(node)
            if name in ANCHORS:
                if name not in expanded:
                    expanded.add(name)
                    walk(definitions[name], ANCHORS[name])
                return
            if name in expanded:  # a definition that holds itself, and is no anchor
                return
            expanded.add(name)
            walk(definitions[name], path)
            expanded.discard(name)
            return
        for key in ("anyOf", "oneOf", "allOf"):
            for sub in node.get(key, []):
                walk(sub, path)
        for name, sub in node.get("properties", {}).items():
            key = f"{path}.{name}" if path else name
            keys.setdefault(key, sub)
            walk(sub, key)
        if isinstance(node.get("items"), dict):
            walk(node["items"], path + "[]")
        extra = node.get("additionalProperties")
        if isinstance(extra, dict) and has_keys(extra, definitions):
            keys.setdefault(path + ".NAME", extra)
            walk(extra, path + ".NAME")

    walk(schema, "")
    return keys


def step_kinds(schema):
    """The keys that make a step what it is: the step's oneOf of required keys."""
    step = schema["definitions"]["step"]
    return [alt["required"][0] for alt in step["oneOf"]]


def pattern_targets(schema):
    """The keys that pick goroutines: the pattern's anyOf of required keys (not `reason`)."""
    return [alt["required"][0] for alt in schema["definitions"]["pattern"]["anyOf"]]


def exit_codes():
    """The exit codes the command line defines (cli/commands.h)."""
    with open(os.path.join(SOURCE_DIR, "cli", "commands.h")) as f:
        return sorted(int(n) for n in re.findall(r"constexpr int kExit\w+ = (\d+);", f.read()))


def cells(line):
    """The cells of a Markdown table row; a `|` inside backticks does not split."""
    out, cell, code = [], "", False
    for c in line.strip()[1:-1] if line.strip().endswith("|") else line.strip()[1:]:
        if c == "`":
            code = not code
        if c == "|" and not code:
            out.append(cell.strip())
            cell = ""
        else:
            cell += c
    out.append(cell.strip())
    return out


def tables(text):
    """[(header cells, [row cells...])] of every Markdown table, with the line of each row."""
    found = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if lines[i].startswith("|") and i + 1 < len(lines) and re.match(r"^\|[\s:|-]+\|$", lines[i + 1].strip()):
            header = [h.lower() for h in cells(lines[i])]
            rows = []
            i += 2
            while i < len(lines) and lines[i].startswith("|"):
                rows.append((i + 1, cells(lines[i])))
                i += 1
            found.append((header, rows))
        else:
            i += 1
    return found


def code_spans(cell):
    return re.findall(r"`([^`]*)`", cell)


def doc_rows(text):
    """{key path: (line, {column: cell})} of the key tables; duplicate rows are errors."""
    rows, problems = {}, []
    for header, body in tables(text):
        if header != KEY_HEADER:
            continue
        for line, row in body:
            spans = code_spans(row[0])
            if len(row) != len(KEY_HEADER) or len(spans) != 1:
                problems.append(f"line {line}: a key row has {len(KEY_HEADER)} cells and its key in backticks")
                continue
            if spans[0] in rows:
                problems.append(f"line {line}: {spans[0]} has a row already (line {rows[spans[0]][0]})")
            rows[spans[0]] = (line, dict(zip(KEY_HEADER, row)))
    return rows, problems


def first_column(text, header_start):
    """The backticked first cells of the tables whose first header is `header_start`."""
    out = []
    for header, body in tables(text):
        if header and header[0] == header_start:
            for _, row in body:
                out.extend(code_spans(row[0])[:1])
    return out


def yaml_blocks(text):
    """[(line, text)] of every ```yaml block."""
    return [(text[:m.start()].count("\n") + 2, m.group(1))
            for m in re.finditer(r"^```yaml\n(.*?)^```$", text, re.S | re.M)]


def unquote(cell):
    return cell.replace("`", "").strip()


def compare(schema, text):
    """Every way `text` (the reference) and `schema` disagree, one line each."""
    definitions = schema.get("definitions", {})
    keys = schema_keys(schema)
    rows, problems = doc_rows(text)
    for key, node in keys.items():
        want_type = type_name(node, definitions)
        default = node.get("default", None)
        if key not in rows:
            problems.append(f"{key} is in the schema but has no row in the reference "
                            f"(type {want_type}" + (f", default {json.dumps(default)}" if "default" in node else "") + ")")
            continue
        line, row = rows[key]
        if unquote(row["type"]) != want_type:
            problems.append(f"line {line}: {key}: the reference says type {row['type']!r}, the schema {want_type!r}")
        # A default value opens its cell in backticks (`30s`, `false`); words say there is none.
        stated = code_spans(row["default"])[:1] if row["default"].startswith("`") else []
        if "default" in node:
            if not stated or yaml.safe_load(stated[0]) != default:
                problems.append(f"line {line}: {key}: the default column must start with `{json.dumps(default)}` "
                                f"as the schema's (got {row['default']!r})")
        elif stated:
            problems.append(f"line {line}: {key}: the reference states a default {row['default']!r} the schema has "
                            f"not: add \"default\" to the schema, or write the default in words")
    for number, line_text in enumerate(text.split("\n"), 1):
        # GitHub splits a table cell at "|" even inside backticks.
        if line_text.startswith("|") and any("|" in span for span in code_spans(line_text)):
            problems.append(f"line {number}: a \"|\" inside backticks splits the table cell; write it another way")
    for key, (line, _) in rows.items():
        if key not in keys:
            problems.append(f"line {line}: {key} has a row in the reference but is not a key of the schema")

    for what, documented, actual in (("step kind", first_column(text, "step kind"), step_kinds(schema)),
                                     ("pattern target", first_column(text, "pattern"), pattern_targets(schema)),
                                     ("exit code", [int(c) for c in first_column(text, "exit code") if c.isdigit()],
                                      exit_codes())):
        for item in actual:
            if item not in documented:
                problems.append(f"the {what} {item} is not in the reference's {what} table")
        for item in documented:
            if item not in actual:
                problems.append(f"the reference lists the {what} {item}, which leakprobe does not have")
    return problems


def example_problems(schema, text):
    """Each key row's example must be `KEY: VALUE` (YAML) whose value fits the key's schema."""
    problems = []
    keys = schema_keys(schema)
    rows, _ = doc_rows(text)
    for key, (line, row) in rows.items():
        if key not in keys:
            continue
        spans = code_spans(row["example"])
        if len(spans) != 1:
            problems.append(f"line {line}: {key}: the example is one `KEY: VALUE` in backticks")
            continue
        try:
            example = yaml.safe_load(spans[0])
        except yaml.YAMLError as e:
            problems.append(f"line {line}: {key}: the example is not YAML: {e}")
            continue
        last = key.rsplit(".", 1)[-1].removesuffix("[]")
        if not isinstance(example, dict) or len(example) != 1 or (last != "NAME" and last not in example):
            problems.append(f"line {line}: {key}: the example must be `{last}: VALUE`")
            continue
        if jsonschema is not None:
            value = next(iter(example.values()))
            sub = dict(keys[key], definitions=schema.get("definitions", {}))
            for e in jsonschema.Draft7Validator(sub).iter_errors(value):
                problems.append(f"line {line}: {key}: the example {spans[0]!r} does not fit the schema: {e.message}")
    return problems


class DocsReference(E2ETest):
    def setUp(self):
        super().setUp()
        r = subprocess.run([LEAKPROBE, "schema"], capture_output=True, timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.schema = json.loads(r.stdout)
        with open(DOC) as f:
            self.text = f.read()

    def test_every_key_of_the_schema_and_nothing_else_is_documented_with_its_type_and_default(self):
        problems = compare(self.schema, self.text)
        self.assertEqual(problems, [], "\n" + "\n".join(problems))

    def test_every_example_of_a_key_fits_the_schema(self):
        problems = example_problems(self.schema, self.text)
        self.assertEqual(problems, [], "\n" + "\n".join(problems))

    def test_every_yaml_block_is_a_valid_scenario_file(self):
        blocks = yaml_blocks(self.text)
        self.assertGreaterEqual(len(blocks), 10)
        for line, block in blocks:
            path = self.write(f"block-{line}.yaml", block)
            r = self.leakprobe("validate", path)
            self.assertEqual(r.returncode, 0, f"the YAML block at {DOC}:{line}:\n{r.stderr.decode()}")
            if jsonschema is not None:
                errs = [e.message for e in jsonschema.Draft7Validator(self.schema).iter_errors(yaml.safe_load(block))]
                self.assertEqual(errs, [], f"the YAML block at {DOC}:{line} does not fit `leakprobe schema`")

    # The checks above must fail when the schema and the document part: try both ways.
    def test_a_key_the_schema_gains_is_missed_until_documented(self):
        grown = copy.deepcopy(self.schema)
        grown["definitions"]["http"]["properties"]["retries"] = {"type": "integer", "default": 0}
        grown["definitions"]["dump"]["properties"]["compress"] = {"type": "boolean"}
        problems = compare(grown, self.text)
        self.assertTrue(any(p.startswith("steps[].http.retries is in the schema") for p in problems), problems)
        self.assertTrue(any(p.startswith("dump.compress is in the schema") for p in problems), problems)

    def test_a_key_the_schema_loses_or_retypes_is_caught(self):
        shrunk = copy.deepcopy(self.schema)
        del shrunk["definitions"]["exec"]["properties"]["shell"]
        shrunk["definitions"]["http"]["properties"]["timeout"]["default"] = "31s"
        shrunk["definitions"]["dump"]["properties"]["sigquit"] = {"type": "string"}
        problems = compare(shrunk, self.text)
        self.assertTrue(any("steps[].exec.shell has a row in the reference but is not a key" in p for p in problems),
                        problems)
        self.assertTrue(any("steps[].http.timeout: the default column" in p for p in problems), problems)
        self.assertTrue(any("dump.sigquit: the reference says type" in p for p in problems), problems)

    def test_a_pipe_inside_a_table_cell_is_caught(self):
        broken = self.text.replace("`state: select`", "`state: \"regex:select|chan receive\"`")
        self.assertNotEqual(broken, self.text)
        self.assertTrue(any("splits the table cell" in p for p in compare(self.schema, broken)))

    def test_a_step_kind_the_schema_gains_is_missed(self):
        grown = copy.deepcopy(self.schema)
        grown["definitions"]["step"]["properties"]["signal"] = {"type": "string"}
        grown["definitions"]["step"]["oneOf"].append({"required": ["signal"]})
        problems = compare(grown, self.text)
        self.assertIn("the step kind signal is not in the reference's step kind table", problems)

    def test_readme_and_man_page_send_readers_here_and_never_to_shared(self):
        for name in ("README.md", os.path.join("docs", "leakprobe.1"), os.path.join("examples", "scenarios", "README.md")):
            with open(os.path.join(SOURCE_DIR, name)) as f:
                text = f.read().replace("\\-", "-")  # roff writes a hyphen "\-"
            self.assertTrue("scenario-format.md" in text,
                            f"{name} does not link to docs/scenario-format.md")
            self.assertFalse("../shared" in text, f"{name} sends readers to ../shared")
        self.assertNotIn("../shared", self.text)


if __name__ == "__main__":
    unittest.main()
