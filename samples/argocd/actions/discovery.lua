-- Which Slipway actions Argo CD offers for a Rollout: each only where the controller would accept it.
local actions = {}
local s = obj.status or {}
local state = s.state
local canary = s.canaryRevision ~= nil and s.canaryRevision ~= s.stableRevision
local inFlight = canary and (state == "Pending" or state == "Ready" or state == "Canary" or state == "Paused")
local paused = s.pauseConditions ~= nil and #s.pauseConditions > 0
actions["pause"] = {["disabled"] = not inFlight or paused}
actions["resume"] = {["disabled"] = not paused}
actions["promote"] = {["disabled"] = not inFlight}
actions["promote-full"] = {["disabled"] = not inFlight}
actions["abort"] = {["disabled"] = not (inFlight or (canary and state == "Promoted"))}
actions["retry"] = {["disabled"] = not (canary and state == "RolledBack")}
actions["restart"] = {["disabled"] = s.stableRevision == nil or s.restartAt ~= nil}
return actions
