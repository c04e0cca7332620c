-- Kernel fib, the Lua twin of fib.ruff (suites/kernels/README.md).
package.path = (arg[0]:match('^(.*[/\\])') or './') .. '?.lua;' .. package.path
local twin = require('twin_protocol')

local function fib(n)
    if n < 2 then return n end
    return fib(n - 1) + fib(n - 2)
end

twin.main(function () return fib(28) end)
