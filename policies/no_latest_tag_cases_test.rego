# Cases for no-latest-tag: `conftest verify` runs them (no_latest_tag_test.rego) and
# tests/policy/test_parity.py feeds each input to both engines. No `with` here: rego-cpp
# cannot compile it, and the parity test loads this file into rego-cpp.
package gitops_gate.cases.no_latest_tag

import rego.v1

pod(image) := {
	"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
	"spec": {"containers": [{"name": "app", "image": image}]},
}

deployment(field, image) := {
	"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
	"spec": {"template": {"spec": {field: [{"name": "c", "image": image}]}}},
}

rollout(api_version) := object.union(deployment("containers", "app:latest"), {"apiVersion": api_version, "kind": "Rollout"})

prod := {"environment": "production", "production": true, "autoSync": false}

digest := "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

cases := [
	{"name": "untagged image counts as latest", "input": pod("nginx"), "deny": 1},
	{"name": "latest tag", "input": pod("docker.io/library/nginx:latest"), "deny": 1},
	{"name": "registry port is not a tag", "input": pod("registry.local:5000/team/app"), "deny": 1},
	{"name": "version tag", "input": pod("registry.local:5000/team/app:1.4.2"), "deny": 0},
	{"name": "digest", "input": pod(sprintf("nginx@%s", [digest])), "deny": 0},
	{"name": "latest with digest", "input": pod(sprintf("nginx:latest@%s", [digest])), "deny": 0},
	{"name": "init container", "input": deployment("initContainers", "busybox"), "deny": 1},
	{"name": "ephemeral container", "input": deployment("ephemeralContainers", "busybox:latest"), "deny": 1},
	{
		"name": "cronjob", "deny": 1,
		"input": {
			"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "c"},
			"spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "c", "image": "alpine"}]}}}}},
		},
	},
	{"name": "argo rollout", "input": rollout("argoproj.io/v1alpha1"), "deny": 1},
	{"name": "rollout of another group", "input": rollout("example.com/v1"), "deny": 0},
	{"name": "flux placeholder not judged", "input": pod("ghcr.io/org/app:${TAG}"), "deny": 0},
	{"name": "a service has no images", "input": {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}}, "deny": 0},
	{
		"name": "production requires a digest", "input": pod("nginx:1.27.3"), "deny": 1, "context": prod,
		"config": {"no-latest-tag": {"productionRequires": "digest"}},
	},
	{
		"name": "production immutable tag passes", "input": pod("nginx:1.27.3"), "deny": 0, "context": prod,
		"config": {"no-latest-tag": {"productionRequires": "immutable-tag"}},
	},
	{
		"name": "production movable tag fails", "input": pod("nginx:stable"), "deny": 1, "context": prod,
		"config": {"no-latest-tag": {"productionRequires": "immutable-tag"}},
	},
	{
		"name": "requirement applies only in production", "input": pod("nginx:1.27"), "deny": 0,
		"config": {"no-latest-tag": {"productionRequires": "digest"}},
	},
]
