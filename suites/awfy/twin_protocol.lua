-- The iteration protocol of the Lua twins in suites/awfy (README.md, "Twin protocol"); the
-- twins run unchanged under Lua 5.4 and LuaJIT 2.1 (Lua 5.1 syntax, no integer division or
-- bitwise operators in the source).
--
-- A twin defines run(), which does the benchmark's work once, checks it and reports the
-- checked value with twin.result(...) (most use twin.inner_benchmark_loop for that); its
-- file ends with twin.main(run). Invocation:
--
--   lua5.4|luajit NAME.lua                        one run(), like `ruff run NAME.ruff`
--   lua5.4|luajit NAME.lua ITERATIONS [RECORDS]   ITERATIONS runs in this process, like
--                                                 `ruff bench NAME.ruff --iterations N`
--
-- After each run it writes one JSON line to RECORDS (default: stderr), as `ruff bench`
-- does; W times run() (see suites/twins/twin_iterations.lua for the clocks).

local twin = {}

-- The iteration loop (argument handling, clock, records) is the one every suite's twins
-- share, in suites/twins/.
package.path = (arg[0]:match('^(.*[/\\])') or './') .. '../twins/?.lua;' .. package.path
local iterations = require('twin_iterations')

-- Bitwise operations on non-negative integers below 2^31: the `bit` library under
-- LuaJIT, Lua 5.3+ operators (compiled from a string, so LuaJIT's parser never sees them)
-- under Lua 5.4.
if rawget(_G, 'bit') or not _VERSION:match('5%.[34]') then
    local bit = require('bit')
    twin.bxor, twin.band, twin.lshift, twin.rshift = bit.bxor, bit.band, bit.lshift, bit.rshift
else
    local ops = load([[return
        function (a, b) return a ~ b end,
        function (a, b) return a & b end,
        function (a, n) return a << n end,
        function (a, n) return a >> n end]])
    twin.bxor, twin.band, twin.lshift, twin.rshift = ops()
end

local written = 0

-- A value as Ruff's print shows it: integers and integral floats without ".0", other
-- floats as the shortest decimal that reads back the same (no exponent for the values the
-- suite prints), booleans as true/false.
function twin.show(value)
    if type(value) ~= 'number' then
        return tostring(value)
    end
    if value == math.floor(value) and math.abs(value) < 2^53 then
        return string.format('%.0f', value)
    end
    for precision = 1, 17 do
        local text = string.format('%.' .. precision .. 'g', value)
        if tonumber(text) == value then
            return text
        end
    end
    return string.format('%.17g', value)
end

-- Prints the run's `Result:` line (values separated by spaces, as Ruff's print does).
function twin.result(...)
    local parts = {}
    for i = 1, select('#', ...) do
        parts[i] = twin.show((select(i, ...)))
    end
    local line = 'Result: ' .. table.concat(parts, ' ') .. '\n'
    written = written + #line
    io.stdout:write(line)
end

-- The suite's Benchmark.innerBenchmarkLoop, for the benchmarks whose check does not depend
-- on the size: runs benchmark() inner_iterations times, checks every result with
-- verify_result(result) and reports the last one (or the first that fails the check).
function twin.inner_benchmark_loop(inner_iterations, benchmark, verify_result)
    local result
    for _ = 1, inner_iterations do
        result = benchmark()
        if not verify_result(result) then
            twin.result('failed verification, got', result)
            return
        end
    end
    twin.result(result)
end

function twin.main(run)
    iterations.iterate(function ()
        local before = written
        run()
        return written - before
    end, function () io.stdout:flush() end)
end

return twin
