# `gitops-gate policy test policies` runs these (CI and pre-commit do too).
package repo.required_labels_test

import data.repo.required_labels
import rego.v1

test_deployment_without_label_is_denied if {
	some result in required_labels.violations({"kind": "Deployment", "metadata": {"name": "web"}})
	result.rule == "required-part-of-label"
}

test_deployment_with_label_passes if {
	count(required_labels.violations({
		"kind": "Deployment",
		"metadata": {"name": "web", "labels": {"app.kubernetes.io/part-of": "shop"}},
	})) == 0
}

test_other_kinds_are_ignored if {
	count(required_labels.violations({"kind": "ConfigMap", "metadata": {"name": "settings"}})) == 0
}
