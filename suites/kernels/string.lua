-- Kernel string, the Lua twin of string.ruff (suites/kernels/README.md). Lua's `s = s .. x`
-- copies the whole string each time (quadratic), so this twin uses Lua's own amortised
-- idiom: a buffer table joined once with table.concat.
package.path = (arg[0]:match('^(.*[/\\])') or './') .. '?.lua;' .. package.path
local twin = require('twin_protocol')

local function run()
    local n = 200000
    local buf = {}
    for i = 0, n - 1 do
        buf[#buf + 1] = tostring(i)
    end
    return #table.concat(buf)
end

twin.main(run)
