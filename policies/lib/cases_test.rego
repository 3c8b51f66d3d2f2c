# What every policy's cases run against, unless a case says otherwise.
package gitops_gate.case_defaults

import rego.v1

context := {"environment": "", "production": false, "autoSync": true}

environments := [
	{"name": "production", "paths": ["clusters/production"], "production": true, "autoSync": false, "cluster": "prod-eu1"},
	{"name": "staging", "paths": ["clusters/staging"], "production": false, "autoSync": true, "cluster": "staging-eu1"},
]

timezones := {"UTC": true, "Europe/Amsterdam": true, "America/New_York": true}
