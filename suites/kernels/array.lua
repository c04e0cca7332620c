-- Kernel array, the Lua twin of array.ruff (suites/kernels/README.md).
package.path = (arg[0]:match('^(.*[/\\])') or './') .. '?.lua;' .. package.path
local twin = require('twin_protocol')

local function run()
    local n, rounds = 100000, 5
    local total = 0
    for r = 0, rounds - 1 do
        local a = {}
        for i = 0, n - 1 do
            a[i + 1] = i + r
        end
        local size = #a
        for i = 1, size do
            total = total + a[i]
        end
    end
    return total
end

twin.main(run)
