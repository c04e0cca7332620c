-- Kernel dict, the Lua twin of dict.ruff (suites/kernels/README.md): a table with
-- scattered integer keys, Lua's hash map.
package.path = (arg[0]:match('^(.*[/\\])') or './') .. '?.lua;' .. package.path
local twin = require('twin_protocol')

local function run()
    local n = 200000
    local d = {}
    for i = 0, n - 1 do
        d[(i * 7919) % 1000003] = i
    end
    local s = 0
    for i = 0, n - 1 do
        s = s + d[(i * 7919) % 1000003]
    end
    return s
end

twin.main(run)
