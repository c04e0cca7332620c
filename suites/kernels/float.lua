-- Kernel float, the Lua twin of float.ruff (suites/kernels/README.md).
package.path = (arg[0]:match('^(.*[/\\])') or './') .. '?.lua;' .. package.path
local twin = require('twin_protocol')

local function run()
    local n = 2000000
    local x = 0.0
    for _ = 0, n - 1 do
        x = x * 0.9999995 + 1.0
    end
    return math.floor(x * 1000.0)
end

twin.main(run)
