-- Kernel loops, the Lua twin of loops.ruff (suites/kernels/README.md).
package.path = (arg[0]:match('^(.*[/\\])') or './') .. '?.lua;' .. package.path
local twin = require('twin_protocol')

local function run()
    local n = 1500
    local s = 0
    for i = 0, n - 1 do
        for j = 0, n - 1 do
            s = (s + i * j) % 1000003
        end
    end
    return s
end

twin.main(run)
