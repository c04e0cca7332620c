-- Kernel sieve, the Lua twin of sieve.ruff (suites/kernels/README.md); flags[p + 1] holds
-- the flag of p (Lua arrays count from 1).
package.path = (arg[0]:match('^(.*[/\\])') or './') .. '?.lua;' .. package.path
local twin = require('twin_protocol')

local function run()
    local n = 300000
    local flags = {}
    for i = 0, n do
        flags[i + 1] = true
    end
    local count = 0
    for p = 2, n do
        if flags[p + 1] then
            count = count + 1
            local m = p * p
            while m <= n do
                flags[m + 1] = false
                m = m + p
            end
        end
    end
    return count
end

twin.main(run)
