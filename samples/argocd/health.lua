-- Argo CD health for slipway.dev/Rollout. Until the controller has seen the current spec the
-- Rollout is Progressing; then its phase maps 1:1 (Paused shows as Suspended).
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
elseif phase == "Degraded" then
  hs.status = "Degraded"
else
  hs.status = "Progressing"
end
hs.message = obj.status.message or ""
return hs
