{{/* Names: "slipway-controller" for a release named "slipway", as the plain manifests spell it. */}}
{{- define "slipway.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (default "controller" .Values.nameOverride) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* The namespace of every namespaced object: the release's, unless namespaceOverride names another. */}}
{{- define "slipway.namespace" -}}
{{- default .Release.Namespace .Values.namespaceOverride -}}
{{- end -}}

{{/* The controller's ServiceAccount: the chart's own (fullname) unless named, or an existing one when create is false. */}}
{{- define "slipway.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "slipway.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name: set it when serviceAccount.create is false (the existing ServiceAccount to run as)" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "slipway.selectorLabels" -}}
app.kubernetes.io/name: {{ default "slipway-controller" .Values.nameOverride }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "slipway.labels" -}}
{{ include "slipway.selectorLabels" . }}
app.kubernetes.io/part-of: slipway
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* By digest when image.digest is set (what was verified is what runs), else by tag. */}}
{{- define "slipway.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}
{{- end -}}

{{/* What the controller does in a namespace it reconciles: the same rules for a ClusterRole or a Role. */}}
{{- define "slipway.controllerRules" -}}
# patch: the finalizer slipway.dev/release-traffic only (added once, removed once the deleted
# Rollout's traffic went back to stable).
- apiGroups: ["slipway.dev"]
  resources: ["rollouts"]
  verbs: ["get", "list", "watch", "patch"]
- apiGroups: ["slipway.dev"]
  resources: ["rollouts/status"]
  verbs: ["get", "update", "patch"]
# The evidence ledger: one RolloutRecord per revision attempt, appended to, pruned to the newest N.
- apiGroups: ["slipway.dev"]
  resources: ["rolloutrecords"]
  verbs: ["get", "list", "create", "update", "delete"]
# A hub (hub.enabled) walks fleet Releases: it reads them and writes their status only. Without
# the hub these rules are unused.
- apiGroups: ["slipway.dev"]
  resources: ["releases"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["slipway.dev"]
  resources: ["releases/status"]
  verbs: ["get", "update", "patch"]
# Pod image digests (status.containerStatuses[].imageID) for the evidence.
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list"]
# `restart`: the current pods are evicted one at a time (PodDisruptionBudgets apply).
- apiGroups: [""]
  resources: ["pods/eviction"]
  verbs: ["create"]
# Job checks: each measurement's Job is created in the Rollout's namespace (never the controller's)
# and read until it ends; a Job still running when its canary is rolled back or superseded is
# deleted. Its pods' exit codes and log tails go into the evidence. The Job's pods run as the
# ServiceAccount its spec names in that namespace, not as the controller.
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["get", "list", "create", "delete"]
- apiGroups: [""]
  resources: ["pods/log"]
  verbs: ["get"]
# Read when an analysis run starts.
- apiGroups: ["slipway.dev"]
  resources: ["analysistemplates"]
  verbs: ["get"]
- apiGroups: ["apps"]
  resources: ["replicasets"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
- apiGroups: [""]
  resources: ["services"]
  verbs: ["get", "list", "watch", "patch"]
- apiGroups: ["gateway.networking.k8s.io"]
  resources: ["httproutes", "grpcroutes"]
  verbs: ["get", "list", "watch", "patch"]
# Adopting a Deployment (spec.workloadRef): read it, and scale it to 0 once the Rollout's pods
# serve its traffic; its scale subresource only, never its spec otherwise.
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["get"]
- apiGroups: ["apps"]
  resources: ["deployments/scale"]
  verbs: ["get", "patch", "update"]
# Walking a StatefulSet in place (spec.workloadRef kind StatefulSet): watch it (its template and
# status wake the Rollout), and write its rollingUpdate partition alone (server-side apply of that
# one field); its pods are replaced through the Eviction API, as a restart's are. Its pod template
# is written only to roll back a canary its controller made current (the stable revision's, read
# from its ControllerRevisions, by an update pinned to the resourceVersion read).
- apiGroups: ["apps"]
  resources: ["statefulsets"]
  verbs: ["get", "list", "watch", "patch", "update"]
# Walking a DaemonSet node by node (spec.workloadRef kind DaemonSet, updateStrategy OnDelete):
# watch it; write its pod template only to roll back (the stable revision's, read from its
# ControllerRevisions, by an update pinned to the resourceVersion read); its pods are replaced
# through the Eviction API; nodes are listed for their Ready condition and labels.
- apiGroups: ["apps"]
  resources: ["daemonsets"]
  verbs: ["get", "list", "watch", "update"]
- apiGroups: ["apps"]
  resources: ["controllerrevisions"]
  verbs: ["list"]
- apiGroups: [""]
  resources: ["nodes"]
  verbs: ["list"]
# Before mirroring, the parent Gateways' classes are asked whether they list the feature
# (GatewayClass status.supportedFeatures): read only, and only for Rollouts with a mirror step.
- apiGroups: ["gateway.networking.k8s.io"]
  resources: ["gateways", "gatewayclasses"]
  verbs: ["get"]
# A route in another namespace is written only where a ReferenceGrant there allows it.
- apiGroups: ["gateway.networking.k8s.io"]
  resources: ["referencegrants"]
  verbs: ["list"]
# Events: a repeated one is counted up (get, then patch) rather than written again.
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "get", "patch"]
{{- end -}}

{{/* The dashboard's pods, as its Deployment and Service select them. */}}
{{- define "slipway.dashboardSelectorLabels" -}}
app.kubernetes.io/name: slipway-dashboard
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "slipway.dashboardLabels" -}}
{{ include "slipway.dashboardSelectorLabels" . }}
app.kubernetes.io/part-of: slipway
{{- end -}}

