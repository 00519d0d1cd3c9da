"""deploy/kubernetes/: rendered by kustomize (`kubectl kustomize`), checked against the Kubernetes API's schemas
(kubernetes-validate, which ships them, so offline), and held to what a district's cluster needs from it."""

import copy
import re
import shutil
import subprocess
import tomllib

import kubernetes_validate
import pytest
import yaml

from .conftest import ROOT

KUSTOMIZE = ROOT / "deploy" / "kubernetes"
BUILDS = ["base", "overlays/district"]
# The oldest Kubernetes still widely run by districts' providers, and the newest the validator knows.
VERSIONS = ["1.29.0", kubernetes_validate.latest_version()]
GRACEFUL_SHUTDOWN_S = int(re.search(r"timeout_graceful_shutdown=(\d+)", (ROOT / "app" / "cli.py").read_text())[1])
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def render(build: str) -> dict[str, dict]:
    kubectl = shutil.which("kubectl")
    assert kubectl, "kubectl is missing: it renders the kustomizations (`kubectl kustomize`)"
    result = subprocess.run([kubectl, "kustomize", str(KUSTOMIZE / build)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return {doc["kind"]: doc for doc in yaml.safe_load_all(result.stdout) if doc}


@pytest.fixture(scope="module", params=BUILDS)
def rendered(request) -> dict[str, dict]:
    return render(request.param)


def container(resources: dict[str, dict]) -> dict:
    (only,) = resources["Deployment"]["spec"]["template"]["spec"]["containers"]
    return only


def env(resources: dict[str, dict]) -> dict[str, dict]:
    return {item["name"]: item for item in container(resources)["env"]}


@pytest.mark.parametrize("version", VERSIONS)
def test_every_resource_is_valid_against_the_api_schema(rendered, version):
    for resource in rendered.values():
        kubernetes_validate.validate(resource, version, strict=True)


def test_the_validator_rejects_a_misspelt_field():
    broken = copy.deepcopy(render("base")["Deployment"])
    broken["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGett"] = {"path": "/healthz"}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, VERSIONS[-1], strict=True)


def test_base_has_the_parts_of_a_district_service():
    assert set(render("base")) == {"Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"}


def test_probes_ask_healthz_on_the_served_port(rendered):
    spec = container(rendered)
    ports = {port["name"]: port["containerPort"] for port in spec["ports"]}
    assert ports == {"http": 8000}  # the image's CONVSCOPE_PORT
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert spec[probe]["httpGet"] == {"path": "/healthz", "port": "http"}, probe


def test_pods_are_unprivileged_read_only_and_write_only_to_tmp(rendered):
    pod = rendered["Deployment"]["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] == 10001  # the image's USER
    security = container(rendered)["securityContext"]
    assert security["readOnlyRootFilesystem"] is True
    assert security["allowPrivilegeEscalation"] is False
    assert security["capabilities"]["drop"] == ["ALL"]
    volumes = {volume["name"]: volume for volume in pod["volumes"]}
    (mount,) = container(rendered)["volumeMounts"]
    assert mount["mountPath"] == "/tmp" and "emptyDir" in volumes[mount["name"]]


def test_termination_outlasts_the_servers_graceful_shutdown(rendered):
    pod = rendered["Deployment"]["spec"]["template"]["spec"]
    pre_stop = 5  # the preStop pause before SIGTERM also counts against the grace period
    assert pre_stop_seconds(container(rendered)) == pre_stop
    assert pod["terminationGracePeriodSeconds"] > GRACEFUL_SHUTDOWN_S + pre_stop


def pre_stop_seconds(spec: dict) -> int:
    command = spec["lifecycle"]["preStop"]["exec"]["command"]
    return int(re.search(r"sleep\((\d+)\)", command[-1])[1])


def test_requests_and_limits_are_set(rendered):
    resources = container(rendered)["resources"]
    for kind in ("requests", "limits"):
        assert {"cpu", "memory"} <= set(resources[kind]), kind


def test_the_image_is_this_version(rendered):
    assert container(rendered)["image"].endswith(f"convscope:{VERSION}")


def test_service_autoscaler_and_budget_select_the_deployments_pods(rendered):
    deployment = rendered["Deployment"]
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert rendered["Service"]["spec"]["selector"].items() <= labels.items()
    assert rendered["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert rendered["Service"]["spec"]["ports"][0]["targetPort"] == "http"
    hpa = rendered["HorizontalPodAutoscaler"]["spec"]
    assert hpa["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": deployment["metadata"]["name"],
    }
    (metric,) = hpa["metrics"]
    assert metric["resource"]["name"] == "cpu"
    assert hpa["minReplicas"] >= 2  # so the disruption budget can let one pod go at a time
    assert rendered["PodDisruptionBudget"]["spec"]["maxUnavailable"] == 1


def test_the_secret_comes_from_a_secret(rendered):
    assert env(rendered)["CONVSCOPE_SECRET"]["valueFrom"]["secretKeyRef"] == {"name": "convscope", "key": "secret"}


def test_ingress_serves_under_the_prefix_the_app_is_told():
    district = render("overlays/district")
    (rule,) = district["Ingress"]["spec"]["rules"]
    (path,) = rule["http"]["paths"]
    prefix = env(district)["CONVSCOPE_ROOT_PATH"]["value"]
    assert prefix == "/convscope"
    assert path["path"].startswith(prefix)
    assert path["backend"]["service"]["name"] == district["Service"]["metadata"]["name"]
    # The controller strips the prefix (the app writes it back into its links), as nginx's `proxy_pass .../` does.
    assert district["Ingress"]["metadata"]["annotations"]["nginx.ingress.kubernetes.io/rewrite-target"] == "/$2"
    assert env(render("base"))["CONVSCOPE_ROOT_PATH"]["value"] == ""
