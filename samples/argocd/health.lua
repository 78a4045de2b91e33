-- Argo CD health for slipway.dev/Rollout. Until the controller has seen the current spec the
-- Rollout is Progressing; then its phase maps 1:1 (Paused shows as Suspended, or Healthy when the
-- Rollout carries slipway.dev/argocd-paused-health: Healthy).
local hs = {}
if obj.status == nil or obj.status.observedGeneration == nil or obj.metadata.generation == nil
    or obj.status.observedGeneration < obj.metadata.generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the Slipway controller to observe generation " .. tostring(obj.metadata.generation)
  return hs
end
local phase = obj.status.phase
if phase == "Healthy" then
  hs.status = "Healthy"
elseif phase == "Paused" then
  hs.status = "Suspended"
  -- Suspended holds up later sync waves and PostSync hooks for as long as a person takes to
  -- promote (argo-cd #19422). A Rollout may opt out in Git with this annotation.
  local a = obj.metadata.annotations
  if a ~= nil and a["slipway.dev/argocd-paused-health"] == "Healthy" then
    hs.status = "Healthy"
    hs.message = "paused, reported Healthy (slipway.dev/argocd-paused-health): " .. (obj.status.message or "")
    return hs
  end
elseif phase == "Degraded" then
  hs.status = "Degraded"
else
  hs.status = "Progressing"
end
hs.message = obj.status.message or ""
return hs
