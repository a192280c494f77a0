"""Evaluates the shipped Rego policies with the real OPA engine, as the docs' command does.

Equivalent of
    opa eval -d tokens.rego -d config.json -i plan.json 'data.influxdb3.tokens.deny[msg]'
(and the same for `warn`), through the OPA Go library embedded by the PyPI package
opa-golib-python-bindings. Usage: opa_eval.py POLICY_DIR < plan.json. Prints
{"deny": [...], "warn": [...]} with each list sorted. Every *.rego file of POLICY_DIR is
compiled, so a policy OPA rejects (for example a recursive rule) fails here.

A test helper, not a gate: it prints the verdict and exits 0 whatever it says. The gate users
run is the `opa` CLI with `--fail-defined` (docs/guides/policy-review.md), which the tests run
too.

Unlike plain `opa eval`, the library stops on a builtin error instead of skipping the rule;
the policies are written so that no input makes a builtin fail.
"""

import json
import pathlib
import sys

from opa_bindings import OpaEngine

QUERIES = {
    "deny": "data.influxdb3.tokens.deny[msg]",
    "warn": "data.influxdb3.tokens.warn[msg]",
}


def main() -> int:
    policy_dir = pathlib.Path(sys.argv[1])
    plan = json.load(sys.stdin)
    with OpaEngine() as engine:
        for rego in sorted(policy_dir.glob("*.rego")):
            engine.add_policy(rego.name, rego.read_text())
        # `-d config.json` loads the file's object at the root of `data`.
        engine.add_data(json.loads((policy_dir / "config.json").read_text()))
        out = {
            name: sorted(b["msg"] for b in engine.eval_query(query, plan))
            for name, query in QUERIES.items()
        }
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
