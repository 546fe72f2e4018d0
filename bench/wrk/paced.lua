-- get.lua with a think time: each connection waits args[2] milliseconds after a response before its next request,
-- as a provider reads the page before the next click. wrk -s paced.lua URL -- "portal.session=..." 20
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "get.lua")

local think_ms = 0
local signed_in = init
function init(args)
  signed_in(args)
  think_ms = tonumber(args[2]) or 0
end

function delay()
  return think_ms
end
