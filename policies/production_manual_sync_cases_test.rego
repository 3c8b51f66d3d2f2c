# Cases for production-manual-sync (see no_latest_tag_cases_test.rego for how they are used).
package gitops_gate.cases.production_manual_sync

import rego.v1

app(path, sync_policy) := {
	"apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": {"name": "shop", "namespace": "argocd"},
	"spec": {
		"project": "default", "source": {"repoURL": "https://git.example.com/r.git", "path": path},
		"destination": {"server": "https://kubernetes.default.svc", "namespace": "shop"}, "syncPolicy": sync_policy,
	},
}

appset(sync_policy) := {
	"apiVersion": "argoproj.io/v1alpha1", "kind": "ApplicationSet", "metadata": {"name": "shops"},
	"spec": {"generators": [], "template": {"metadata": {"name": "x"}, "spec": {"source": {"path": "clusters/production"}, "destination": {"name": "prod-eu1"}, "syncPolicy": sync_policy}}},
}

kustomization(path, suspend) := {
	"apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization", "metadata": {"name": "apps", "namespace": "flux-system"},
	"spec": {"path": path, "suspend": suspend, "sourceRef": {"kind": "GitRepository", "name": "flux-system"}},
}

prod := {"environment": "production", "production": true, "autoSync": false}

# Flux asks for manual syncs only when the file says autoSync: false itself.
prod_flux_manual := object.union(prod, {"autoSyncExplicit": true})

prod_flux_manual_envs := [
	{"name": "production", "paths": ["clusters/production"], "production": true, "autoSync": false, "autoSyncExplicit": true, "cluster": "prod-eu1"},
]

prod_allowed := {"environment": "production", "production": true, "autoSync": true}

auto := {"automated": {"prune": true}}

cases := [
	{"name": "automated app in a production folder", "input": app("apps/shop", auto), "context": prod, "deny": 1},
	{"name": "manual app in a production folder", "input": app("apps/shop", {}), "context": prod, "deny": 0},
	{"name": "automated app allowed by config", "input": app("apps/shop", auto), "context": prod_allowed, "deny": 0},
	{"name": "automated app outside production", "input": app("apps/shop", auto), "deny": 0},
	{"name": "automated disabled explicitly", "input": app("apps/shop", {"automated": {"enabled": false}}), "context": prod, "deny": 0},
	{"name": "automated app whose source is production", "input": app("./clusters/production/", auto), "deny": 1},
	{"name": "automated app whose source is a subfolder", "input": app("clusters/production/shop", auto), "deny": 1},
	{"name": "similar folder name is not production", "input": app("clusters/production-like", auto), "deny": 0},
	{"name": "applicationset template to the production cluster", "input": appset(auto), "deny": 1},
	{"name": "manual applicationset template", "input": appset({}), "deny": 0},
	{"name": "flux kustomization of production, autoSync unset", "input": kustomization("./clusters/production", false), "deny": 0},
	{"name": "flux kustomization in a production folder, autoSync unset", "input": kustomization("apps", false), "context": prod, "deny": 0},
	{
		"name": "flux kustomization of production, autoSync: false set", "deny": 1,
		"input": kustomization("./clusters/production", false), "environments": prod_flux_manual_envs,
	},
	{"name": "flux kustomization in a production folder, autoSync: false set", "input": kustomization("apps", false), "context": prod_flux_manual, "deny": 1},
	{
		"name": "suspended flux kustomization, autoSync: false set", "deny": 0,
		"input": kustomization("./clusters/production", true), "environments": prod_flux_manual_envs,
	},
	{"name": "argo app of production, autoSync unset", "input": app("clusters/production", auto), "deny": 1},
	{"name": "flux kustomization of staging", "input": kustomization("./clusters/staging", false), "deny": 0},
	{
		"name": "kustomize's own Kustomization is not Flux", "deny": 0, "context": prod,
		"input": {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization", "resources": ["a.yaml"]},
	},
]
