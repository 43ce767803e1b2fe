#!/usr/bin/env python3
"""The Helm chart's test, run by CI.

Every value set under values/ must pass the chart's values.schema.json, lint cleanly,
render, and give manifests that validate against the Kubernetes schemas
(kubernetes-validate) and keep the deployment's promises (non-root, read-only root
filesystem, all capabilities dropped, probes, migration hook, distinct worker
consumers). Every value set under broken/ must be refused. Helm itself comes from the
PyPI package helm-python-sdk; no helm binary is needed.

    pip install helm-python-sdk==0.2.2 kubernetes-validate==1.37.0 pyyaml
    python3 helm/tests/test_chart.py
"""

from __future__ import annotations

import pathlib
import sys

import helm_python as helm
import kubernetes_validate
import yaml

HERE = pathlib.Path(__file__).resolve().parent
CHART = HERE.parent / "touming"
KUBERNETES = "1.30.0"
# Custom resources kubernetes-validate has no schema for, and what they must contain.
CUSTOM = {("monitoring.coreos.com/v1", "ServiceMonitor"): ("spec", "endpoints")}

problems: list[str] = []


def problem(where: str, what: str) -> None:
    problems.append(f"{where}: {what}")


def pod_specs(doc: dict) -> list[dict]:
    kind = doc["kind"]
    if kind in ("Deployment", "Job"):
        return [doc["spec"]["template"]["spec"]]
    return []


def check_pod(where: str, spec: dict) -> None:
    if not spec.get("securityContext", {}).get("runAsNonRoot"):
        problem(where, "pod securityContext.runAsNonRoot is not true")
    for c in spec["containers"]:
        sc = c.get("securityContext", {})
        name = f"{where}/{c['name']}"
        if not sc.get("runAsNonRoot"):
            problem(name, "runAsNonRoot is not true")
        if not sc.get("readOnlyRootFilesystem"):
            problem(name, "readOnlyRootFilesystem is not true")
        if "ALL" not in sc.get("capabilities", {}).get("drop", []):
            problem(name, "capabilities are not all dropped")
        if not c.get("resources", {}).get("limits"):
            problem(name, "no resource limits")
        env = {e["name"]: e for e in c.get("env", [])}
        for var in ("TOUMING_DATABASE__URL", "TOUMING_REDIS__URL"):
            if "secretKeyRef" not in env.get(var, {}).get("valueFrom", {}):
                problem(name, f"{var} does not come from the Secret")


