-- The twin protocol of the Lua kernels (suites/README.md, "Twins in other languages"),
-- for Lua 5.4 and LuaJIT 2.1 alike. A kernel defines run(), which does the work once and
-- returns its integer checksum, and ends with `return twin.main(run)`:
--
--   lua5.4|luajit NAME.lua                        one run(): prints `Result: CHECKSUM`
--   lua5.4|luajit NAME.lua ITERATIONS [RECORDS]   ITERATIONS runs, one JSON record each
--
-- Each record is {"iteration":I,"wall_ns":W,"stdout_bytes":B,"clock":"..."} (RECORDS, or
-- stderr); W times run() and the printing of its Result line (see
-- suites/twins/twin_iterations.lua for the clocks).

local twin = {}

-- The iteration loop (argument handling, clock, records) is the one every suite's twins
-- share, in suites/twins/.
package.path = (arg[0]:match('^(.*[/\\])') or './') .. '../twins/?.lua;' .. package.path
local iterations = require('twin_iterations')

-- Runs run() and prints its Result line; returns the bytes written.
local function once(run)
    local line = string.format('Result: %d\n', run())
    io.stdout:write(line)
    io.stdout:flush()
    return #line
end

function twin.main(run)
    iterations.iterate(function () return once(run) end)
end

return twin
