-- Kernel intarith, the Lua twin of intarith.ruff (suites/kernels/README.md).
package.path = (arg[0]:match('^(.*[/\\])') or './') .. '?.lua;' .. package.path
local twin = require('twin_protocol')

local function run()
    local n = 2000000
    local s = 0
    for i = 0, n - 1 do
        local t = i * 3 + 7
        s = s + t * 2 - i * 5
    end
    return s
end

twin.main(run)
