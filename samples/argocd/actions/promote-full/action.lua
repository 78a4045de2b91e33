-- The same request as: kubectl patch rollout.slipway.dev/NAME --subresource=status --type=merge -p '{"status":{"request":{"action":"PromoteFull"}}}'
if obj.status == nil then
  obj.status = {}
end
obj.status.request = {action = "PromoteFull"}
return obj
