-- The same request as: kubectl patch rollout.slipway.dev/NAME --subresource=status --type=merge -p '{"status":{"request":{"action":"Retry"}}}'
if obj.status == nil then
  obj.status = {}
end
obj.status.request = {action = "Retry"}
return obj
