# Cases for no-plaintext-secrets (see no_latest_tag_cases_test.rego for how they are used).
package gitops_gate.cases.no_plaintext_secrets

import rego.v1

secret(extra) := object.union({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db"}}, extra)

pod_env(env) := {
	"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
	"spec": {"containers": [{"name": "app", "image": "app:1.0.0", "env": env}]},
}

sops := {"mac": "ENC[AES256_GCM,data:abc,type:str]", "version": "3.9.0"}

cases := [
	{"name": "secret with data", "input": secret({"data": {"password": "aHVudGVyMg=="}}), "deny": 1},
	{"name": "secret with stringData", "input": secret({"stringData": {"token": "hunter2"}}), "deny": 1},
	{"name": "secret with both", "input": secret({"data": {"a": "eA=="}, "stringData": {"b": "y"}}), "deny": 2},
	{"name": "empty secret", "input": secret({"type": "Opaque"}), "deny": 0},
	{"name": "sops encrypted", "input": secret({"data": {"password": "ENC[AES256_GCM,data:xyz,type:str]"}, "sops": sops}), "deny": 0},
	{"name": "sops block but a plain value", "input": secret({"data": {"password": "aHVudGVyMg=="}, "sops": sops}), "deny": 1},
	{"name": "encrypted-looking values without sops mac", "input": secret({"data": {"password": "ENC[AES256_GCM,data:xyz]"}}), "deny": 1},
	{
		"name": "sealed secret passes", "deny": 0,
		"input": {"apiVersion": "bitnami.com/v1alpha1", "kind": "SealedSecret", "metadata": {"name": "s"}, "spec": {"encryptedData": {"password": "AgB..."}}},
	},
	{
		"name": "external secret passes", "deny": 0,
		"input": {"apiVersion": "external-secrets.io/v1beta1", "kind": "ExternalSecret", "metadata": {"name": "s"}, "spec": {"data": [{"secretKey": "password"}]}},
	},
	{"name": "literal password env", "input": pod_env([{"name": "DB_PASSWORD", "value": "hunter2"}]), "deny": 1},
	{"name": "literal api key env", "input": pod_env([{"name": "STRIPE_API_KEY", "value": "sk"}, {"name": "GITHUB_TOKEN", "value": "x"}]), "deny": 2},
	{"name": "env from secret ref", "input": pod_env([{"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}}]), "deny": 0},
	{
		"name": "env naming a secret, not holding one", "deny": 0,
		"input": pod_env([
			{"name": "ALLOYDB_SECRET_NAME", "value": "alloydb-secret"}, {"name": "DB_PASSWORD_SECRET_REF", "value": "db"},
			{"name": "STRIPE_API_KEY_NAME", "value": "stripe"}, {"name": "DB_PASSWORD_FILE", "value": "/run/secrets/db"},
			{"name": "vault-token-path", "value": "secret/app"}, {"name": "tokenSecretName", "value": "t"},
		]),
	},
	{
		"name": "credential env whose name only contains name or ref", "deny": 3,
		"input": pod_env([
			{"name": "USERNAME_PASSWORD", "value": "x"}, {"name": "REFRESH_TOKEN", "value": "x"},
			{"name": "SECRET_NAMESPACE_TOKEN", "value": "x"}, {"name": "LOG_FILE", "value": "/var/log/app"},
		]),
	},
	{"name": "harmless env", "input": pod_env([{"name": "LOG_LEVEL", "value": "debug"}, {"name": "TOKEN_TTL_ENABLED", "value": ""}]), "deny": 0},
	{"name": "configmap with credential key", "input": {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"api_key": "x", "color": "blue"}}, "warn": 1},
	{"name": "configmap naming a secret", "input": {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"db_secret_name": "db", "tokenSecretRef": "t"}}, "warn": 0},
	{"name": "plain configmap", "input": {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"color": "blue"}}, "warn": 0},
]