def check_set(path: pathlib.Path, chart: helm.Chart) -> None:
    where = f"values/{path.name}"
    values = helm.values_from_yaml(path.read_text(encoding="utf-8"))
    try:
        chart.validate_schema(values)
    except helm.HelmError as e:
        problem(where, f"refused by values.schema.json: {e}")
        return
    report = helm.lint(str(CHART), values, strict=True, kube_version=f"v{KUBERNETES}")
    for m in report.get("messages", []):
        if m.get("severity", 0) >= 2:
            problem(where, f"lint: {m.get('path')}: {m.get('error')}")
    for e in report.get("errors", []) or []:
        problem(where, f"lint: {e}")
    rendered = chart.render(values, name="touming", namespace="health", is_install=True)
    docs = []
    for template, text in rendered.items():
        if template.endswith("NOTES.txt"):
            continue
        try:
            docs.extend(d for d in yaml.safe_load_all(text) if d)
        except yaml.YAMLError as e:
            problem(f"{where}: {template}", f"not YAML: {e}")
    kinds: dict[str, list[dict]] = {}
    for doc in docs:
        name = f"{where}: {doc.get('kind')}/{doc.get('metadata', {}).get('name')}"
        kinds.setdefault(doc["kind"], []).append(doc)
        custom = CUSTOM.get((doc.get("apiVersion"), doc.get("kind")))
        if custom:
            node = doc
            for key in custom:
                node = node.get(key) if isinstance(node, dict) else None
            if not node:
                problem(name, f"missing {'.'.join(custom)}")
            continue
        try:
            kubernetes_validate.validate(doc, KUBERNETES, strict=True)
        except kubernetes_validate.ValidationError as e:
            problem(name, f"invalid: {e.message} at {'/'.join(map(str, e.path))}")
        for spec in pod_specs(doc):
            check_pod(name, spec)

    deployments = {d["metadata"]["name"]: d for d in kinds.get("Deployment", [])}
    api = deployments.get("touming-api")
    worker = deployments.get("touming-worker")
    if not api or not worker:
        problem(where, f"expected the api and worker Deployments, got {sorted(deployments)}")
        return
    container = api["spec"]["template"]["spec"]["containers"][0]
    if container.get("livenessProbe", {}).get("httpGet", {}).get("path") != "/healthz":
        problem(where, "api liveness is not /healthz")
    if container.get("readinessProbe", {}).get("httpGet", {}).get("path") != "/readyz":
        problem(where, "api readiness is not /readyz")
    consumer = {e["name"]: e for e in worker["spec"]["template"]["spec"]["containers"][0]["env"]}
    field = consumer.get("TOUMING_WORKER__CONSUMER", {}).get("valueFrom", {}).get("fieldRef", {})
    if field.get("fieldPath") != "metadata.name":
        problem(where, "worker pods do not take their own name as consumer")
    if worker["spec"]["replicas"] != values.get("worker", {}).get("replicas", 2):
        problem(where, "worker replicas do not follow the values")
    hpa = bool(kinds.get("HorizontalPodAutoscaler"))
    autoscaling = chart.merge_values(values)["api"]["autoscaling"]["enabled"]
    if hpa != autoscaling or ("replicas" in api["spec"]) == autoscaling:
        problem(where, "the HPA and the api replicas disagree with api.autoscaling.enabled")
    jobs = kinds.get("Job", [])
    if not jobs or "pre-upgrade" not in jobs[0]["metadata"]["annotations"].get("helm.sh/hook", ""):
        problem(where, "no migration Job as a pre-install/pre-upgrade hook")
    merged = chart.merge_values(values)
    if bool(kinds.get("Ingress")) != merged["ingress"]["enabled"]:
        problem(where, "Ingress does not follow ingress.enabled")
    if bool(kinds.get("ServiceMonitor")) != merged["serviceMonitor"]["enabled"]:
        problem(where, "ServiceMonitor does not follow serviceMonitor.enabled")
    api_env = {e["name"]: e for e in container.get("env", [])}
    for monitor in kinds.get("ServiceMonitor", []):
        endpoint = monitor["spec"]["endpoints"][0]
        credentials = endpoint.get("authorization", {}).get("credentials", {})
        served = api_env.get("TOUMING_METRICS__TOKEN", {}).get("valueFrom", {}).get("secretKeyRef", {})
        if not credentials or credentials != {"name": served.get("name"), "key": served.get("key")}:
            problem(where, "the ServiceMonitor does not send the token the API's /metrics asks for")
    print(f"ok   {where}: {len(docs)} manifests ({', '.join(sorted(kinds))})")


def check_broken(path: pathlib.Path, chart: helm.Chart) -> None:
    where = f"broken/{path.name}"
    values = helm.values_from_yaml(path.read_text(encoding="utf-8"))
    try:
        chart.validate_schema(values)
    except helm.HelmError as e:
        reason = " ".join(str(e).split()) or type(e).__name__
        print(f"ok   {where} refused: {reason[:200]}")
        return
    problem(where, "a broken value set was accepted")


def main() -> int:
    chart = helm.Chart.load(str(CHART))
    good = sorted((HERE / "values").glob("*.yaml"))
    bad = sorted((HERE / "broken").glob("*.yaml"))
    if not good or not bad:
        problem("helm/tests", "no value sets found")
    for path in good:
        check_set(path, chart)
    for path in bad:
        check_broken(path, chart)
    for p in problems:
        print(f"FAIL {p}")
    print(f"{len(good)} value sets, {len(bad)} broken ones, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
